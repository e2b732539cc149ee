import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createClinic, createPatient, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";
import { recordVitals } from "./vitals.ts";
import { failure, fieldsOf } from "../../../tests/helpers/failure.ts";

/**
 * Vitals, problems, allergies and medications through the tRPC caller: write, read back, audit
 * in the same transaction, version conflicts that name who, bad input that names the field and
 * writes nothing.
 */

let fixture: ClinicFixture;
let physician: Awaited<ReturnType<typeof callerFor>>;
let nurse: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  fixture = await createClinic();
  [physician, nurse] = await Promise.all([callerFor(fixture.users.PHYSICIAN.id), callerFor(fixture.users.NURSE.id)]);
});

const newPatient = () => createPatient(fixture.clinic.id, { dateOfBirth: "1970-05-01" });

const auditCount = (action: string, resourceId: string) => db.auditEvent.count({ where: { action, resourceId } });

describe("vitals", () => {
  it("records imperial entry as metric, computes BMI, flags abnormal values, audits", async () => {
    const patient = await newPatient();
    const saved = await nurse.charts.recordVitals({
      patientId: patient.id,
      systolic: 152,
      diastolic: 94,
      heartRate: 72,
      respiratoryRate: 16,
      temperature: 100.4,
      temperatureUnit: "F",
      spo2: 97,
      height: 70,
      heightUnit: "in",
      weight: 180,
      weightUnit: "lb",
      painScore: 2,
    });
    expect(saved).toMatchObject({ temperatureC: 38, heightCm: 177.8, weightKg: 81.65, bmi: 25.8, recordedBy: { name: fixture.users.NURSE.name }, version: 1 });
    expect(saved.flags.map((f) => `${f.field}:${f.level}`).sort()).toEqual(["diastolicMmHg:HIGH", "systolicMmHg:HIGH", "temperatureC:HIGH"]);
    expect(await auditCount("charts.recordVitals", saved.id)).toBe(1);

    const { items } = await physician.charts.vitals({ patientId: patient.id });
    expect(items.map((v) => v.id)).toEqual([saved.id]);
    const summary = await physician.charts.summary({ patientId: patient.id });
    expect(summary.lastVitals).toMatchObject({ id: saved.id, systolicMmHg: 152, bmi: 25.8 });
  });

  it("returns a series oldest first within a window", async () => {
    const patient = await newPatient();
    const day = 86_400_000;
    for (const [i, weight] of [80, 81, 82, 83].entries()) {
      await nurse.charts.recordVitals({ patientId: patient.id, weight, takenAt: new Date(Date.now() - (4 - i) * day) });
    }
    const all = await physician.charts.vitals({ patientId: patient.id });
    expect(all.items.map((v) => v.weightKg)).toEqual([80, 81, 82, 83]);
    const recent = await physician.charts.vitals({ patientId: patient.id, limit: 2 });
    expect(recent.items.map((v) => v.weightKg)).toEqual([82, 83]);
    const window = await physician.charts.vitals({ patientId: patient.id, from: new Date(Date.now() - 3.5 * day), to: new Date(Date.now() - 1.5 * day) });
    expect(window.items.map((v) => v.weightKg)).toEqual([81, 82]);
  });

  it.each([
    ["98.6 typed as °C", { temperature: 98.6 }, "temperature", /was it °F/],
    ["systolic 500", { systolic: 500, diastolic: 80 }, "systolic", /not possible/],
    ["diastolic above systolic", { systolic: 90, diastolic: 120 }, "diastolic", /below systolic/],
    ["half a blood pressure", { systolic: 120 }, "diastolic", /both systolic and diastolic/],
    ["SpO2 101", { spo2: 101 }, "spo2", /not possible/],
    ["weight 1,800 lb", { weight: 1800, weightUnit: "lb" }, "weight", /not possible/],
    ["pain 11", { painScore: 11 }, "painScore", /not possible/],
    ["a BMI no one has", { height: 50, weight: 300 }, "weight", /BMI/],
    ["nothing measured", {}, "systolic", /at least one/],
    ["tomorrow", { heartRate: 70, takenAt: new Date(Date.now() + 86_400_000) }, "takenAt", /future/],
  ] as const)("refuses %s naming the field, and writes nothing", async (_name, values, field, message) => {
    const patient = await newPatient();
    const error = await failure(nurse.charts.recordVitals({ patientId: patient.id, ...values }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(fieldsOf(error)).toContain(field);
    expect(error.message).toMatch(message);
    expect(await db.vitals.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("maps a database CHECK refusal (past the input schema) to a BAD_REQUEST naming the field", async () => {
    const patient = await newPatient();
    const actor = { userId: fixture.users.NURSE.id, clinicId: fixture.clinic.id, role: "NURSE" as const, sessionId: null, ip: null };
    const values = { systolicMmHg: 500, diastolicMmHg: 80, heartRatePerMin: null, respiratoryRatePerMin: null, temperatureC: null, spo2Percent: null, heightCm: null, weightKg: null, painScore: null, note: null };
    const error = await recordVitals(actor, { patientId: patient.id, encounterId: null, takenAt: null, ...values }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { systolic: [expect.stringMatching(/40 and 300/)] } });
    expect(await db.vitals.count({ where: { patientId: patient.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { patientId: patient.id, action: "charts.recordVitals" } })).toBe(0);
  });
});

describe("problems", () => {
  it("adds a coded problem (description from the code set), refuses a duplicate, resolves it", async () => {
    const patient = await newPatient();
    const code = await db.icd10Code.findFirstOrThrow({ where: { code: "E119" }, select: { code: true, description: true } });
    const added = await physician.charts.addProblem({ patientId: patient.id, icd10Code: "e11.9", onsetDate: "2019-04-01" });
    expect(added).toMatchObject({ icd10Code: "E119", icd10CodeDotted: "E11.9", description: code.description, status: "ACTIVE", onsetDate: "2019-04-01", version: 1 });
    expect(await auditCount("charts.addProblem", added.id)).toBe(1);

    const duplicate = await failure(nurse.charts.addProblem({ patientId: patient.id, icd10Code: "E11.9" }));
    expect(duplicate).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already an active problem") });

    const resolved = await nurse.charts.updateProblem({ id: added.id, version: 1, status: "RESOLVED" });
    expect(resolved).toMatchObject({ status: "RESOLVED", resolvedAt: new Date().toISOString().slice(0, 10), version: 2, updatedBy: { name: fixture.users.NURSE.name } });
    expect(await physician.charts.problems({ patientId: patient.id })).toEqual([]);
    expect((await physician.charts.problems({ patientId: patient.id, includeInactive: true })).map((p) => p.id)).toEqual([added.id]);
  });

  it("refuses a stale edit naming who saved first, with both versions and their row", async () => {
    const patient = await newPatient();
    const added = await physician.charts.addProblem({ patientId: patient.id, icd10Code: "I10" });
    await nurse.charts.updateProblem({ id: added.id, version: 1, notes: "Home readings 150s" });
    const stale = await failure(physician.charts.updateProblem({ id: added.id, version: 1, notes: "Well controlled" }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toContain(`changed by ${fixture.users.NURSE.name}`);
    expect(stale.cause?.details).toMatchObject({ currentVersion: 2, yourVersion: 1, changedBy: fixture.users.NURSE.name, current: { id: added.id, notes: "Home readings 150s", version: 2 } });
    expect((await db.problem.findUniqueOrThrow({ where: { id: added.id } })).notes).toBe("Home readings 150s");
  });

  it("refuses a code that does not exist and an onset before birth, naming the field", async () => {
    const patient = await newPatient();
    expect(fieldsOf(await failure(physician.charts.addProblem({ patientId: patient.id, icd10Code: "E11.99999" })))).toContain("icd10Code");
    expect(fieldsOf(await failure(physician.charts.addProblem({ patientId: patient.id, icd10Code: "Z99.9" })))).toEqual(["icd10Code"]);
    expect(fieldsOf(await failure(physician.charts.addProblem({ patientId: patient.id, icd10Code: "I10", onsetDate: "1960-01-01" })))).toEqual(["onsetDate"]);
    expect(await db.problem.count({ where: { patientId: patient.id } })).toBe(0);
  });
});

describe("allergies", () => {
  it("an allergy makes the status HAS_ALLERGIES (banner too); NKA is refused while one is active", async () => {
    const patient = await newPatient();
    expect((await physician.charts.allergies({ patientId: patient.id })).status).toBe("NOT_RECORDED");
    const allergy = await nurse.charts.addAllergy({ patientId: patient.id, substance: "Penicillin", category: "DRUG", reaction: "Hives", severity: "MODERATE" });
    expect(allergy).toMatchObject({ substance: "Penicillin", status: "ACTIVE", version: 1 });
    expect(await db.patient.findUniqueOrThrow({ where: { id: patient.id }, select: { allergyStatus: true } })).toEqual({ allergyStatus: "HAS_ALLERGIES" });
    expect(await physician.patients.banner({ id: patient.id })).toMatchObject({ allergies: { state: "RECORDED", items: ["Penicillin"] } });

    const nka = await failure(physician.charts.setNoKnownAllergies({ patientId: patient.id }));
    expect(nka).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Penicillin") });
    expect(await failure(nurse.charts.addAllergy({ patientId: patient.id, substance: "penicillin", category: "DRUG" }))).toMatchObject({ code: "CONFLICT" });

    // Entered in error: the list is empty again, and the status asks again rather than saying "none".
    await physician.charts.updateAllergy({ id: allergy.id, version: 1, status: "ENTERED_IN_ERROR" });
    expect(await physician.charts.allergies({ patientId: patient.id })).toMatchObject({ status: "NOT_RECORDED", items: [] });
    const recorded = await physician.charts.setNoKnownAllergies({ patientId: patient.id });
    expect(recorded).toMatchObject({ status: "NO_KNOWN_ALLERGIES", statusRecordedBy: { name: fixture.users.PHYSICIAN.name } });
    expect(await physician.patients.banner({ id: patient.id })).toMatchObject({ allergies: { state: "NO_KNOWN_ALLERGIES", items: [] } });
    expect(await db.auditEvent.count({ where: { patientId: patient.id, action: "charts.setNoKnownAllergies" } })).toBe(1);

    // A new allergy after NKA turns the status back.
    await nurse.charts.addAllergy({ patientId: patient.id, substance: "Peanuts", category: "FOOD", severity: "LIFE_THREATENING" });
    expect((await physician.charts.summary({ patientId: patient.id })).allergies).toMatchObject({ status: "HAS_ALLERGIES", items: [{ substance: "Peanuts" }] });
  });

  it("names the fields of a bad allergy and writes nothing", async () => {
    const patient = await newPatient();
    const error = await failure(nurse.charts.addAllergy({ patientId: patient.id, substance: " ", category: "PLANT" as "DRUG", rxcui: "abc" }));
    expect(fieldsOf(error).sort()).toEqual(["category", "rxcui", "substance"]);
    expect(await db.allergy.count({ where: { patientId: patient.id } })).toBe(0);
  });
});

describe("medications", () => {
  it("adds, stops (stop date today) and refuses a stale edit", async () => {
    const patient = await newPatient();
    const med = await physician.charts.addMedication({ patientId: patient.id, drugName: "Metformin", dose: "500 mg", route: "oral", frequency: "twice daily", startDate: "2020-01-15" });
    expect(med).toMatchObject({ status: "ACTIVE", source: "MANUAL", startDate: "2020-01-15", stopDate: null, version: 1 });
    expect((await physician.charts.summary({ patientId: patient.id })).medications).toEqual([
      { id: med.id, drugName: "Metformin", dose: "500 mg", route: "oral", frequency: "twice daily" },
    ]);
    const stopped = await nurse.charts.updateMedication({ id: med.id, version: 1, status: "STOPPED" });
    expect(stopped).toMatchObject({ status: "STOPPED", stopDate: new Date().toISOString().slice(0, 10), version: 2 });
    expect(await failure(physician.charts.updateMedication({ id: med.id, version: 1, dose: "1000 mg" }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(fixture.users.NURSE.name),
    });
    expect(await physician.charts.medications({ patientId: patient.id })).toEqual([]);
    expect(await db.auditEvent.count({ where: { resourceId: med.id, action: { in: ["charts.addMedication", "charts.updateMedication"] } } })).toBe(2);
  });

  it("flags a medication that runs into an active drug allergy: by class, by ingredient with its salt, by the words of a typed name", async () => {
    const patient = await newPatient();
    // Ibuprofen 200 MG Oral Tablet (RxNorm 310965), oxycodone hydrochloride 5 MG Oral Tablet (1049621).
    const ibuprofen = await physician.charts.addMedication({ patientId: patient.id, drugName: "ibuprofen 200 MG Oral Tablet", rxcui: "310965" });
    expect(ibuprofen.allergyWarnings).toEqual([]);
    const nsaids = await nurse.charts.addAllergy({ patientId: patient.id, substance: "NSAIDs", drugClass: "NSAIDs", category: "DRUG", severity: "SEVERE" });
    await nurse.charts.addAllergy({ patientId: patient.id, substance: "oxycodone", category: "DRUG" });
    await nurse.charts.addAllergy({ patientId: patient.id, substance: "Peanuts", category: "FOOD" });
    const oxy = await physician.charts.addMedication({ patientId: patient.id, drugName: "oxycodone hydrochloride 5 MG Oral Tablet", rxcui: "1049621" });
    expect(oxy.allergyWarnings).toEqual([{ allergyId: expect.any(String), allergen: "oxycodone", ingredient: "oxycodone hydrochloride", severity: null }]);
    const typed = await physician.charts.addMedication({ patientId: patient.id, drugName: "Naproxen 250mg", dose: "250 mg" });
    // Typed, not coded: the class's members are looked for among the words of the name.
    expect(typed.allergyWarnings).toEqual([{ allergyId: nsaids.id, allergen: "NSAIDs", ingredient: "naproxen", severity: "SEVERE" }]);
    const compounded = await physician.charts.addMedication({ patientId: patient.id, drugName: "Oxycodone liquid (compounded)" });
    expect(compounded.allergyWarnings.map((w) => w.allergen)).toEqual(["oxycodone"]);

    const list = await physician.charts.medications({ patientId: patient.id });
    const warningsOf = (id: string) => list.find((m) => m.id === id)!.allergyWarnings;
    expect(warningsOf(ibuprofen.id)).toEqual([{ allergyId: nsaids.id, allergen: "NSAIDs", ingredient: "ibuprofen", severity: "SEVERE" }]);
    expect(warningsOf(oxy.id)).toHaveLength(1);

    // The allergy goes, so does the flag; a stopped medication carries none.
    await nurse.charts.updateAllergy({ id: nsaids.id, version: nsaids.version, status: "INACTIVE" });
    await physician.charts.updateMedication({ id: oxy.id, version: oxy.version, status: "STOPPED" });
    const after = await physician.charts.medications({ patientId: patient.id, includeInactive: true });
    expect(after.find((m) => m.id === ibuprofen.id)!.allergyWarnings).toEqual([]);
    expect(after.find((m) => m.id === oxy.id)!.allergyWarnings).toEqual([]);
  });

  it("refuses a drug class the check does not know, naming the field", async () => {
    const patient = await newPatient();
    const error = await failure(nurse.charts.addAllergy({ patientId: patient.id, substance: "Sulfa drugs", drugClass: "Sulfonamides", category: "DRUG" }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", cause: { fieldErrors: { drugClass: [expect.stringContaining("Sulfonamides")] } } });
    expect(await db.allergy.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("refuses a stop date before the start date, naming it", async () => {
    const patient = await newPatient();
    const error = await failure(physician.charts.addMedication({ patientId: patient.id, drugName: "Lisinopril", startDate: "2024-05-01", stopDate: "2024-04-01" }));
    expect(fieldsOf(error)).toEqual(["stopDate"]);
  });
});
