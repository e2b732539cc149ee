import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { createWebServer } from "../../app.ts";
import { db } from "../../db.ts";
import { env } from "../../env.ts";
import { HttpClient } from "../../../tests/helpers/http.ts";
import { callerFor, createClinic, createPatient, createScheduling, DEMO_PASSWORD, middayZone, type ClinicFixture } from "../../../tests/factories/index.ts";
import { deliverDueReminders } from "./reminders.ts";
import { markNoShows } from "./service.ts";
import { addDays, localParts, localToUtc } from "./time.ts";

type Setup = Awaited<ReturnType<typeof createScheduling>>;
let fixture: ClinicFixture;
let setup: Setup;

beforeAll(async () => {
  fixture = await createClinic();
  setup = await createScheduling(fixture, { timeZone: middayZone() });
});

/** The next slot start at least `minutesAhead` from now on the 15-minute grid. */
function soon(minutesAhead = 60) {
  const t = Date.now() + minutesAhead * 60_000;
  return new Date(Math.ceil(t / (15 * 60_000)) * 15 * 60_000);
}

async function patientWithContacts(fields: Partial<{ email: string | null; phoneMobile: string | null; allowSms: boolean }> = {}) {
  const p = await createPatient(fixture.clinic.id);
  await db.patient.update({ where: { id: p.id }, data: { email: "pat@example.com", phoneMobile: "+16175550100", ...fields } });
  return p;
}

const booking = (patientId: string, start: Date) => ({ patientId, providerId: setup.provider.id, locationId: setup.location.id, appointmentTypeId: setup.type.id, start });

