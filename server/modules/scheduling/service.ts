import type { z } from "zod";
import { Prisma } from "../../generated/prisma/client.ts";
import { randomUUID } from "node:crypto";
import { audit, auditRow, type ScopedActor } from "../../audit/audit.ts";
import { db, type Tx } from "../../db.ts";
import { env } from "../../env.ts";
import { DomainError, notFound, staleVersion } from "../../errors.ts";
import { can } from "../../permissions/registry.ts";
import { publish } from "../../realtime/publish.ts";
import type { AppointmentVerb } from "../../realtime/events.ts";
import { insideHours, type ProviderCalendar } from "./availability.ts";
import { cancelReminders, moveReminders, reminderRows } from "./reminders.ts";
import { findSlots } from "./slots.ts";
import { localDayRange, localParts, todayIn } from "./time.ts";
import type { bookInput, dayInput, rescheduleInput } from "./schemas.ts";

type Status = "BOOKED" | "CONFIRMED" | "ARRIVED" | "ROOMED" | "IN_VISIT" | "CHECKED_OUT" | "CANCELLED" | "NO_SHOW";
const ACTIVE: Status[] = ["BOOKED", "CONFIRMED", "ARRIVED", "ROOMED", "IN_VISIT", "CHECKED_OUT"];

export const appointmentSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  room: true,
  ticket: true,
  reason: true,
  cancelReason: true,
  arrivedAt: true,
  outsideAvailability: true,
  version: true,
  locationId: true,
  patient: { select: { id: true, mrn: true, givenName: true, familyName: true } },
  provider: { select: { id: true, user: { select: { id: true, name: true } } } },
  location: { select: { id: true, name: true, timeZone: true } },
  appointmentType: { select: { id: true, name: true, color: true } },
} satisfies Prisma.AppointmentSelect;

type AppointmentRow = Prisma.AppointmentGetPayload<{ select: typeof appointmentSelect }>;

export function toOutput(a: AppointmentRow) {
  return {
    id: a.id,
    patient: { id: a.patient.id, mrn: a.patient.mrn, name: `${a.patient.familyName}, ${a.patient.givenName}` },
    provider: { id: a.provider.id, name: a.provider.user.name },
    location: a.location,
    appointmentType: a.appointmentType,
    start: a.startsAt,
    end: a.endsAt,
    status: a.status,
    room: a.room,
    ticket: a.ticket,
    reason: a.reason,
    cancelReason: a.cancelReason,
    arrivedAt: a.arrivedAt,
    outsideAvailability: a.outsideAvailability,
    version: a.version,
  };
}

/** Rooms that hear about an appointment: its location's boards, the patient's screens, the provider. */
function announce(verb: AppointmentVerb, a: { id: string; locationId: string; version: number; patientId: string; providerUserId: string }) {
  publish(`scheduling.appointment.${verb}`, { appointmentId: a.id, locationId: a.locationId, version: a.version }, [
    `location:${a.locationId}`,
    `patient:${a.patientId}`,
    `user:${a.providerUserId}`,
  ]);
}

/**
 * A reschedule takes its turn per provider (a transaction advisory lock, released at commit). The
 * exclusion constraint is still what refuses a double booking; the turn keeps two reschedules
 * into one provider's time from checking it against each other's uncommitted rows, where each
 * waits for the other until PostgreSQL's deadlock detector (1 s) kills one.
 */
const providerTurn = (providerId: string) => Prisma.sql`SELECT pg_advisory_xact_lock(hashtext('scheduling.provider'), hashtext(${providerId}::text))`;

function isDoubleBooking(error: unknown): boolean {
  const text = `${String((error as Error)?.message)} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})} ${String((error as { cause?: unknown })?.cause ?? "")}`;
  return text.includes("appointment_no_double_booking") || text.includes("23P01");
}

