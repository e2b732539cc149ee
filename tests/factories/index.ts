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
