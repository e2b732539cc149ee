import { beforeAll, describe, expect, it } from "vitest";
import type { TRPCError } from "@trpc/server";
import { db } from "../../db.ts";
import type { DomainError } from "../../errors.ts";
import { patientOutput } from "./schemas.ts";
import { callerFor, createClinic, createPatient, type ClinicFixture } from "../../../tests/factories/index.ts";

let fixture: ClinicFixture;
beforeAll(async () => {
  fixture = await createClinic();
});

const ada = {
  givenName: "Ada",
  familyName: "Lovelace",
  preferredName: "Addie",
  dateOfBirth: "1985-12-10",
  sex: "FEMALE" as const,
  pronouns: "she/her",
  phoneMobile: "(617) 555-0142",
  email: "Ada.Lovelace@Example.com",
  addressLine1: "12 Analytical Way",
  city: "Boston",
  region: "MA",
  postalCode: "02118",
  preferredLanguage: "en",
  emergencyContacts: [{ name: "William King", relation: "spouse", phone: "617-555-0199" }],
  identifiers: [{ kind: "SSN" as const, value: "219-09-9999" }],
};

describe("registration and demographics", () => {
  it("registers a patient with an MRN, normalised contacts and a masked, encrypted SSN", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const patient = await reception.patients.register(ada);
    expect(patient.mrn).toMatch(/^\d{8}$/);
    expect(patient).toMatchObject({ phoneMobile: "+16175550142", email: "ada.lovelace@example.com", version: 1, status: "ACTIVE" });
    expect(patient.emergencyContacts).toEqual([expect.objectContaining({ name: "William King", phone: "+16175550199" })]);
    expect(patient.identifiers).toEqual([{ kind: "SSN", issuer: null, last4: "9999" }]);
    const stored = await db.patientIdentifier.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(stored.ciphertext).not.toContain("219099999");
    expect(JSON.stringify(patient)).not.toContain("219099999");
  });

  it("rejects bad input with field messages and writes nothing", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const before = await db.patient.count({ where: { clinicId: fixture.clinic.id } });
    const error = await reception.patients
      .register({ givenName: " ", familyName: "Smith", dateOfBirth: "2999-01-01", sex: "MALE", phoneMobile: "12", email: "nope", identifiers: [{ kind: "SSN", value: "000-12-3456" }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const issues = (error as { cause: { issues: { path: (string | number)[]; message: string }[] } }).cause.issues;
    expect(issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(
      expect.arrayContaining([
        "givenName: Given name is required",
        "dateOfBirth: Date of birth cannot be in the future",
        "phoneMobile: Mobile phone is not a valid phone number",
        "email: Email must be an address like name@example.com",
        "identifiers.0.value: SSN must be 9 digits like 123-45-6789 and a valid number",
      ]),
    );
    expect(await db.patient.count({ where: { clinicId: fixture.clinic.id } })).toBe(before);
  });

  it("warns about a likely duplicate before saving and registers it only when confirmed", async () => {
    const clinic = await createClinic();
    const reception = await callerFor(clinic.users.RECEPTIONIST.id);
    const first = await reception.patients.register({ givenName: "Jonathan", familyName: "Smith", dateOfBirth: "1970-04-02", sex: "MALE", phoneMobile: "6175550100" });

    const candidates = await reception.patients.duplicates({ givenName: "Jonathon", familyName: "Smith", dateOfBirth: "1970-04-02" });
    expect(candidates).toEqual([expect.objectContaining({ id: first.id, reasons: ["same date of birth and similar name"] })]);
    const byPhone = await reception.patients.duplicates({ givenName: "Mary", familyName: "Jones", dateOfBirth: "1990-01-01", phoneMobile: "+1 617 555 0100" });
    expect(byPhone.map((c) => c.reasons)).toEqual([["same phone"]]);

    const attempt = { givenName: "Jonathon", familyName: "Smith", dateOfBirth: "1970-04-02", sex: "MALE" as const };
    const refused = await reception.patients.register(attempt).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "CONFLICT", message: expect.stringContaining(first.mrn) });
    expect(await db.patient.count({ where: { clinicId: clinic.clinic.id } })).toBe(1);

    const second = await reception.patients.register({ ...attempt, confirmDuplicate: true });
    expect(second.id).not.toBe(first.id);
    const audited = await db.auditEvent.findFirst({ where: { patientId: second.id, action: "patients.register" } });
    expect(audited?.reason).toBe("registered despite likely duplicate");
  });

  it("finds a duplicate by identifier without decrypting anything", async () => {
    const clinic = await createClinic();
    const reception = await callerFor(clinic.users.RECEPTIONIST.id);
    const first = await reception.patients.register({ givenName: "Ruth", familyName: "Ng", dateOfBirth: "1961-02-03", sex: "FEMALE", identifiers: [{ kind: "SSN", value: "123-45-6789" }] });
    const candidates = await reception.patients.duplicates({ givenName: "Rita", familyName: "Nguyen", dateOfBirth: "1999-09-09", identifiers: [{ kind: "SSN", value: "123456789" }] });
    expect(candidates).toEqual([expect.objectContaining({ id: first.id, reasons: ["same identifier"] })]);
  });

  it("refuses a stale save and names who changed the record; the newer data survives", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const nurse = await callerFor(fixture.users.NURSE.id);
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    await nurse.patients.update({ id: patient.id, version: 1, phoneMobile: "617-555-0111" });
    await expect(physician.patients.update({ id: patient.id, version: 1, phoneMobile: "617-555-0122" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(fixture.users.NURSE.name),
    });
    expect(await physician.patients.get({ id: patient.id })).toMatchObject({ phoneMobile: "+16175550111", version: 2, updatedBy: { name: fixture.users.NURSE.name } });
  });

  it("sends the current record with a conflict, so resolving it needs no re-read (and no read-audit row)", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const nurse = await callerFor(fixture.users.NURSE.id);
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    await nurse.patients.update({ id: patient.id, version: 1, phoneMobile: "617-555-0111" });
    const error = await physician.patients.update({ id: patient.id, version: 1, email: "new@example.com" }).catch((e: unknown) => e);
    const details = ((error as TRPCError).cause as DomainError).details as { currentVersion: number; changedBy: string; changedAt: string; current: Record<string, unknown> };
    expect(details).toMatchObject({ currentVersion: 2, changedBy: fixture.users.NURSE.name, changedAt: expect.any(String) });
    expect(details.current).toMatchObject({ id: patient.id, phoneMobile: "+16175550111", version: 2, updatedBy: { name: fixture.users.NURSE.name } });
    // As `get` answers it: the output schema drops nothing, and no identifier leaves in full.
    expect(patientOutput.parse(details.current)).toEqual(details.current);

    const saved = await physician.patients.update({ id: patient.id, version: details.currentVersion, email: "new@example.com" });
    expect(saved).toMatchObject({ phoneMobile: "+16175550111", email: "new@example.com", version: 3 });
    expect(await db.auditEvent.count({ where: { patientId: patient.id, action: "patients.get" } })).toBe(0);
  });

  it("deactivates, reactivates and records a death; nothing is deleted", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const inactive = await reception.patients.setStatus({ id: patient.id, version: 1, status: "INACTIVE" });
    const active = await reception.patients.setStatus({ id: patient.id, version: inactive.version, status: "ACTIVE" });
    await expect(reception.patients.setStatus({ id: patient.id, version: active.version, status: "DECEASED" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const deceased = await reception.patients.setStatus({ id: patient.id, version: active.version, status: "DECEASED", deceasedOn: "2026-01-15" });
    expect(deceased).toMatchObject({ status: "DECEASED", deceasedOn: "2026-01-15", version: 4 });
  });

  it("reveals a full identifier only to permitted roles, and audits the reveal", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const patient = await reception.patients.register({ ...ada, givenName: "Grace", familyName: "Hopper", dateOfBirth: "1946-12-09", phoneMobile: null, identifiers: [{ kind: "SSN", value: "078-05-1120" }] });
    await expect(reception.patients.revealIdentifier({ patientId: patient.id, kind: "SSN" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const billing = await callerFor(fixture.users.BILLING.id);
    expect(await billing.patients.revealIdentifier({ patientId: patient.id, kind: "SSN" })).toEqual({ kind: "SSN", issuer: null, value: "078051120" });
    expect(await db.auditEvent.count({ where: { patientId: patient.id, action: "patients.revealIdentifier", userId: fixture.users.BILLING.id } })).toBe(1);
  });

  it("treats another clinic's patient as not found", async () => {
    const other = await createClinic();
    const foreign = await createPatient(other.clinic.id);
    const nurse = await callerFor(fixture.users.NURSE.id);
    await expect(nurse.patients.get({ id: foreign.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(nurse.patients.update({ id: foreign.id, version: 1, givenName: "X" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows the banner with age and 'allergies not recorded' until the chart records them", async () => {
    const patient = await createPatient(fixture.clinic.id, { givenName: "Lin", familyName: "Chen", dateOfBirth: "2000-02-29" });
    const billing = await callerFor(fixture.users.BILLING.id);
    const banner = await billing.patients.banner({ id: patient.id });
    expect(banner).toMatchObject({ displayName: "Chen, Lin", mrn: patient.mrn, allergies: { state: "NOT_RECORDED", items: [] } });
    expect(banner.age).toBeGreaterThanOrEqual(26);
  });
});

describe("merge and unmerge", () => {
  it("moves everything to the survivor, leaves a redirecting tombstone, and an admin can undo it exactly", async () => {
    const clinic = await createClinic();
    const reception = await callerFor(clinic.users.RECEPTIONIST.id);
    const admin = await callerFor(clinic.users.ADMIN.id);
    const survivor = await reception.patients.register({ givenName: "Maria", familyName: "Garcia", dateOfBirth: "1975-05-05", sex: "FEMALE", emergencyContacts: [{ name: "Luis Garcia", relation: "brother", phone: "6175550123" }] });
    const duplicate = await reception.patients.register({
      givenName: "María",
      familyName: "García",
      dateOfBirth: "1975-05-05",
      sex: "FEMALE",
      confirmDuplicate: true,
      emergencyContacts: [{ name: "Ana Garcia", relation: "daughter", phone: "6175550124" }],
      identifiers: [{ kind: "SSN", value: "219-09-9998" }],
    });

    await expect(reception.patients.merge({ survivorId: survivor.id, mergedId: duplicate.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const result = await admin.patients.merge({ survivorId: survivor.id, mergedId: duplicate.id });
    expect(result).toMatchObject({ survivorMrn: survivor.mrn, mergedMrn: duplicate.mrn });

    const merged = await admin.patients.get({ id: survivor.id });
    expect(merged.emergencyContacts.map((c) => c.name).sort()).toEqual(["Ana Garcia", "Luis Garcia"]);
    expect(merged.identifiers).toEqual([{ kind: "SSN", issuer: null, last4: "9998" }]);
    expect((await admin.patients.revealIdentifier({ patientId: survivor.id, kind: "SSN" })).value).toBe("219099998");
    const tombstone = await admin.patients.get({ id: duplicate.id });
    expect(tombstone).toMatchObject({ status: "MERGED", mergedInto: { id: survivor.id, mrn: survivor.mrn }, emergencyContacts: [] });
    await expect(reception.patients.update({ id: duplicate.id, version: tombstone.version, givenName: "X" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining(survivor.mrn),
    });
    expect(await reception.patients.duplicates({ givenName: "Maria", familyName: "Garcia", dateOfBirth: "1975-05-05" })).toEqual([
      expect.objectContaining({ id: survivor.id }),
    ]);

    await admin.patients.unmerge({ mergedId: duplicate.id });
    const restored = await admin.patients.get({ id: duplicate.id });
    expect(restored).toMatchObject({ status: "ACTIVE", mergedInto: null, identifiers: [{ kind: "SSN", issuer: null, last4: "9998" }] });
    expect(restored.emergencyContacts.map((c) => c.name)).toEqual(["Ana Garcia"]);
    expect((await admin.patients.get({ id: survivor.id })).emergencyContacts.map((c) => c.name)).toEqual(["Luis Garcia"]);
    expect((await admin.patients.revealIdentifier({ patientId: duplicate.id, kind: "SSN" })).value).toBe("219099998");
    const trail = await db.auditEvent.findMany({ where: { patientId: duplicate.id, action: { in: ["patients.merge", "patients.unmerge"] } }, select: { action: true } });
    expect(trail.map((t) => t.action).sort()).toEqual(["patients.merge", "patients.unmerge"]);
  });

  it("refuses to merge a record into itself or an already merged record", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const admin = await callerFor(fixture.users.ADMIN.id);
    await expect(admin.patients.merge({ survivorId: patient.id, mergedId: patient.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
