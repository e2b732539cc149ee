import { randomUUID } from "node:crypto";
import { db } from "../../server/db.ts";
import { hashPassword } from "../../server/auth/password.ts";
import { createSession, resolveSession, type ActiveSession } from "../../server/auth/sessions.ts";
import { ROLES, type Role } from "../../server/permissions/registry.ts";
import { contextFor } from "../../server/trpc/context.ts";
import { createCaller } from "../../server/trpc/router.ts";

/**
 * Builders shared by the tests and the demo seed. Each test makes its own clinic, so tests never
 * depend on each other's rows and can run in parallel against one database.
 */

export const DEMO_PASSWORD = "carelane-demo";

// argon2 is slow on purpose; hashing the same password once per process keeps tests fast.
const hashes = new Map<string, Promise<string>>();
const hashOnce = (password: string) => {
  let hash = hashes.get(password);
  if (!hash) hashes.set(password, (hash = hashPassword(password)));
  return hash;
};

export interface ClinicFixture {
  clinic: { id: string; name: string };
  locations: { id: string; name: string }[];
  users: Record<Role, { id: string; email: string; name: string; role: Role }>;
}

const ROLE_NAMES: Record<Role, string> = {
  ADMIN: "Alex Admin",
  PHYSICIAN: "Dr. Priya Raman",
  NURSE: "Nora Nurse",
  RECEPTIONIST: "Rita Reception",
  BILLING: "Ben Billing",
  MANAGER: "Maya Manager",
};

const ROLE_EMAIL: Record<Role, string> = {
  ADMIN: "admin",
  PHYSICIAN: "physician",
  NURSE: "nurse",
  RECEPTIONIST: "reception",
  BILLING: "billing",
  MANAGER: "manager",
};

/**
 * A clinic with two locations and one user per role. `emailDomain` defaults to a unique one so
 * parallel tests never collide; the demo seed passes "carelane.test".
 */
export async function createClinic(options: { name?: string; slug?: string; emailDomain?: string; password?: string } = {}): Promise<ClinicFixture> {
  const tag = randomUUID().slice(0, 8);
  const domain = options.emailDomain ?? `${tag}.test`;
  const passwordHash = await hashOnce(options.password ?? DEMO_PASSWORD);
  return db.$transaction(async (tx) => {
    const clinic = await tx.clinic.create({
      data: { name: options.name ?? `Test Clinic ${tag}`, slug: options.slug ?? `test-${tag}` },
      select: { id: true, name: true },
    });
    const locations = [];
    for (const [name, rooms] of [["Riverside", ["Exam 1", "Exam 2", "Exam 3"]], ["Hillcrest", ["Room A", "Room B"]]] as const) {
      locations.push(await tx.location.create({ data: { clinicId: clinic.id, name, rooms: [...rooms] }, select: { id: true, name: true } }));
    }
    const users = {} as ClinicFixture["users"];
    for (const role of ROLES) {
      users[role] = await tx.user.create({
        data: { clinicId: clinic.id, role, name: ROLE_NAMES[role], email: `${ROLE_EMAIL[role]}@${domain}`, passwordHash },
        select: { id: true, email: true, name: true, role: true },
      });
    }
    return { clinic, locations, users };
  });
}

/** A signed-in session for a user, as sign-in would create it. */
export async function signIn(userId: string): Promise<ActiveSession> {
  const { id } = await createSession(userId, { ip: "127.0.0.1", userAgent: "vitest" });
  const session = await resolveSession(id);
  if (!session) throw new Error("factory: new session did not resolve");
  return session;
}

/** A tRPC caller acting as a user (or as nobody), exactly as an HTTP request would. */
export async function callerFor(userId: string | null) {
  const session = userId ? await signIn(userId) : null;
  return createCaller(contextFor(session, "127.0.0.1"));
}

