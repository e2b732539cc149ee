import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "~/components/data-table/data-table";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf, trpc } from "~/lib/trpc";
import { AppointmentActions } from "./appointment-actions";
import { formatTime, STATUS_LABEL, STATUS_TONE } from "./format";
import { useAppointmentEvents } from "./live";
import type { LocationInfo } from "./locations";
import { OfflineBanner } from "./offline-banner";
import type { Appointment } from "./types";
import { useNow } from "./use-now";

const column = createColumnHelper<Appointment>();
const CLOSED = new Set<Appointment["status"]>(["CANCELLED", "NO_SHOW"]);

interface DayScheduleProps {
  location: LocationInfo;
  date: string;
  providerId?: string;
  isToday: boolean;
  initialAppointments: Appointment[];
  canWrite: boolean;
}

/** One day at one location (optionally one provider), live: any appointment event there refetches it. */
export function DaySchedule({ location, date, providerId, isToday, initialAppointments, canWrite }: DayScheduleProps) {
  const utils = trpc.useUtils();
  const input = { date, locationId: location.id, ...(providerId ? { providerId } : {}) };
  const day = trpc.scheduling.day.useQuery(input, { initialData: initialAppointments, meta: { silentErrors: true } });
  const refetch = () => void utils.scheduling.day.invalidate({ date, locationId: location.id });
  useAppointmentEvents([`location:${location.id}`], refetch);
  const now = useNow();

  const columns = useMemo(
    () => [
      column.accessor("start", {
        header: "Time",
        cell: (info) => (
          <span className="whitespace-nowrap tabular-nums">
            {formatTime(info.getValue(), info.row.original.location.timeZone)}
            <span className="text-ink-muted">–{formatTime(info.row.original.end, info.row.original.location.timeZone)}</span>
          </span>
        ),
      }),
      column.accessor((a) => a.patient.name, {
        id: "patient",
        header: "Patient",
        cell: (info) => (
          <span>
            <span className="font-medium">{info.getValue()}</span>
            <span className="block text-xs text-ink-muted">MRN {info.row.original.patient.mrn}</span>
          </span>
        ),
      }),
      column.accessor((a) => a.appointmentType.name, {
        id: "type",
        header: "Type",
        cell: (info) => (
          <span className="flex flex-col items-start gap-0.5">
            <span className="inline-flex items-center gap-2 whitespace-nowrap">
              <span className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ backgroundColor: info.row.original.appointmentType.color }} aria-hidden="true" />
              {info.getValue()}
            </span>
            {info.row.original.outsideAvailability ? <Badge tone="warn" className="whitespace-nowrap">outside hours</Badge> : null}
          </span>
        ),
      }),
      column.accessor((a) => a.provider.name, { id: "provider", header: "Provider", cell: (info) => <span className="whitespace-nowrap">{info.getValue()}</span> }),
      column.accessor("status", {
        header: "Status",
        cell: (info) => {
          const a = info.row.original;
          return (
            <span className="flex flex-col items-start gap-0.5">
              <Badge tone={STATUS_TONE[a.status]} className="whitespace-nowrap">
                {STATUS_LABEL[a.status]}
              </Badge>
              {a.ticket !== null ? <span className="text-xs text-ink-muted">Ticket {a.ticket}</span> : null}
              {a.cancelReason ? <span className="max-w-48 text-xs text-ink-muted">{a.cancelReason}</span> : null}
            </span>
          );
        },
      }),
      column.accessor("room", { header: "Room", cell: (info) => <span className="whitespace-nowrap">{info.getValue() ?? "—"}</span> }),
      ...(canWrite
        ? [
            column.display({
              id: "actions",
              header: "Actions",
              cell: (info) => {
                const a = info.row.original;
                return <AppointmentActions appointment={a} isToday={isToday} started={now === null ? null : new Date(a.start).getTime() <= now} onChanged={refetch} />;
              },
            }),
          ]
        : []),
    ],
    // refetch closes over date and location, both listed; `now` only matters for the no-show
    // button, so the columns rebuild once a minute rather than every second.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [location, date, isToday, canWrite, now === null ? null : Math.floor(now / 60_000)],
  );

  const rows = day.data;
  const active = rows.filter((a) => !CLOSED.has(a.status)).length;

  return (
    <section aria-labelledby="day-heading" className="space-y-3">
      <OfflineBanner what="The schedule" />
      {day.isError ? (
        <Notice
          tone="danger"
          role="alert"
          title="The schedule could not be refreshed."
          actions={
            <Button size="sm" variant="secondary" onClick={refetch}>
              Try again
            </Button>
          }
        >
          {errorMessageOf(day.error)} Showing what was last loaded.
        </Notice>
      ) : null}
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="day-heading" className="text-lg font-semibold text-ink">
          Appointments
        </h2>
        <p className="text-sm text-ink-muted" aria-live="polite">
          {active} {active === 1 ? "appointment" : "appointments"}
          {rows.length > active ? ` · ${rows.length - active} cancelled or no-show` : ""}
          {day.isFetching ? " · refreshing…" : ""}
        </p>
      </div>
      <DataTable<Appointment>
        caption={`Appointments at ${location.name}`}
        captionHidden
        data={rows}
        columns={columns}
        getRowId={(a) => a.id}
        getRowProps={(a) => ({ className: CLOSED.has(a.status) ? "text-ink-muted opacity-70" : "" })}
        emptyMessage="No appointments on this day."
      />
    </section>
  );
}
