import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createClinic, createPatient, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";
import type { ScopedActor } from "../../audit/audit.ts";
import { updateVitals } from "./vitals.ts";
import { failure, fieldsOf } from "../../../tests/helpers/failure.ts";

/**
 * Correcting vitals: a mistyped value is corrected (version-checked, checked like recording, the
 * database CHECKs named by field), or the set is marked entered in error and disappears from the
 * list, the trends and the summary while the row stays.
 */

let fixture: ClinicFixture;
let physician: Awaited<ReturnType<typeof callerFor>>;
let nurse: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  fixture = await createClinic();
  [physician, nurse] = await Promise.all([callerFor(fixture.users.PHYSICIAN.id), callerFor(fixture.users.NURSE.id)]);
});

/** The service's own actor, for a write that skips the input schema (to reach the database's CHECKs). */
async function actorOf(userId: string): Promise<ScopedActor> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, clinicId: true, role: true } });
  return { userId: user.id, clinicId: user.clinicId, role: user.role, sessionId: null, ip: null };
}

const newPatient = () => createPatient(fixture.clinic.id, { dateOfBirth: "1970-05-01" });

describe("correcting vitals", () => {
  it("corrects a mistyped weight: BMI recomputed, version bumped, audited", async () => {
    const patient = await newPatient();
    const saved = await nurse.charts.recordVitals({ patientId: patient.id, systolic: 120, diastolic: 80, height: 180, weight: 181 });
    expect(saved.weightKg).toBe(181);
    const corrected = await physician.charts.updateVitals({ id: saved.id, version: saved.version, systolic: 120, diastolic: 80, height: 180, weight: 81 });
    expect(corrected).toMatchObject({ id: saved.id, weightKg: 81, bmi: 25, systolicMmHg: 120, version: 2, enteredInError: false, recordedBy: { name: fixture.users.NURSE.name } });
    expect(await db.auditEvent.count({ where: { action: "charts.updateVitals", resourceId: saved.id } })).toBe(1);
    const { items } = await physician.charts.vitals({ patientId: patient.id });
    expect(items.map((v) => v.weightKg)).toEqual([81]);
  });

  it("a bad value names the field and writes nothing", async () => {
    const patient = await newPatient();
    const saved = await nurse.charts.recordVitals({ patientId: patient.id, weight: 80 });
    const bad = await failure(physician.charts.updateVitals({ id: saved.id, version: 1, weight: 8000 }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(fieldsOf(bad)).toEqual(["weight"]);
    const hot = await failure(physician.charts.updateVitals({ id: saved.id, version: 1, weight: 80, temperature: 98.6 }));
    expect(hot.message).toContain("was it °F?");
    const row = await db.vitals.findUniqueOrThrow({ where: { id: saved.id } });
    expect({ version: row.version, weight: row.weightKg?.toNumber(), temp: row.temperatureC }).toEqual({ version: 1, weight: 80, temp: null });
    expect(await db.auditEvent.count({ where: { action: "charts.updateVitals", resourceId: saved.id } })).toBe(0);
  });

  it("the database CHECKs, reached past the input schema, still name the field", async () => {
    const patient = await newPatient();
    const saved = await nurse.charts.recordVitals({ patientId: patient.id, weight: 80 });
    const actor = await actorOf(fixture.users.PHYSICIAN.id);
    const refused = await failure(
      updateVitals(actor, {
        id: saved.id,
        version: 1,
        enteredInError: false,
        takenAt: null,
        systolicMmHg: null,
        diastolicMmHg: null,
        heartRatePerMin: 500,
        respiratoryRatePerMin: null,
        temperatureC: null,
        spo2Percent: null,
        heightCm: null,
        weightKg: 80,
        painScore: null,
        note: null,
      }),
    );
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: "Heart rate must be between 20 and 300 /min" });
    expect((await db.vitals.findUniqueOrThrow({ where: { id: saved.id } })).version).toBe(1);
  });

  it("a stale edit is refused naming who saved in between", async () => {
    const patient = await newPatient();
    const saved = await nurse.charts.recordVitals({ patientId: patient.id, heartRate: 70 });
    await nurse.charts.updateVitals({ id: saved.id, version: 1, heartRate: 72 });
    const stale = await failure(physician.charts.updateVitals({ id: saved.id, version: 1, heartRate: 75 }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toContain(fixture.users.NURSE.name);
    expect(stale.cause?.details).toMatchObject({ currentVersion: 2, yourVersion: 1, changedBy: fixture.users.NURSE.name, current: { heartRatePerMin: 72 } });
    expect((await db.vitals.findUniqueOrThrow({ where: { id: saved.id } })).heartRatePerMin).toBe(72);
  });

  it("entered in error: gone from the list, the trend window and the summary; the row stays", async () => {
    const patient = await newPatient();
    const day = 86_400_000;
    const older = await nurse.charts.recordVitals({ patientId: patient.id, weight: 80, takenAt: new Date(Date.now() - 2 * day) });
    const wrong = await nurse.charts.recordVitals({ patientId: patient.id, weight: 18, takenAt: new Date(Date.now() - day) });
    expect((await physician.charts.summary({ patientId: patient.id })).lastVitals?.id).toBe(wrong.id);

    const hidden = await physician.charts.updateVitals({ id: wrong.id, version: 1, enteredInError: true });
    expect(hidden).toMatchObject({ enteredInError: true, version: 2 });
    expect((await physician.charts.vitals({ patientId: patient.id })).items.map((v) => v.id)).toEqual([older.id]);
    expect((await physician.charts.vitals({ patientId: patient.id, from: new Date(Date.now() - 1.5 * day) })).items).toEqual([]);
    expect((await physician.charts.summary({ patientId: patient.id })).lastVitals?.id).toBe(older.id);
    expect(await db.vitals.count({ where: { id: wrong.id } })).toBe(1);
    expect(await db.auditEvent.findFirst({ where: { action: "charts.updateVitals", resourceId: wrong.id }, select: { reason: true } })).toMatchObject({ reason: "entered in error" });

    const again = await failure(physician.charts.updateVitals({ id: wrong.id, version: 2, weight: 81 }));
    expect(again.code).toBe("BAD_REQUEST");
  });

  it("another clinic's vitals read as not found", async () => {
    const patient = await newPatient();
    const saved = await nurse.charts.recordVitals({ patientId: patient.id, weight: 80 });
    const other = await createClinic();
    const stranger = await callerFor(other.users.NURSE.id);
    expect((await failure(stranger.charts.updateVitals({ id: saved.id, version: 1, weight: 81 }))).code).toBe("NOT_FOUND");
  });
});