let patientCounter = 0;
export async function createPatient(clinicId: string, fields: Partial<{ givenName: string; familyName: string; dateOfBirth: string; sex: "FEMALE" | "MALE" | "INTERSEX" | "UNKNOWN" }> = {}) {
  const { withCheckDigit } = await import("../../server/modules/patients/service.ts");
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT nextval('patient_mrn_seq') AS n`;
  patientCounter++;
  return db.patient.create({
    data: {
      clinicId,
      mrn: withCheckDigit(String(row!.n)),
      givenName: fields.givenName ?? "Test",
      familyName: fields.familyName ?? `Patient${patientCounter}`,
      dateOfBirth: new Date(`${fields.dateOfBirth ?? "1980-01-01"}T00:00:00Z`),
      sex: fields.sex ?? "UNKNOWN",
    },
    select: { id: true, mrn: true, version: true, clinicId: true },
  });
}

/** A valid NPI (Luhn over the 80840 prefix) from any 9-digit base. */
export function npiFor(base: number): string {
  const nine = String(base % 1_000_000_000).padStart(9, "0");
  for (let check = 0; check <= 9; check++) {
    const digits = `80840${nine}${check}`;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return `${nine}${check}`;
  }
  throw new Error("unreachable");
}

let npiCounter = Math.floor(Math.random() * 100_000_000);

/**
 * Scheduling for a clinic: the physician as a provider working every day at the first location
 * (08:00–18:00 local) and a 30-minute follow-up type. `timeZone` lets tests pick a zone where it
 * is currently mid-day, so "today" appointments never straddle midnight whatever time CI runs.
 */
export async function createScheduling(fixture: ClinicFixture, options: { timeZone?: string; hours?: [string, string] } = {}) {
  const location = fixture.locations[0]!;
  if (options.timeZone) await db.location.update({ where: { id: location.id }, data: { timeZone: options.timeZone } });
  const provider = await db.provider.create({
    data: { clinicId: fixture.clinic.id, userId: fixture.users.PHYSICIAN.id, npi: npiFor(npiCounter++), specialty: "Family medicine" },
    select: { id: true },
  });
  const [start, end] = options.hours ?? ["08:00", "18:00"];
  await db.availability.createMany({ data: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ providerId: provider.id, locationId: location.id, weekday, startTime: start, endTime: end })) });
  const type = await db.appointmentType.create({ data: { clinicId: fixture.clinic.id, name: "Follow-up", durationMinutes: 30 }, select: { id: true, durationMinutes: true } });
  return { provider, type, location: { ...location, timeZone: options.timeZone ?? "America/New_York" } };
}

/** An IANA fixed-offset zone in which the local time is now about noon. */
export function middayZone(now = new Date()): string {
  const offset = 12 - now.getUTCHours(); // hours to add to UTC to reach ~12:00
  const clamped = Math.max(-12, Math.min(14, offset > 12 ? offset - 24 : offset));
  // Etc/GMT zones use POSIX signs: Etc/GMT-5 is UTC+5.
  return clamped === 0 ? "Etc/UTC" : `Etc/GMT${clamped > 0 ? "-" : "+"}${Math.abs(clamped)}`;
}

// ---------------------------------------------------------------- charts

let appointmentSlot = 0;

/**
 * An appointment of the scheduling fixture's provider, already in `status` (default ARRIVED, so
 * an encounter can be opened from it). Each call takes the next 30-minute slot back from now, so
 * a test's appointments never clash in the provider's calendar.
 */
export async function createAppointment(
  fixture: ClinicFixture,
  setup: Awaited<ReturnType<typeof createScheduling>>,
  patientId: string,
  options: { status?: "BOOKED" | "CONFIRMED" | "ARRIVED" | "ROOMED" | "IN_VISIT" | "CHECKED_OUT" | "CANCELLED" | "NO_SHOW"; startsAt?: Date; reason?: string } = {},
) {
  const startsAt = options.startsAt ?? new Date(Math.floor(Date.now() / 1_800_000) * 1_800_000 - appointmentSlot++ * 1_800_000);
  return db.appointment.create({
    data: {
      clinicId: fixture.clinic.id,
      patientId,
      providerId: setup.provider.id,
      locationId: setup.location.id,
      appointmentTypeId: setup.type.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + setup.type.durationMinutes * 60_000),
      status: options.status ?? "ARRIVED",
      arrivedAt: ["ARRIVED", "ROOMED", "IN_VISIT", "CHECKED_OUT"].includes(options.status ?? "ARRIVED") ? startsAt : null,
      reason: options.reason ?? null,
      createdById: fixture.users.RECEPTIONIST.id,
    },
    select: { id: true, status: true, startsAt: true },
  });
}
