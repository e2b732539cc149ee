import { TZDate } from "@date-fns/tz";
import { useState, type FormEvent } from "react";
import { Button } from "~/components/ui/button";
import { CheckboxField, SelectField, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf, fieldErrorsOf, isTrpcError, trpc } from "~/lib/trpc";
import { formatLongDate, formatTime, localDateOf } from "./format";
import type { LocationInfo } from "./locations";
import { PatientPicker, type PickedPatient } from "./patient-picker";
import type { Appointment, AppointmentType, Provider, Slot } from "./types";

interface BookingPanelProps {
  location: LocationInfo;
  providers: Provider[];
  types: AppointmentType[];
  /** The day on screen, and today at the location: bookings start on the later of the two. */
  date: string;
  today: string;
  initialPatient: PickedPatient | null;
  /** schedule:override: may book outside a provider's hours. */
  canOverride: boolean;
  onBooked: (appointment: Appointment) => void;
}

type SlotQuery = { appointmentTypeId: string; locationId: string; providerId?: string; from: string; to: string; limit: number };

/** A local date and time at the location, as an instant (DST-safe). */
function localToInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, d, hh, mm, timeZone).getTime());
}

/** Slots the server offered with a CONFLICT ("next free"), as the browser receives them. */
function nextSlotsOf(error: unknown): Slot[] {
  if (!isTrpcError(error) || error.data?.code !== "CONFLICT") return [];
  const details = (error.data as { details?: { nextSlots?: unknown } | null }).details;
  return Array.isArray(details?.nextSlots) ? (details.nextSlots as Slot[]) : [];
}

/**
 * Book: patient (typeahead), type, provider, date → "Find slots" → pick a slot → Book. A slot
 * taken meanwhile comes back as CONFLICT with the server's sentence and its next free slots.
 */