function isRoomTaken(error: unknown): boolean {
  const text = `${String((error as Error)?.message)} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return text.includes("appointment_one_patient_per_room") || (text.includes("P2002") && text.includes("room"));
}

/**
 * The "next free" offer of a clash, shared for a moment: when a burst of requests races for one
 * slot, the losers all ask the same question, and one answer (at most 2 s old; a booking of an
 * offered slot is still checked by the database) serves them all.
 */
const OFFER_TTL_MS = 2_000;
const offers = new Map<string, { expires: number; slots: ReturnType<typeof findSlots> }>();
function nextFree(query: Parameters<typeof findSlots>[0]): ReturnType<typeof findSlots> {
  const key = JSON.stringify(query);
  const now = Date.now();
  const cached = offers.get(key);
  if (cached && cached.expires > now) return cached.slots;
  if (offers.size > 500) for (const [k, v] of offers) if (v.expires <= now) offers.delete(k);
  const slots = findSlots(query).catch(() => []);
  offers.set(key, { expires: now + OFFER_TTL_MS, slots });
  return slots;
}

async function clashError(clinicId: string, input: { providerId: string; locationId: string; appointmentTypeId: string; start: Date }, timeZone: string, providerName: string) {
  const next = await nextFree({
    clinicId,
    appointmentTypeId: input.appointmentTypeId,
    locationId: input.locationId,
    providerId: input.providerId,
    from: localParts(input.start, timeZone).date,
    limit: 3,
  });
  const when = localParts(input.start, timeZone);
  const offer = next.length ? ` Next free: ${next.map((s) => { const p = localParts(s.start, timeZone); return `${p.date} ${p.time}`; }).join(", ")}.` : "";
  return new DomainError("CONFLICT", `${providerName} is already booked at ${when.date} ${when.time}.${offer}`, { start: ["that time is taken"] }, { nextSlots: next });
}

interface ContextRow {
  patient_id: string | null;
  patient_status: string | null;
  mrn: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  phone_mobile: string | null;
  provider_id: string | null;
  provider_active: boolean | null;
  provider_user_id: string | null;
  provider_name: string | null;
  location_id: string | null;
  location_name: string | null;
  time_zone: string | null;
  type_id: string | null;
  type_name: string | null;
  type_color: string | null;
  duration_minutes: number | null;
  type_active: boolean | null;
  blocks: { weekday: number; startTime: string; endTime: string; validFrom: string | null; validTo: string | null }[];
  exceptions: { locationId: string | null; date: string; kind: string; startTime: string | null; endTime: string | null }[];
}

const utcDay = (isoDate: string | null) => (isoDate ? new Date(`${isoDate.slice(0, 10)}T00:00:00Z`) : null);

/**
 * Everything a booking checks before it writes, in one statement: the patient, the provider and
 * their name, the location and its zone, the type, and the provider's hours at the location with
 * exceptions around the start (the local date is only known once the zone is, hence ±1 day).
 * Each lookup is scoped to the clinic; a missing one is a field error.
 */
async function context(clinicId: string, input: { patientId?: string; providerId: string; locationId: string; appointmentTypeId: string; start: Date }) {
  const [row] = await db.$queryRaw<ContextRow[]>`
    SELECT pa.id AS patient_id, pa.status::text AS patient_status, pa.mrn, pa.given_name, pa.family_name, pa.email, pa.phone_mobile,
           pr.id AS provider_id, pr.active AS provider_active, u.id AS provider_user_id, u.name AS provider_name,
           l.id AS location_id, l.name AS location_name, l.time_zone,
           t.id AS type_id, t.name AS type_name, t.color AS type_color, t.duration_minutes, t.active AS type_active,
           (SELECT coalesce(json_agg(json_build_object('weekday', b.weekday, 'startTime', b.start_time, 'endTime', b.end_time, 'validFrom', b.valid_from, 'validTo', b.valid_to)), '[]'::json)
              FROM availability b WHERE b.provider_id = pr.id AND b.location_id = l.id) AS blocks,
           (SELECT coalesce(json_agg(json_build_object('locationId', e.location_id, 'date', e.date, 'kind', e.kind, 'startTime', e.start_time, 'endTime', e.end_time)), '[]'::json)
              FROM availability_exception e
             WHERE e.provider_id = pr.id
               AND e.date BETWEEN (${input.start}::timestamptz AT TIME ZONE 'UTC')::date - 1 AND (${input.start}::timestamptz AT TIME ZONE 'UTC')::date + 1) AS exceptions
      FROM (SELECT 1) AS one
      LEFT JOIN patient pa ON pa.id = ${input.patientId ?? null}::uuid AND pa.clinic_id = ${clinicId}::uuid
      LEFT JOIN provider pr ON pr.id = ${input.providerId}::uuid AND pr.clinic_id = ${clinicId}::uuid
      LEFT JOIN app_user u ON u.id = pr.user_id
      LEFT JOIN location l ON l.id = ${input.locationId}::uuid AND l.clinic_id = ${clinicId}::uuid
      LEFT JOIN appointment_type t ON t.id = ${input.appointmentTypeId}::uuid AND t.clinic_id = ${clinicId}::uuid`;
  const r = row!;
  const fields: Record<string, string[]> = {};
  if (input.patientId && !r.patient_id) fields.patientId = ["patient not found"];
  if (!r.provider_id || !r.provider_active) fields.providerId = ["provider not found"];
  if (!r.location_id) fields.locationId = ["location not found"];
  if (!r.type_id || !r.type_active) fields.appointmentTypeId = ["appointment type not found"];
  if (Object.keys(fields).length) {
    throw new DomainError("BAD_REQUEST", `Unknown ${Object.keys(fields).map((f) => f.replace(/Id$/, "")).join(", ")}.`, fields);
  }
  const calendar: ProviderCalendar = {
    providerId: r.provider_id!,
    blocks: r.blocks.map((b) => ({ ...b, locationId: r.location_id!, validFrom: utcDay(b.validFrom), validTo: utcDay(b.validTo) })),
    exceptions: r.exceptions.map((e) => ({ ...e, date: utcDay(e.date)! })),
  };
  return {
    patient: r.patient_id
      ? { id: r.patient_id, status: r.patient_status!, mrn: r.mrn!, givenName: r.given_name!, familyName: r.family_name!, email: r.email, phoneMobile: r.phone_mobile }
      : null,
    provider: { id: r.provider_id!, user: { id: r.provider_user_id!, name: r.provider_name! } },
    location: { id: r.location_id!, name: r.location_name!, timeZone: r.time_zone! },
    type: { id: r.type_id!, name: r.type_name!, color: r.type_color!, durationMinutes: r.duration_minutes! },
    calendar,
  };
}

async function checkAvailability(actor: ScopedActor, providerName: string, calendar: ProviderCalendar, locationId: string, timeZone: string, start: Date, end: Date, override: boolean) {
  if (insideHours(calendar, locationId, timeZone, start, end)) return false;
  if (!override) {
    const when = localParts(start, timeZone);
    throw new DomainError("BAD_REQUEST", `${providerName} does not see patients at ${when.date} ${when.time} at this location. Choose an open slot, or book outside hours with an override.`, {
      start: ["outside the provider's hours"],
    });
  }
  if (!can(actor.role, "schedule:override")) {
    await audit(db, actor, { action: "scheduling.override", outcome: "DENIED", reason: "missing schedule:override" });
    throw new DomainError("FORBIDDEN", "Booking outside a provider's hours needs the schedule override permission.");
  }
  return true;
}

/**
 * Book. The checks read in one statement; the write is one statement too (appointment, its BOOKED
 * transition, its reminders and the audit row as data-modifying CTEs), so a booking holds no
 * transaction open across round trips. A clash is not an error but an insert that did not happen
 * (ON CONFLICT DO NOTHING, with the exclusion constraint as the arbiter): nothing is written, the
 * answer is a CONFLICT offering the next free slots, and the pooled connection survives (node-pg
 * closes a connection whose query failed, and a burst of 199 losers then paid for 199 new
 * backends, the reason a burst used to take seconds and end in P2028).
 */
export async function book(actor: ScopedActor, input: z.output<typeof bookInput>) {
  const { patient, provider, location, type, calendar } = await context(actor.clinicId, input);
  if (patient!.status === "MERGED") throw new DomainError("BAD_REQUEST", "This patient record was merged; book on the surviving record.", { patientId: ["merged record"] });
  if (patient!.status !== "ACTIVE") throw new DomainError("BAD_REQUEST", "This patient is not active; reactivate the record before booking.", { patientId: ["patient is not active"] });
  if (input.start.getTime() < Date.now()) throw new DomainError("BAD_REQUEST", "Appointments cannot be booked in the past.", { start: ["in the past"] });
  const end = new Date(input.start.getTime() + type.durationMinutes * 60_000);
  const outside = await checkAvailability(actor, provider.user.name, calendar, location.id, location.timeZone, input.start, end, input.overrideAvailability);

  const id = randomUUID();
  const reminders = reminderRows(input.start, patient!);
  const a = auditRow(actor, { action: "scheduling.book", resourceType: "Appointment", resourceId: id, patientId: patient!.id, reason: outside ? "outside availability (override)" : undefined });
  const saved = await db.$queryRaw<{ version: number }[]>`
    WITH appointment_row AS (
      INSERT INTO appointment (id, clinic_id, patient_id, provider_id, location_id, appointment_type_id, starts_at, ends_at, reason, outside_availability, created_by_id, updated_by_id, updated_at)
      VALUES (${id}::uuid, ${actor.clinicId}::uuid, ${patient!.id}::uuid, ${provider.id}::uuid, ${location.id}::uuid, ${type.id}::uuid, ${input.start}::timestamptz, ${end}::timestamptz,
              ${input.reason ?? null}, ${outside}, ${actor.userId}::uuid, ${actor.userId}::uuid, now())
      -- The only constraint a new appointment can conflict with is appointment_no_double_booking
      -- (its id is new; room and ticket are empty): a clash inserts nothing and returns no row.
      ON CONFLICT DO NOTHING
      RETURNING id, version
    ), transition_row AS (
      INSERT INTO appointment_transition (appointment_id, to_status, by_id) SELECT id, 'BOOKED', ${actor.userId}::uuid FROM appointment_row
    ), reminder_rows AS (
      INSERT INTO reminder (id, appointment_id, channel, offset_minutes, due_at)
      SELECT r.id, appointment_row.id, r.channel::"ReminderChannel", r.offset_minutes, r.due_at
        FROM appointment_row, unnest(${reminders.map((r) => r.id)}::uuid[], ${reminders.map((r) => r.channel)}::text[], ${reminders.map((r) => r.offsetMinutes)}::int[], ${reminders.map((r) => r.dueAt.toISOString())}::timestamptz[])
             AS r(id, channel, offset_minutes, due_at)
    ), audit_row AS (
      INSERT INTO audit_event (clinic_id, user_id, role, session_id, ip, action, resource_type, resource_id, patient_id, outcome, reason)
      SELECT ${a.clinicId}::uuid, ${a.userId}::uuid, ${a.role}::"Role", ${a.sessionId}::uuid, ${a.ip}, ${a.action}, ${a.resourceType}, ${a.resourceId}, ${a.patientId}::uuid, ${a.outcome}::"AuditOutcome", ${a.reason}
        FROM appointment_row
    )
    SELECT version FROM appointment_row`;
  if (!saved.length) throw await clashError(actor.clinicId, input, location.timeZone, provider.user.name);
  const version = saved[0]!.version;
  announce("booked", { id, locationId: location.id, version, patientId: patient!.id, providerUserId: provider.user.id });
  return {
    id,
    patient: { id: patient!.id, mrn: patient!.mrn, name: `${patient!.familyName}, ${patient!.givenName}` },
    provider: { id: provider.id, name: provider.user.name },
    location,
    appointmentType: { id: type.id, name: type.name, color: type.color },
    start: input.start,
    end,
    status: "BOOKED" as const,
    room: null,
    ticket: null,
    reason: input.reason ?? null,
    cancelReason: null,
    arrivedAt: null,
    outsideAvailability: outside,
    version,
  };
}

async function lockAppointment(tx: Tx, clinicId: string, id: string) {
  const [row] = await tx.$queryRaw<{ id: string; status: Status; version: number; updated_by_id: string | null }[]>`
    SELECT id, status::text AS status, version, updated_by_id FROM appointment WHERE id = ${id}::uuid AND clinic_id = ${clinicId}::uuid FOR UPDATE`;
  if (!row) throw notFound("Appointment");
  return row;
}

export async function reschedule(actor: ScopedActor, input: z.output<typeof rescheduleInput>) {
  const current = await db.appointment.findFirst({ where: { id: input.appointmentId, clinicId: actor.clinicId }, select: { providerId: true, locationId: true, appointmentTypeId: true, patientId: true } });
  if (!current) throw notFound("Appointment");
  const providerId = input.providerId ?? current.providerId;
  const { provider, location, type, calendar } = await context(actor.clinicId, { providerId, locationId: current.locationId, appointmentTypeId: current.appointmentTypeId, start: input.start });
  if (input.start.getTime() < Date.now()) throw new DomainError("BAD_REQUEST", "Appointments cannot be moved into the past.", { start: ["in the past"] });
  const end = new Date(input.start.getTime() + type.durationMinutes * 60_000);
  const outside = await checkAvailability(actor, provider.user.name, calendar, location.id, location.timeZone, input.start, end, input.overrideAvailability);
  let updated;
  try {
    updated = await db.$transaction(async (tx) => {
      await tx.$executeRaw(providerTurn(providerId));
      const row = await lockAppointment(tx, actor.clinicId, input.appointmentId);
      if (!["BOOKED", "CONFIRMED"].includes(row.status)) throw new DomainError("BAD_REQUEST", `Only booked or confirmed appointments can be rescheduled (this one is ${row.status.toLowerCase().replace("_", " ")}).`);
      if (row.version !== input.version) {
        const by = row.updated_by_id ? await tx.user.findUnique({ where: { id: row.updated_by_id }, select: { name: true } }) : null;
        throw staleVersion("This appointment", by?.name ?? null, row.version);
      }
      const appointment = await tx.appointment.update({
        where: { id: input.appointmentId },
        data: { startsAt: input.start, endsAt: end, providerId, outsideAvailability: outside, version: { increment: 1 }, updatedById: actor.userId, transitions: { create: { fromStatus: row.status, toStatus: row.status, byId: actor.userId, note: "rescheduled" } } },
        select: appointmentSelect,
      });
      await moveReminders(tx, appointment.id, appointment.startsAt);
      await audit(tx, actor, { action: "scheduling.reschedule", resourceType: "Appointment", resourceId: appointment.id, patientId: current.patientId });
      return appointment;
    });
  } catch (error) {
    if (isDoubleBooking(error)) throw await clashError(actor.clinicId, { providerId, locationId: location.id, appointmentTypeId: type.id, start: input.start }, location.timeZone, provider.user.name);
    throw error;
  }
  announce("rescheduled", { id: updated.id, locationId: updated.locationId, version: updated.version, patientId: current.patientId, providerUserId: updated.provider.user.id });
  return toOutput(updated);
}

// ---------------------------------------------------------------- the visit flow

const FLOW = {
  confirm: { from: ["BOOKED"], to: "CONFIRMED", verb: "confirmed", label: "confirm" },
  checkIn: { from: ["BOOKED", "CONFIRMED"], to: "ARRIVED", verb: "checked-in", label: "check in" },
  room: { from: ["ARRIVED", "ROOMED"], to: "ROOMED", verb: "roomed", label: "room" },
  startVisit: { from: ["ARRIVED", "ROOMED"], to: "IN_VISIT", verb: "visit-started", label: "start the visit for" },
  checkOut: { from: ["ROOMED", "IN_VISIT"], to: "CHECKED_OUT", verb: "checked-out", label: "check out" },
  cancel: { from: ["BOOKED", "CONFIRMED"], to: "CANCELLED", verb: "cancelled", label: "cancel" },
  markNoShow: { from: ["BOOKED", "CONFIRMED"], to: "NO_SHOW", verb: "no-show", label: "mark as no-show" },
} as const satisfies Record<string, { from: readonly Status[]; to: Status; verb: AppointmentVerb; label: string }>;

export type TransitionAction = keyof typeof FLOW;

const describe = (status: Status) => status.toLowerCase().replace("_", " ");

/**
 * One step of the visit. A conditional update under a row lock, so two clerks pressing "check in"
 * at once produce one check-in and one clear refusal. Each step records who and when.
 */
export async function transition(actor: ScopedActor, appointmentId: string, action: TransitionAction, extra: { room?: string; reason?: string } = {}) {
  const step = FLOW[action];
  let updated;
  try {
    updated = await db.$transaction(async (tx) => {
      const row = await lockAppointment(tx, actor.clinicId, appointmentId);
      if (!(step.from as readonly Status[]).includes(row.status)) {
        throw new DomainError("BAD_REQUEST", `Cannot ${step.label} this appointment: it is ${describe(row.status)}.`, undefined, { status: row.status });
      }
      const appointment = await tx.appointment.findUniqueOrThrow({ where: { id: appointmentId }, select: { startsAt: true, locationId: true, patientId: true, location: { select: { timeZone: true, rooms: true } } } });
      const data: Prisma.AppointmentUpdateInput = { status: step.to, version: { increment: 1 }, updatedById: actor.userId };
      if (action === "checkIn") {
        const today = todayIn(appointment.location.timeZone);
        if (localParts(appointment.startsAt, appointment.location.timeZone).date !== today) {
          throw new DomainError("BAD_REQUEST", "Check-in is only possible on the day of the appointment.");
        }
        // Tickets count up per location and local day (the location's, not UTC's: a clinic's
        // evening is often the next UTC day); the advisory lock serialises concurrent check-ins,
        // and a unique index on (location, ticket_date, ticket) backs it.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ticket:${appointment.locationId}`}))`;
        const [ticket] = await tx.$queryRaw<{ next: number }[]>`
          SELECT coalesce(max(ticket), 0) + 1 AS next FROM appointment
           WHERE location_id = ${appointment.locationId}::uuid AND ticket_date = ${today}::date`;
        Object.assign(data, { ticket: ticket!.next, ticketDate: new Date(`${today}T00:00:00Z`), arrivedAt: new Date() });
      }
      if (action === "room") {
        if (!extra.room || !appointment.location.rooms.includes(extra.room)) {
          throw new DomainError("BAD_REQUEST", `Choose one of this location's rooms: ${appointment.location.rooms.join(", ")}.`, { room: ["not a room of this location"] });
        }
        data.room = extra.room;
      }
      if (action === "cancel") data.cancelReason = extra.reason ?? null;
      const saved = await tx.appointment.update({ where: { id: appointmentId }, data, select: { ...appointmentSelect, patientId: true } });
      await tx.appointmentTransition.create({ data: { appointmentId, fromStatus: row.status, toStatus: step.to, byId: actor.userId, note: extra.reason ?? extra.room ?? null } });
      if (action === "cancel" || action === "markNoShow") await cancelReminders(tx, appointmentId);
      await audit(tx, actor, { action: `scheduling.${action}`, resourceType: "Appointment", resourceId: appointmentId, patientId: appointment.patientId });
      return saved;
    });
  } catch (error) {
    if (action === "room" && isRoomTaken(error)) {
      throw new DomainError("CONFLICT", `${extra.room} already has a patient in it. Choose another room or check that patient out first.`, { room: ["occupied"] });
    }
    throw error;
  }
  announce(step.verb, { id: updated.id, locationId: updated.locationId, version: updated.version, patientId: updated.patientId, providerUserId: updated.provider.user.id });
  return toOutput(updated);
}

