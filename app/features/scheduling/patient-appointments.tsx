import { Link } from "@remix-run/react";
import { Badge } from "~/components/ui/badge";
import { buttonClass } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf, trpc } from "~/lib/trpc";
import { formatDateTime, formatPercent, STATUS_LABEL, STATUS_TONE } from "./format";
import { useAppointmentEvents } from "./live";
import type { Appointment } from "./types";
import { useCan } from "./use-can";

/** Still ahead or under way: shown as upcoming. Everything else is history. */
const UPCOMING = new Set<Appointment["status"]>(["BOOKED", "CONFIRMED", "ARRIVED", "ROOMED", "IN_VISIT"]);

/**
 * A patient's appointments for their record page: upcoming (soonest first) and past (latest
 * first), with the no-show count and rate, and a link to book another. Kept live through the
 * `patient:<id>` room. Needs the signed-in layout (it reads the role to show "Book").
 */
export function PatientAppointments({ patientId }: { patientId: string }) {
  const utils = trpc.useUtils();
  const canBook = useCan("schedule:write");
  const query = trpc.scheduling.patientAppointments.useQuery({ patientId }, { meta: { silentErrors: true } });
  useAppointmentEvents([`patient:${patientId}`], () => void utils.scheduling.patientAppointments.invalidate({ patientId }));

  const all = query.data?.appointments ?? [];
  const upcoming = all.filter((a) => UPCOMING.has(a.status)).sort((a, b) => a.start.localeCompare(b.start));
  const past = all.filter((a) => !UPCOMING.has(a.status));

  return (
    <section aria-labelledby={`appointments-${patientId}`} className="space-y-4 rounded-lg border border-surface-border bg-surface p-5 shadow-card">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id={`appointments-${patientId}`} className="text-lg font-semibold text-ink">
            Appointments
          </h2>
          {query.data ? (
            <p className="text-sm text-ink-muted" data-testid="no-show-summary">
              {query.data.noShows} {query.data.noShows === 1 ? "no-show" : "no-shows"} · no-show rate {formatPercent(query.data.noShowRate)}
            </p>
          ) : null}
        </div>
        {canBook ? (
          <Link to={`/schedule?patientId=${encodeURIComponent(patientId)}`} className={buttonClass("primary", "sm")}>
            Book<span className="sr-only"> an appointment for this patient</span>
          </Link>
        ) : null}
      </div>

      {query.isPending ? <p className="text-sm text-ink-muted">Loading appointments…</p> : null}
      {query.isError ? (
        <Notice tone="danger" role="alert">
          {errorMessageOf(query.error)}
        </Notice>
      ) : null}

      {query.data ? (
        <>
          <AppointmentList title="Upcoming" items={upcoming} empty="Nothing booked." />
          <AppointmentList title="Past" items={past} empty="No past appointments." />
        </>
      ) : null}
    </section>
  );
}

function AppointmentList({ title, items, empty }: { title: string; items: Appointment[]; empty: string }) {
  return (
    <div>
      <h3 className="text-sm font-semibold tracking-wide text-ink-muted uppercase">{title}</h3>
      {items.length ? (
        <ul className="mt-2 divide-y divide-surface-border rounded-md border border-surface-border" aria-label={`${title} appointments`}>
          {items.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-3 py-2 text-sm">
              <span>
                <span className="font-medium text-ink">{formatDateTime(a.start, a.location.timeZone)}</span>
                <span className="block text-ink-muted">
                  {a.appointmentType.name} · {a.provider.name} · {a.location.name}
                  {a.room ? ` · ${a.room}` : ""}
                </span>
              </span>
              <span className="flex flex-col items-end gap-0.5">
                <Badge tone={STATUS_TONE[a.status]} className="whitespace-nowrap">
                  {STATUS_LABEL[a.status]}
                </Badge>
                {a.cancelReason ? <span className="text-xs text-ink-muted">{a.cancelReason}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-ink-muted">{empty}</p>
      )}
    </div>
  );
}