describe("booking", () => {
  it("offers open slots inside the provider's hours and skips booked ones", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const today = localParts(new Date(), setup.location.timeZone).date;
    const slots = await reception.scheduling.findSlots({ appointmentTypeId: setup.type.id, locationId: setup.location.id, from: today, limit: 200 });
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      expect(slot.start.getTime()).toBeGreaterThan(Date.now());
      const local = localParts(slot.start, setup.location.timeZone);
      expect(local.time >= "08:00" && localParts(slot.end, setup.location.timeZone).time <= "18:00").toBe(true);
    }
    const taken = slots[0]!;
    const patient = await patientWithContacts();
    await reception.scheduling.book(booking(patient.id, taken.start));
    const after = await reception.scheduling.findSlots({ appointmentTypeId: setup.type.id, locationId: setup.location.id, from: today, limit: 1 });
    expect(after[0]!.start.getTime()).not.toBe(taken.start.getTime());
  });

  it("books, writes its reminders, and refuses a double booking with next free slots", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const patient = await patientWithContacts();
    const start = soon(24 * 60 + 180); // tomorrow: both default reminders (24 h, 2 h) are in the future
    const appointment = await reception.scheduling.book(booking(patient.id, start));
    expect(appointment).toMatchObject({ status: "BOOKED", version: 1, outsideAvailability: false });
    const reminders = await db.reminder.findMany({ where: { appointmentId: appointment.id }, orderBy: [{ offsetMinutes: "desc" }, { channel: "asc" }] });
    expect(reminders.map((r) => `${r.channel}@${r.offsetMinutes}`)).toEqual(["EMAIL@1440", "SMS@1440", "EMAIL@120", "SMS@120"]);
    expect(reminders.map((r) => r.dueAt.getTime())).toEqual([1440, 1440, 120, 120].map((m) => start.getTime() - m * 60_000));
    expect(await db.auditEvent.count({ where: { resourceId: appointment.id, action: "scheduling.book" } })).toBe(1);

    const other = await patientWithContacts();
    const clash = await reception.scheduling.book(booking(other.id, start)).catch((e: unknown) => e);
    expect(clash).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already booked") });
    expect((clash as { cause: { details: { nextSlots: unknown[] } } }).cause.details.nextSlots.length).toBeGreaterThan(0);
    expect(await db.appointment.count({ where: { patientId: other.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { patientId: other.id, action: "scheduling.book" } })).toBe(0);

    // Moving another appointment onto the taken time is refused the same way, and moves nothing.
    const later = await reception.scheduling.book(booking(other.id, new Date(start.getTime() + 60 * 60_000)));
    const move = await reception.scheduling.reschedule({ appointmentId: later.id, version: later.version, start }).catch((e: unknown) => e);
    expect(move).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already booked") });
    expect(await db.appointment.findUnique({ where: { id: later.id }, select: { startsAt: true, version: true } })).toEqual({ startsAt: later.start, version: 1 });
  });

  it("lets exactly one of 20 simultaneous bookings of one slot succeed (the database refuses the rest)", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const start = soon(3 * 24 * 60);
    const patients = await Promise.all(Array.from({ length: 20 }, () => createPatient(fixture.clinic.id)));
    const results = await Promise.allSettled(patients.map((p) => reception.scheduling.book(booking(p.id, start))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failures.map((f) => (f.reason as { code: string }).code)).toEqual(Array(19).fill("CONFLICT"));
    expect(await db.appointment.count({ where: { providerId: setup.provider.id, startsAt: start, status: "BOOKED" } })).toBe(1);
  });

  it("rejects bad bookings with field errors and writes nothing", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const patient = await patientWithContacts();
    const before = await db.appointment.count({ where: { clinicId: fixture.clinic.id } });
    await expect(reception.scheduling.book(booking(patient.id, new Date(Date.now() - 3_600_000)))).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("past") });
    const unknown = await reception.scheduling.book({ ...booking(patient.id, soon()), providerId: "00000000-0000-4000-8000-000000000000" }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: "BAD_REQUEST", cause: { fieldErrors: { providerId: ["provider not found"] } } });
    await db.patient.update({ where: { id: patient.id }, data: { status: "INACTIVE" } });
    await expect(reception.scheduling.book(booking(patient.id, soon(48 * 60)))).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("not active") });
    await expect(reception.scheduling.book({ ...booking(patient.id, soon()), start: "not a date" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.appointment.count({ where: { clinicId: fixture.clinic.id } })).toBe(before);
  });

  it("needs the override permission to book outside hours, and audits it", async () => {
    const patient = await patientWithContacts();
    const day = localParts(soon(5 * 24 * 60), setup.location.timeZone).date;
    const lateEvening = localToUtc(day, "20:00", setup.location.timeZone);
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    await expect(reception.scheduling.book(booking(patient.id, lateEvening))).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("does not see patients") });
    await expect(reception.scheduling.book({ ...booking(patient.id, lateEvening), overrideAvailability: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await callerFor(fixture.users.ADMIN.id);
    const booked = await admin.scheduling.book({ ...booking(patient.id, lateEvening), overrideAvailability: true });
    expect(booked.outsideAvailability).toBe(true);
    expect(await db.auditEvent.findFirst({ where: { resourceId: booked.id, action: "scheduling.book" }, select: { reason: true } })).toEqual({ reason: "outside availability (override)" });
  });
});

