import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate, useSearchParams, useSubmit } from "@remix-run/react";
import { useState } from "react";
import { can } from "../../server/permissions/registry.ts";
import { RouteErrorBoundary } from "~/components/error-page";
import { Button, buttonClass } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";
import { BookingPanel } from "~/features/scheduling/booking-panel";
import { DaySchedule } from "~/features/scheduling/day-schedule";
import { addDays, formatLongDate, isLocalDate, localDateOf, todayIn } from "~/features/scheduling/format";
import { isUuid } from "~/features/scheduling/guard.server";
import type { PickedPatient } from "~/features/scheduling/patient-picker";
import { toWire, type Appointment } from "~/features/scheduling/types";
import { useCan } from "~/features/scheduling/use-can";
import { callServer, requireSession } from "~/lib/caller.server";
import { trpc } from "~/lib/trpc";

export const meta: MetaFunction = () => [{ title: "Schedule · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

/**
 * The day at one location: ?date=YYYY-MM-DD (default today there), ?locationId (default the
 * first), ?providerId (optional), ?patientId (preselects the patient to book, e.g. from a chart).
 * Bad values fall back to the defaults instead of failing the page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const params = new URL(request.url).searchParams;
  const caller = context.caller;
  const [locations, providers, types] = await callServer(request, () =>
    Promise.all([caller.scheduling.locations(), caller.scheduling.providers(), caller.scheduling.appointmentTypes()]),
  );
  const location = locations.find((l) => l.id === params.get("locationId")) ?? locations[0];
  if (!location) return { location: null, locations, providers, types, date: null, today: null, providerId: null, appointments: [], patient: null };

  const today = todayIn(location.timeZone);
  const requestedDate = params.get("date");
  const date = isLocalDate(requestedDate) ? requestedDate : today;
  const requestedProvider = params.get("providerId");
  const providerId = providers.some((p) => p.id === requestedProvider) ? requestedProvider! : null;
  const appointments = await callServer(request, () => caller.scheduling.day({ date, locationId: location.id, ...(providerId ? { providerId } : {}) }));

  // The patient to book for, when the page was opened from a patient's record.
  let patient: PickedPatient | null = null;
  const patientId = params.get("patientId");
  if (isUuid(patientId) && can(session.user.role, "schedule:write") && can(session.user.role, "patient:read")) {
    const banner = await caller.patients.banner({ id: patientId }).catch(() => null);
    if (banner && banner.status === "ACTIVE") patient = { id: banner.id, name: banner.displayName, mrn: banner.mrn };
  }

  return { location, locations, providers, types, date, today, providerId, appointments: toWire<Appointment[]>(appointments), patient };
}

export default function Schedule() {
  const { location, locations, providers, types, date, today, providerId, appointments, patient } = useLoaderData<typeof loader>();
  const canWrite = useCan("schedule:write");
  const canOverride = useCan("schedule:override");
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const [searchParams] = useSearchParams();
  const [bookingOpen, setBookingOpen] = useState(patient !== null);

  if (!location || !date || !today) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold text-ink">Schedule</h1>
        <p className="text-ink-muted">Your clinic has no locations yet.</p>
      </div>
    );
  }

  const hrefFor = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    return `?${next}`;
  };

  function onBooked(appointment: Appointment) {
    // The live event refreshes it too; the person who booked should not depend on it.
    void utils.scheduling.day.invalidate({ locationId: appointment.location.id });
    const bookedDate = localDateOf(appointment.start, appointment.location.timeZone);
    if (bookedDate !== date) navigate(hrefFor({ date: bookedDate }));
  }

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-ink">Schedule</h1>
          <p className="mt-1 text-sm text-ink-muted">
            {location.name} · {formatLongDate(date)}
            {date === today ? " (today)" : ""}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to={`/board/${location.id}`} className={buttonClass("secondary")}>
            Waiting room
          </Link>
          {canWrite ? (
            <Button aria-expanded={bookingOpen} aria-controls="booking-panel" onClick={() => setBookingOpen((open) => !open)}>
              {bookingOpen ? "Close booking" : "Book appointment"}
            </Button>
          ) : null}
        </div>
      </header>

      <ScheduleFilters
        key={`filters|${location.id}|${date}|${providerId ?? ""}`}
        locations={locations}
        providers={providers}
        locationId={location.id}
        date={date}
        providerId={providerId}
        patientId={patient?.id ?? null}
      />
      <nav aria-label="Days" className="flex flex-wrap gap-2">
        <Link to={hrefFor({ date: addDays(date, -1) })} className={buttonClass("secondary", "sm")}>
          ← Previous day
        </Link>
        <Link to={hrefFor({ date: today })} className={buttonClass("secondary", "sm")} aria-current={date === today ? "date" : undefined}>
          Today
        </Link>
        <Link to={hrefFor({ date: addDays(date, 1) })} className={buttonClass("secondary", "sm")}>
          Next day →
        </Link>
      </nav>

      {canWrite && bookingOpen ? (
        <div id="booking-panel" className="rounded-lg border border-surface-border bg-surface p-5 shadow-card">
          <BookingPanel
            key={location.id}
            location={location}
            providers={providers}
            types={types}
            date={date}
            today={today}
            initialPatient={patient}
            canOverride={canOverride}
            onBooked={onBooked}
          />
        </div>
      ) : null}

      <DaySchedule
        key={`day|${location.id}|${date}|${providerId ?? ""}`}
        location={location}
        date={date}
        providerId={providerId ?? undefined}
        isToday={date === today}
        initialAppointments={appointments}
        canWrite={canWrite}
      />
    </div>
  );
}

interface ScheduleFiltersProps {
  locations: { id: string; name: string }[];
  providers: { id: string; name: string }[];
  locationId: string;
  date: string;
  providerId: string | null;
  patientId: string | null;
}

/** A GET form: every change loads that day (the URL is the state, so it can be bookmarked). */
function ScheduleFilters({ locations, providers, locationId, date, providerId, patientId }: ScheduleFiltersProps) {
  const submit = useSubmit();
  return (
    <Form
      method="get"
      aria-label="Choose the day"
      className="grid gap-4 rounded-lg border border-surface-border bg-surface p-4 shadow-card sm:grid-cols-3"
      onChange={(event) => submit(event.currentTarget, { replace: true })}
    >
      <TextField label="Date" type="date" name="date" defaultValue={date} required />
      <SelectField label="Location" name="locationId" defaultValue={locationId} options={locations.map((l) => ({ value: l.id, label: l.name }))} />
      <SelectField
        label="Provider"
        name="providerId"
        defaultValue={providerId ?? ""}
        options={[{ value: "", label: "All providers" }, ...providers.map((p) => ({ value: p.id, label: p.name }))]}
      />
      {patientId ? <input type="hidden" name="patientId" value={patientId} /> : null}
    </Form>
  );
}
