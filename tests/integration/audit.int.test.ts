import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { callerFor, createClinic, createPatient, type ClinicFixture } from "../factories/index.ts";

let fixture: ClinicFixture;
beforeAll(async () => {
  fixture = await createClinic();
});

describe("audit trail", () => {
  it("records a read of patient data: who, role, what, which patient, from where", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const nurse = await callerFor(fixture.users.NURSE.id);
    await nurse.patients.get({ id: patient.id });
    const row = await db.auditEvent.findFirst({ where: { patientId: patient.id, action: "patients.get" } });
    expect(row).toMatchObject({
      userId: fixture.users.NURSE.id,
      role: "NURSE",
      clinicId: fixture.clinic.id,
      resourceType: "Patient",
      resourceId: patient.id,
      outcome: "SUCCESS",
      ip: "127.0.0.1",
    });
    expect(row?.sessionId).toBeTruthy();
  });

  it("records a write in the same transaction as the change", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const created = await reception.patients.register({ givenName: "Ada", familyName: "Lovelace", dateOfBirth: "1990-12-10", sex: "FEMALE" });
    const row = await db.auditEvent.findFirst({ where: { patientId: created.id, action: "patients.register" } });
    expect(row?.userId).toBe(fixture.users.RECEPTIONIST.id);
    expect(created.mrn).toMatch(/^\d{8}$/);
  });

  it("records denials", async () => {
    const billing = await callerFor(fixture.users.BILLING.id);
    await expect(billing.access.listUsers()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const row = await db.auditEvent.findFirst({ where: { userId: fixture.users.BILLING.id, action: "access.listUsers" } });
    expect(row).toMatchObject({ outcome: "DENIED", reason: "missing user:manage" });
  });

  it("cannot be changed or deleted by the application's database role", async () => {
    const [row] = await db.auditEvent.findMany({ where: { clinicId: fixture.clinic.id }, take: 1, orderBy: { id: "asc" } });
    await expect(db.$executeRaw`UPDATE audit_event SET outcome = 'FAILURE' WHERE id = ${row!.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM audit_event WHERE id = ${row!.id}`).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.update({ where: { id: row!.id }, data: { reason: "x" } })).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findUnique({ where: { id: row!.id } })).toEqual(row);
  });

  it("lets an admin page through the clinic's trail, newest first, and never another clinic's", async () => {
    const other = await createClinic();
    await (await callerFor(other.users.NURSE.id)).access.me();
    const admin = await callerFor(fixture.users.ADMIN.id);
    const first = await admin.access.auditLog({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(BigInt(first.items[0]!.id)).toBeGreaterThan(BigInt(first.items[1]!.id));
    const second = await admin.access.auditLog({ limit: 2, cursor: first.nextCursor! });
    expect(BigInt(second.items[0]!.id)).toBeLessThan(BigInt(first.items[1]!.id));
    const all = await admin.access.auditLog({ limit: 200 });
    expect(all.items.every((item) => item.userId === null || Object.values(fixture.users).some((u) => u.id === item.userId))).toBe(true);
  });
});
