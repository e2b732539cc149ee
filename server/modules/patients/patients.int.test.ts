import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../db.ts";
import { callerFor, createClinic, createPatient, type ClinicFixture } from "../../../tests/factories/index.ts";

let fixture: ClinicFixture;
beforeAll(async () => {
  fixture = await createClinic();
});

describe("patients (foundation slice)", () => {
  it("rejects bad input with field messages and writes nothing", async () => {
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const before = await db.patient.count({ where: { clinicId: fixture.clinic.id } });
    const error = await reception.patients
      .register({ givenName: " ", familyName: "Smith", dateOfBirth: "2999-01-01", sex: "MALE" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const flattened = (error as { cause: { issues: { path: string[]; message: string }[] } }).cause.issues;
    expect(flattened.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(
      expect.arrayContaining(["givenName: Given name is required", "dateOfBirth: Date of birth cannot be in the future"]),
    );
    expect(await db.patient.count({ where: { clinicId: fixture.clinic.id } })).toBe(before);
  });

  it("refuses a stale save and names who changed the record", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const nurse = await callerFor(fixture.users.NURSE.id);
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    await nurse.patients.update({ id: patient.id, version: 1, givenName: "Maria" });
    await expect(physician.patients.update({ id: patient.id, version: 1, givenName: "Mary" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(fixture.users.NURSE.name),
    });
    const current = await physician.patients.get({ id: patient.id });
    expect(current).toMatchObject({ givenName: "Maria", version: 2 });
  });

  it("treats another clinic's patient as not found", async () => {
    const other = await createClinic();
    const foreign = await createPatient(other.clinic.id);
    const nurse = await callerFor(fixture.users.NURSE.id);
    await expect(nurse.patients.get({ id: foreign.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