export function BookingPanel({ location, providers, types, date, today, initialPatient, canOverride, onBooked }: BookingPanelProps) {
  const utils = trpc.useUtils();
  const [patient, setPatient] = useState<PickedPatient | null>(initialPatient);
  const [typeId, setTypeId] = useState("");
  const [providerId, setProviderId] = useState("");
  const [day, setDay] = useState(date < today ? today : date);
  const [reason, setReason] = useState("");
  const [query, setQuery] = useState<SlotQuery | null>(null);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [override, setOverride] = useState(false);
  const [overrideTime, setOverrideTime] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [booked, setBooked] = useState<Appointment | null>(null);
  // The booking date follows the day on screen (changing days starts a new search).
  const [shownDate, setShownDate] = useState(date);
  if (shownDate !== date) {
    setShownDate(date);
    setDay(date < today ? today : date);
    setQuery(null);
    setSelected(null);
  }

  const slots = trpc.scheduling.findSlots.useQuery(query ?? { appointmentTypeId: "", locationId: location.id, from: day, to: day, limit: 1 }, {
    enabled: query !== null,
    meta: { silentErrors: true },
  });
  const book = trpc.scheduling.book.useMutation({
    meta: { silentErrors: true },
    onSuccess: (appointment) => {
      setBooked(appointment);
      setSelected(null);
      setReason("");
      setOverrideTime("");
      void utils.scheduling.findSlots.invalidate();
      onBooked(appointment);
    },
  });

  const serverErrors = { ...fieldErrorsOf(slots.error), ...fieldErrorsOf(book.error) };
  const errorsFor = (field: string) => localErrors[field] ?? serverErrors[field];
  const offered = nextSlotsOf(book.error);

  /** Any change to what is being searched for makes the shown slots stale. */
  const changed = () => {
    setQuery(null);
    setSelected(null);
    setBooked(null);
    book.reset();
  };

  function findSlots(event: FormEvent) {
    event.preventDefault();
    const errors: Record<string, string[]> = {};
    if (!typeId) errors.appointmentTypeId = ["Choose an appointment type"];
    if (!day) errors.from = ["Choose a date"];
    else if (day < today) errors.from = ["Choose today or a later date"];
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    setSelected(null);
    setBooked(null);
    book.reset();
    setQuery({ appointmentTypeId: typeId, locationId: location.id, providerId: providerId || undefined, from: day, to: day, limit: 200 });
  }

  function submitBooking(start: Date, slotProviderId: string, overrideAvailability: boolean) {
    const errors: Record<string, string[]> = {};
    if (!patient) errors.patientId = ["Choose a patient"];
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    book.mutate({
      patientId: patient!.id,
      providerId: slotProviderId,
      locationId: location.id,
      appointmentTypeId: typeId,
      start: start.toISOString(),
      reason: reason.trim() || null,
      overrideAvailability,
    });
  }

  function bookOutsideHours() {
    const errors: Record<string, string[]> = {};
    if (!typeId) errors.appointmentTypeId = ["Choose an appointment type"];
    if (!providerId) errors.providerId = ["Choose the provider to book outside their hours"];
    if (!/^\d{2}:\d{2}$/.test(overrideTime)) errors.start = ["Enter a start time like 19:30"];
    if (!patient) errors.patientId = ["Choose a patient"];
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    submitBooking(localToInstant(day, overrideTime, location.timeZone), providerId, true);
  }

  const typeOptions = [{ value: "", label: "Choose a type…" }, ...types.map((t) => ({ value: t.id, label: `${t.name} (${t.durationMinutes} min)` }))];
  const providerOptions = [{ value: "", label: "Any provider" }, ...providers.filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))];
  const manyProviders = new Set((slots.data ?? []).map((s) => s.providerId)).size > 1;
  const generalError = book.error && !offered.length ? errorMessageOf(book.error) : slots.error ? errorMessageOf(slots.error) : null;

  return (
    <section aria-labelledby="book-heading" className="space-y-4">
      <div>
        <h2 id="book-heading" className="text-lg font-semibold text-ink">
          Book appointment
        </h2>
        <p className="text-sm text-ink-muted">At {location.name}. Times are the clinic&apos;s local time.</p>
      </div>

      <form onSubmit={findSlots} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Find slots" noValidate>
        <div className="sm:col-span-2">
          <PatientPicker
            value={patient}
            onChange={(p) => {
              setPatient(p);
              setBooked(null);
              setLocalErrors(({ patientId: _drop, ...rest }) => rest);
            }}
            errors={errorsFor("patientId")}
          />
        </div>
        <SelectField
          label="Appointment type"
          options={typeOptions}
          value={typeId}
          onChange={(e) => {
            setTypeId(e.target.value);
            changed();
          }}
          errors={errorsFor("appointmentTypeId")}
        />
        <SelectField
          label="Provider"
          options={providerOptions}
          value={providerId}
          onChange={(e) => {
            setProviderId(e.target.value);
            changed();
          }}
          errors={errorsFor("providerId")}
        />
        <TextField
          label="Date"
          type="date"
          min={today}
          value={day}
          onChange={(e) => {
            setDay(e.target.value);
            changed();
          }}
          errors={errorsFor("from")}
        />
        <div className="sm:col-span-2 lg:col-span-2">
          <TextField label="Reason for visit (optional)" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} errors={errorsFor("reason")} />
        </div>
        <div className="flex items-end">
          <Button type="submit" variant="secondary" className="w-full" disabled={slots.isFetching}>
            {slots.isFetching ? "Finding slots…" : "Find slots"}
          </Button>
        </div>
      </form>

      {generalError ? (
        <Notice tone="danger" role="alert">
          {generalError}
        </Notice>
      ) : null}

      {offered.length ? (
        <Notice
          tone="warn"
          role="alert"
          title="That time was just taken."
          actions={offered.map((slot) => (
            <Button key={`${slot.providerId}-${slot.start}`} size="sm" variant="secondary" onClick={() => setSelected(slot)} aria-pressed={selected?.start === slot.start && selected.providerId === slot.providerId}>
              {localDateOf(slot.start, location.timeZone) === day ? "" : `${localDateOf(slot.start, location.timeZone)} `}
              {formatTime(slot.start, location.timeZone)}
              {manyProviders || !providerId ? ` · ${slot.providerName}` : ""}
            </Button>
          ))}
        >
          {errorMessageOf(book.error)} Choose one of the next free times below, then book.
        </Notice>
      ) : null}

      {query && slots.data ? (
        <div className="space-y-2">
          <h3 className="text-sm font-semibold text-ink" id="slots-heading">
            Open slots on {formatLongDate(query.from)}
          </h3>
          {slots.data.length ? (
            <ul className="flex flex-wrap gap-2" aria-labelledby="slots-heading">
              {slots.data.map((slot) => {
                const isSelected = selected?.start === slot.start && selected.providerId === slot.providerId;
                return (
                  <li key={`${slot.providerId}-${slot.start}`}>
                    <Button size="sm" variant={isSelected ? "primary" : "secondary"} aria-pressed={isSelected} onClick={() => setSelected(slot)}>
                      {formatTime(slot.start, location.timeZone)}
                      {manyProviders ? ` · ${slot.providerName}` : ""}
                    </Button>
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="text-sm text-ink-muted">No open slots on this day. Try another date{providerId ? " or any provider" : ""}.</p>
          )}
        </div>
      ) : null}

      {errorsFor("start") && !offered.length && !(canOverride && override) ? <p className="text-sm text-danger-700">Start: {errorsFor("start")!.join(" ")}</p> : null}

      {selected ? (
        <div className="flex flex-wrap items-center gap-3 rounded-lg border border-brand-200 bg-brand-50 px-4 py-3">
          <p className="text-sm text-brand-900">
            {patient ? <strong>{patient.name}</strong> : "Choose a patient"} · {types.find((t) => t.id === typeId)?.name} · {formatLongDate(localDateOf(selected.start, location.timeZone))},{" "}
            {formatTime(selected.start, location.timeZone)}–{formatTime(selected.end, location.timeZone)} with {selected.providerName}
          </p>
          <Button className="ml-auto" disabled={book.isPending} onClick={() => submitBooking(new Date(selected.start), selected.providerId, false)}>
            {book.isPending ? "Booking…" : "Book"}
          </Button>
        </div>
      ) : null}

      {canOverride ? (
        <div className="space-y-3 rounded-lg border border-surface-border px-4 py-3">
          <CheckboxField
            label="Book outside the provider's hours"
            hint="Needs the schedule override permission; recorded in the audit log."
            checked={override}
            onChange={(e) => setOverride(e.target.checked)}
          />
          {override ? (
            <div className="flex flex-wrap items-end gap-3">
              <TextField label="Start time" type="time" value={overrideTime} onChange={(e) => setOverrideTime(e.target.value)} errors={errorsFor("start")} />
              <Button variant="secondary" disabled={book.isPending} onClick={bookOutsideHours}>
                Book at this time
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}

      {booked ? (
        <Notice tone="success" role="status" title="Booked.">
          {booked.patient.name} · {booked.appointmentType.name} · {formatLongDate(localDateOf(booked.start, booked.location.timeZone))}, {formatTime(booked.start, booked.location.timeZone)} with{" "}
          {booked.provider.name}.
        </Notice>
      ) : null}
    </section>
  );
}