/** The repeatable job: booked/confirmed appointments past their start plus the grace period. */
export async function markNoShows(now = new Date()) {
  const cutoff = new Date(now.getTime() - env.NO_SHOW_GRACE_MINUTES * 60_000);
  const marked = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; location_id: string; patient_id: string; clinic_id: string; version: number; from_status: Status; provider_user_id: string }[]>`
      WITH due AS (
        SELECT id, status FROM appointment WHERE status IN ('BOOKED', 'CONFIRMED') AND starts_at < ${cutoff} ORDER BY starts_at LIMIT 1000 FOR UPDATE SKIP LOCKED
      )
      UPDATE appointment a SET status = 'NO_SHOW', version = a.version + 1, updated_at = now()
        FROM due, provider p
       WHERE a.id = due.id AND p.id = a.provider_id
      RETURNING a.id, a.location_id, a.patient_id, a.clinic_id, a.version, due.status::text AS from_status, p.user_id AS provider_user_id`;
    for (const r of rows) {
      await tx.appointmentTransition.create({ data: { appointmentId: r.id, fromStatus: r.from_status, toStatus: "NO_SHOW", byId: null, note: "never arrived" } });
      await cancelReminders(tx, r.id);
      await audit(tx, { userId: null, clinicId: r.clinic_id, role: null, sessionId: null, ip: null }, { action: "scheduling.markNoShow", resourceType: "Appointment", resourceId: r.id, patientId: r.patient_id, reason: "automatic after grace period" });
    }
    return rows;
  });
  for (const r of marked) announce("no-show", { id: r.id, locationId: r.location_id, version: r.version, patientId: r.patient_id, providerUserId: r.provider_user_id });
  return { marked: marked.length };
}