describe("a burst the database cannot take in time", () => {
  it("answers 503 naming the database, never 500, and loses nothing", async () => {
    const server = await createWebServer({ port: 0, host: "127.0.0.1", remix: "none" });
    const locker = new pg.Client({ connectionString: env.DATABASE_URL });
    try {
      // A clinic of its own, so this appointment for today clashes with no other test's.
      const clinic = await createClinic();
      const own = await createScheduling(clinic, { timeZone: middayZone() });
      const patient = await createPatient(clinic.clinic.id);
      const reception = await callerFor(clinic.users.RECEPTIONIST.id);
      const appointment = await reception.scheduling.book({ patientId: patient.id, providerId: own.provider.id, locationId: own.location.id, appointmentTypeId: own.type.id, start: soon(45) });
      const clerk = new HttpClient(server.url);
      await clerk.signIn(clinic.users.RECEPTIONIST.email, DEMO_PASSWORD);
      // A long operation holds the appointment's row while a dozen check-ins arrive: each check-in
      // holds a pooled connection while it waits for the row, so the pool (10) runs out.
      await locker.connect();
      await locker.query("BEGIN");
      await locker.query("SELECT id FROM appointment WHERE id = $1 FOR UPDATE", [appointment.id]);
      const requests = Array.from({ length: 12 }, () => clerk.trpc("scheduling.checkIn", { appointmentId: appointment.id }, "mutation"));
      const first = await Promise.race(requests);
      expect(first.status).toBe(503);
      expect(first.body.error).toMatchObject({ message: expect.stringContaining("database"), data: { code: "SERVICE_UNAVAILABLE" } });
      await locker.query("COMMIT");

      const all = await Promise.all(requests);
      expect(all.filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
      expect(all.filter((r) => r.status === 200)).toHaveLength(1);
      expect(await db.appointmentTransition.count({ where: { appointmentId: appointment.id, toStatus: "ARRIVED" } })).toBe(1);
    } finally {
      await locker.end().catch(() => undefined);
      await server.close();
    }
  }, 60_000);
});

describe("the visit flow and the board", () => {
  it("checks in (with a ticket), rooms, starts and checks out; refuses invalid steps; the board shows who is waiting", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const nurse = await callerFor(fixture.users.NURSE.id);
    const [p1, p2] = await Promise.all([patientWithContacts(), patientWithContacts()]);
    const a1 = await reception.scheduling.book(booking(p1.id, soon(60)));
    const a2 = await reception.scheduling.book(booking(p2.id, soon(120)));

    await expect(reception.scheduling.checkOut({ appointmentId: a1.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Cannot check out this appointment: it is booked." });
    // Two clerks press "check in" at once: one check-in, one clear refusal.
    const both = await Promise.allSettled([reception.scheduling.checkIn({ appointmentId: a1.id }), nurse.scheduling.checkIn({ appointmentId: a1.id })]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const arrived1 = (both.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<typeof a1>).value;
    const arrived2 = await reception.scheduling.checkIn({ appointmentId: a2.id });
    expect(arrived2.ticket).toBe(arrived1.ticket! + 1);

    const board = await reception.scheduling.board({ locationId: setup.location.id });
    expect(board.map((r) => r.appointmentId)).toEqual(expect.arrayContaining([a1.id, a2.id]));
    const screen = await reception.scheduling.publicBoard({ locationId: setup.location.id });
    expect(JSON.stringify(screen)).not.toMatch(/Patient\d|Test/);
    expect(screen.every((r) => /^[A-Z]{0,2}$/.test(r.initials))).toBe(true);

    await nurse.scheduling.room({ appointmentId: a1.id, room: "Exam 1" });
    await expect(nurse.scheduling.room({ appointmentId: a2.id, room: "Exam 1" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Exam 1") });
    await expect(nurse.scheduling.room({ appointmentId: a2.id, room: "Broom cupboard" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await nurse.scheduling.startVisit({ appointmentId: a1.id });
    const done = await nurse.scheduling.checkOut({ appointmentId: a1.id });
    expect(done.status).toBe("CHECKED_OUT");
    const trail = await db.appointmentTransition.findMany({ where: { appointmentId: a1.id }, orderBy: { id: "asc" }, select: { toStatus: true, byId: true } });
    expect(trail.map((t) => t.toStatus)).toEqual(["BOOKED", "ARRIVED", "ROOMED", "IN_VISIT", "CHECKED_OUT"]);
    expect(trail.every((t) => t.byId)).toBe(true);
    expect((await reception.scheduling.board({ locationId: setup.location.id })).map((r) => r.appointmentId)).not.toContain(a1.id);
  });

  it("marks booked appointments whose patient never came as no-shows and counts them on the patient", async () => {
    const patient = await patientWithContacts();
    const appointment = await db.appointment.create({
      data: { clinicId: fixture.clinic.id, patientId: patient.id, providerId: setup.provider.id, locationId: setup.location.id, appointmentTypeId: setup.type.id, startsAt: new Date(Date.now() - 3 * 3_600_000), endsAt: new Date(Date.now() - 2.5 * 3_600_000), createdById: fixture.users.RECEPTIONIST.id },
    });
    const result = await markNoShows();
    expect(result.marked).toBeGreaterThanOrEqual(1);
    expect(await db.appointment.findUnique({ where: { id: appointment.id }, select: { status: true } })).toEqual({ status: "NO_SHOW" });
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const stats = await reception.scheduling.patientAppointments({ patientId: patient.id });
    expect(stats).toMatchObject({ noShows: 1, noShowRate: 1 });
    expect(await db.appointmentTransition.findFirst({ where: { appointmentId: appointment.id, toStatus: "NO_SHOW" }, select: { byId: true } })).toEqual({ byId: null });
  });
});

/** A fixed-offset zone in which it is now between 00:00 and 01:00 local time. */
function justAfterMidnightZone(now = new Date()) {
  const hour = now.getUTCHours();
  const offset = hour <= 12 ? -hour : 24 - hour;
  return offset === 0 ? "Etc/UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`; // POSIX signs: Etc/GMT-5 is UTC+5
}

describe("waiting-room tickets", () => {
  it("count per local day: the first check-in after local midnight gets ticket 1, and a day keeps counting past a UTC midnight", async () => {
    const clinic = await createClinic();
    const zone = justAfterMidnightZone();
    const own = await createScheduling(clinic, { timeZone: zone });
    const reception = await callerFor(clinic.users.RECEPTIONIST.id);
    const today = localParts(new Date(), zone).date;
    const yesterday = addDays(today, -1);
    const [late, first, second] = await Promise.all([1, 2, 3].map(() => createPatient(clinic.clinic.id)));
    const at = (patientId: string, date: string, time: string) => ({ patientId, providerId: own.provider.id, locationId: own.location.id, appointmentTypeId: own.type.id, start: localToUtc(date, time, zone) });
    // Last night's late clinic (23:00 local, the same UTC date as this morning): ticket 7 of yesterday.
    const lateStart = localToUtc(yesterday, "23:00", zone);
    await db.appointment.create({
      data: {
        clinicId: clinic.clinic.id, patientId: late!.id, providerId: own.provider.id, locationId: own.location.id, appointmentTypeId: own.type.id,
        startsAt: lateStart, endsAt: new Date(lateStart.getTime() + 30 * 60_000), status: "CHECKED_OUT",
        ticket: 7, ticketDate: new Date(`${yesterday}T00:00:00Z`), arrivedAt: lateStart, createdById: clinic.users.RECEPTIONIST.id,
      },
    });
    const morning = await reception.scheduling.book(at(first!.id, today, "08:00"));
    const evening = await reception.scheduling.book(at(second!.id, today, "17:30")); // the next UTC day in most zones
    expect((await reception.scheduling.checkIn({ appointmentId: morning.id })).ticket).toBe(1);
    expect((await reception.scheduling.checkIn({ appointmentId: evening.id })).ticket).toBe(2);
    const screen = await reception.scheduling.publicBoard({ locationId: own.location.id });
    expect(screen.map((r) => r.ticket).sort()).toEqual([1, 2]);
  });
});

describe("reminders", () => {
  /** Time passes: the reminder is due now. */
  const makeDue = (id: string) => db.reminder.update({ where: { id }, data: { dueAt: new Date(Date.now() - 1_000) } });
  const stateOf = (id: string) => db.reminder.findUniqueOrThrow({ where: { id }, select: { status: true, generation: true, skipReason: true } });
  /** Sweep as the worker does every few seconds, until the reminder has been dealt with (a worker of another test may take it first). */
  async function sweepUntilHandled(id: string) {
    for (let i = 0; i < 100 && (await stateOf(id)).status === "SCHEDULED"; i++) {
      await deliverDueReminders({ clinicId: fixture.clinic.id });
      await new Promise((r) => setTimeout(r, 50));
    }
    return stateOf(id);
  }

  it("sends each due reminder once, respects contact preferences, and follows reschedules and cancellations", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const patient = await patientWithContacts({ allowSms: false });
    const appointment = await reception.scheduling.book(booking(patient.id, soon(26 * 60)));
    const [email, sms] = await Promise.all(
      (["EMAIL", "SMS"] as const).map((channel) => db.reminder.findFirstOrThrow({ where: { appointmentId: appointment.id, channel, offsetMinutes: 1440 } })),
    );
    await deliverDueReminders({ clinicId: fixture.clinic.id });
    expect(await stateOf(email!.id)).toMatchObject({ status: "SCHEDULED" }); // not due yet: nothing goes out
    expect(await db.outboxMessage.count({ where: { reminderId: email!.id } })).toBe(0);

    await Promise.all([makeDue(email!.id), makeDue(sms!.id)]);
    expect(await sweepUntilHandled(email!.id)).toMatchObject({ status: "SENT" });
    expect(await sweepUntilHandled(sms!.id)).toEqual({ status: "SKIPPED", generation: 1, skipReason: "patient does not accept text messages" });
    const message = await db.outboxMessage.findFirstOrThrow({ where: { reminderId: email!.id } });
    expect(message).toMatchObject({ recipient: "pat@example.com", generation: 1, body: expect.stringContaining("Dr. Priya Raman") });
    expect(message.ics).toContain("BEGIN:VEVENT");
    expect(await db.outboxMessage.count({ where: { reminderId: sms!.id } })).toBe(0);

    await deliverDueReminders({ clinicId: fixture.clinic.id }); // another sweep, another worker: nothing more
    // Even a reminder whose SENT state were lost goes out once: the outbox key refuses a second message.
    await db.reminder.update({ where: { id: email!.id }, data: { status: "SCHEDULED" } });
    expect(await sweepUntilHandled(email!.id)).toMatchObject({ status: "SENT" });
    expect(await db.outboxMessage.count({ where: { reminderId: email!.id } })).toBe(1);

    const newStart = soon(50 * 60);
    const moved = await reception.scheduling.reschedule({ appointmentId: appointment.id, version: appointment.version, start: newStart });
    const afterMove = await db.reminder.findUniqueOrThrow({ where: { id: email!.id } });
    expect(afterMove).toMatchObject({ status: "SCHEDULED", generation: 2, dueAt: new Date(newStart.getTime() - 1440 * 60_000) });
    await deliverDueReminders({ clinicId: fixture.clinic.id });
    expect(await db.outboxMessage.count({ where: { reminderId: email!.id } })).toBe(1); // the new time is not due yet
    await makeDue(email!.id);
    expect(await sweepUntilHandled(email!.id)).toMatchObject({ status: "SENT", generation: 2 });
    const second = await db.outboxMessage.findFirstOrThrow({ where: { reminderId: email!.id, generation: 2 } });
    const local = localParts(newStart, setup.location.timeZone);
    expect(second.body).toContain(`${local.date} at ${local.time}`); // the reminder names the new time
    await expect(reception.scheduling.reschedule({ appointmentId: appointment.id, version: appointment.version, start: soon(52 * 60) })).rejects.toMatchObject({ code: "CONFLICT" });

    await reception.scheduling.cancel({ appointmentId: moved.id, reason: "patient request" });
    const left = await db.reminder.findMany({ where: { appointmentId: appointment.id, offsetMinutes: 120 }, select: { id: true, status: true } });
    expect(left.map((r) => r.status)).toEqual(["CANCELLED", "CANCELLED"]);
    await Promise.all(left.map((r) => makeDue(r.id)));
    await deliverDueReminders({ clinicId: fixture.clinic.id });
    expect(await db.outboxMessage.count({ where: { reminderId: { in: left.map((r) => r.id) } } })).toBe(0);
  });
});