// ---------------------------------------------------------------- views

export async function day(actor: ScopedActor, input: z.output<typeof dayInput>) {
  // A provider's day is read in the clinic's (first location's) time zone when no location is named.
  const location = await db.location.findFirst({
    where: { clinicId: actor.clinicId, ...(input.locationId ? { id: input.locationId } : {}) },
    select: { timeZone: true },
    orderBy: { name: "asc" },
  });
  if (!location) throw notFound("Location");
  if (input.providerId && !(await db.provider.count({ where: { id: input.providerId, clinicId: actor.clinicId } }))) throw notFound("Provider");
  const { start, end } = localDayRange(input.date, location.timeZone);
  const rows = await db.appointment.findMany({
    where: { clinicId: actor.clinicId, startsAt: { gte: start, lt: end }, ...(input.locationId ? { locationId: input.locationId } : {}), ...(input.providerId ? { providerId: input.providerId } : {}) },
    select: appointmentSelect,
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  await audit(db, actor, { action: "scheduling.day", resourceType: "Appointment", reason: `${rows.length} appointments` });
  return rows.map(toOutput);
}

/** Today's waiting room at a location: who is here, since when, for whom, in which room. */
/** Today's waiting room at a location (arrived, roomed, in visit), in arrival order. Not audited: callers do. */
async function waitingRoom(locationId: string, timeZone: string) {
  const { start, end } = localDayRange(todayIn(timeZone), timeZone);
  const rows = await db.appointment.findMany({
    where: { locationId, startsAt: { gte: start, lt: end }, status: { in: ["ARRIVED", "ROOMED", "IN_VISIT"] } },
    select: { id: true, status: true, room: true, ticket: true, startsAt: true, arrivedAt: true, version: true, patient: { select: { id: true, givenName: true, familyName: true } }, provider: { select: { user: { select: { name: true } } } } },
    orderBy: [{ arrivedAt: "asc" }, { startsAt: "asc" }],
  });
  return rows.map((r) => ({
    appointmentId: r.id,
    patientId: r.patient.id,
    patientName: `${r.patient.familyName}, ${r.patient.givenName}`,
    givenName: r.patient.givenName,
    familyName: r.patient.familyName,
    providerName: r.provider.user.name,
    status: r.status,
    room: r.room,
    ticket: r.ticket,
    start: r.startsAt,
    arrivedAt: r.arrivedAt,
    version: r.version,
  }));
}

export async function board(actor: ScopedActor, locationId: string) {
  const location = await db.location.findFirst({ where: { id: locationId, clinicId: actor.clinicId }, select: { timeZone: true } });
  if (!location) throw notFound("Location");
  const rows = await waitingRoom(locationId, location.timeZone);
  await audit(db, actor, { action: "scheduling.board", resourceType: "Location", resourceId: locationId, reason: `${rows.length} waiting` });
  return rows.map(({ givenName: _given, familyName: _family, ...row }) => row);
}

/**
 * What the waiting-room screen shows: tickets and initials only, never names. For a paired screen
 * (screens.ts) as well as for staff; not audited, since nothing here identifies a patient.
 */
export async function waitingRoomScreen(locationId: string, timeZone: string) {
  const rows = await waitingRoom(locationId, timeZone);
  return rows.map((r) => ({ ticket: r.ticket, initials: `${r.givenName.charAt(0)}${r.familyName.charAt(0)}`.toUpperCase(), status: r.status, room: r.room }));
}

/** The public waiting-room screen for a signed-in user (the board page's preview). */
export async function publicBoard(actor: ScopedActor, locationId: string) {
  const location = await db.location.findFirst({ where: { id: locationId, clinicId: actor.clinicId }, select: { timeZone: true } });
  if (!location) throw notFound("Location");
  return waitingRoomScreen(locationId, location.timeZone);
}

export async function patientAppointments(actor: ScopedActor, patientId: string) {
  const patient = await db.patient.findFirst({ where: { id: patientId, clinicId: actor.clinicId }, select: { id: true } });
  if (!patient) throw notFound("Patient");
  const rows = await db.appointment.findMany({ where: { patientId }, select: appointmentSelect, orderBy: { startsAt: "desc" }, take: 100 });
  const past = await db.appointment.groupBy({ by: ["status"], where: { patientId, startsAt: { lt: new Date() } }, _count: { _all: true } });
  const count = (s: Status) => past.find((p) => p.status === s)?._count._all ?? 0;
  const attended = count("CHECKED_OUT") + count("IN_VISIT") + count("ROOMED") + count("ARRIVED");
  const noShows = count("NO_SHOW");
  await audit(db, actor, { action: "scheduling.patientAppointments", resourceType: "Patient", resourceId: patientId, patientId });
  return { appointments: rows.map(toOutput), noShows, noShowRate: attended + noShows ? noShows / (attended + noShows) : 0 };
}

export { ACTIVE as ACTIVE_STATUSES };
