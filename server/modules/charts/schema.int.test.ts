import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createClinic, createPatient, createScheduling, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";

/**
 * What the charts migration makes the database itself refuse, whatever the code above it does:
 * changes to signed notes and addenda, and impossible vitals.
 */

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let fixture: ClinicFixture;
let patientId: string;
let encounterId: string;
let physicianId: string;

beforeAll(async () => {
  fixture = await createClinic();
  physicianId = fixture.users.PHYSICIAN.id;
  const { provider } = await createScheduling(fixture);
  patientId = (await createPatient(fixture.clinic.id)).id;
  const encounter = await db.encounter.create({
    data: { clinicId: fixture.clinic.id, patientId, providerId: provider.id, type: "OFFICE_VISIT", reasonForVisit: "Cough", createdById: physicianId },
    select: { id: true },
  });
  encounterId = encounter.id;
});

function newNote() {
  return db.note.create({
    data: { clinicId: fixture.clinic.id, patientId, encounterId, subjective: "Cough for 3 days.", createdById: physicianId },
    select: { id: true },
  });
}

async function signedNote() {
  const { id } = await newNote();
  await db.note.update({
    where: { id },
    data: { plan: "Fluids, rest.", signedAt: new Date(), signedById: physicianId, contentHash: sha256("Cough for 3 days.|||Fluids, rest."), version: { increment: 1 } },
  });
  return id;
}

describe("an unsigned note", () => {
  it("can be edited, co-edited and deleted", async () => {
    const { id } = await newNote();
    await db.note.update({ where: { id }, data: { assessment: "Viral URI", version: { increment: 1 } } });
    await db.noteDocUpdate.create({ data: { noteId: id, update: new Uint8Array([1, 2, 3]) } });
    // Compaction folds updates into docState and removes them.
    const [last] = await db.noteDocUpdate.findMany({ where: { noteId: id }, orderBy: { id: "desc" }, take: 1 });
    await db.note.update({ where: { id }, data: { docState: new Uint8Array([9]), docStateUpdateId: last!.id } });
    await db.noteDocUpdate.deleteMany({ where: { noteId: id, id: { lte: last!.id } } });
    expect(await db.note.findUniqueOrThrow({ where: { id }, select: { assessment: true, version: true, docStateUpdateId: true } })).toEqual({
      assessment: "Viral URI",
      version: 2,
      docStateUpdateId: last!.id,
    });
    await db.noteDocUpdate.create({ data: { noteId: id, update: new Uint8Array([4]) } });
    await db.note.delete({ where: { id } }); // its doc updates go with it (cascade)
    expect(await db.noteDocUpdate.count({ where: { noteId: id } })).toBe(0);
  });

  it("cannot be half-signed (signedAt, signedById and contentHash go together)", async () => {
    const { id } = await newNote();
    await expect(db.note.update({ where: { id }, data: { signedAt: new Date(), signedById: physicianId } })).rejects.toThrow(/note_signed_check/);
    await expect(
      db.note.update({ where: { id }, data: { signedAt: new Date(), signedById: physicianId, contentHash: "not-a-hash" } }),
    ).rejects.toThrow(/note_content_hash_check/);
  });

  it("takes no addendum (edit the note instead)", async () => {
    const { id } = await newNote();
    await expect(
      db.noteAddendum.create({ data: { clinicId: fixture.clinic.id, patientId, noteId: id, text: "x", contentHash: sha256("x"), authorId: physicianId } }),
    ).rejects.toThrow(/is not signed: addenda are only for signed notes/);
  });
});

describe("a signed note", () => {
  it("refuses any UPDATE, with a clear message", async () => {
    const id = await signedNote();
    await expect(db.note.update({ where: { id }, data: { plan: "Antibiotics." } })).rejects.toThrow(
      new RegExp(`signed note is immutable: UPDATE of note ${id} is not allowed`),
    );
    // Not even bookkeeping columns or un-signing.
    await expect(db.note.update({ where: { id }, data: { version: { increment: 1 } } })).rejects.toThrow(/signed note is immutable/);
    await expect(db.note.update({ where: { id }, data: { signedAt: null, signedById: null, contentHash: null } })).rejects.toThrow(/signed note is immutable/);
    await expect(db.$executeRaw`UPDATE note SET subjective = 'changed' WHERE id = ${id}::uuid`).rejects.toThrow(/signed note is immutable/);
    expect(await db.note.findUniqueOrThrow({ where: { id }, select: { plan: true, subjective: true } })).toEqual({ plan: "Fluids, rest.", subjective: "Cough for 3 days." });
  });

  it("refuses DELETE and TRUNCATE", async () => {
    const id = await signedNote();
    await expect(db.note.delete({ where: { id } })).rejects.toThrow(new RegExp(`signed note is immutable: DELETE of note ${id} is not allowed`));
    await expect(db.note.deleteMany({ where: { patientId } })).rejects.toThrow(/signed note is immutable/);
    await expect(db.$executeRawUnsafe("TRUNCATE note CASCADE")).rejects.toThrow(/signed note is immutable: TRUNCATE/);
    expect(await db.note.count({ where: { id } })).toBe(1);
  });

  it("refuses new co-editing updates, and keeps the ones it has", async () => {
    const { id } = await newNote();
    await db.noteDocUpdate.create({ data: { noteId: id, update: new Uint8Array([1]) } });
    await db.note.update({ where: { id }, data: { signedAt: new Date(), signedById: physicianId, contentHash: sha256("") } });
    await expect(db.noteDocUpdate.create({ data: { noteId: id, update: new Uint8Array([2]) } })).rejects.toThrow(
      new RegExp(`signed note is immutable: INSERT of a document update for note ${id} is not allowed`),
    );
    await expect(db.noteDocUpdate.deleteMany({ where: { noteId: id } })).rejects.toThrow(/signed note is immutable: DELETE of a document update/);
    await expect(db.noteDocUpdate.updateMany({ where: { noteId: id }, data: { update: new Uint8Array([3]) } })).rejects.toThrow(/note_doc_update rows are immutable/);
    expect(await db.noteDocUpdate.count({ where: { noteId: id } })).toBe(1);
  });

  it("takes addenda, which are immutable once written", async () => {
    const noteId = await signedNote();
    const text = "Addendum: chest X-ray clear.";
    const addendum = await db.noteAddendum.create({
      data: { clinicId: fixture.clinic.id, patientId, noteId, text, contentHash: sha256(text), authorId: physicianId },
      select: { id: true },
    });
    await expect(db.noteAddendum.update({ where: { id: addendum.id }, data: { text: "changed" } })).rejects.toThrow(/note addendum is immutable: UPDATE/);
    await expect(db.noteAddendum.delete({ where: { id: addendum.id } })).rejects.toThrow(/note addendum is immutable: DELETE/);
    const other = await createPatient(fixture.clinic.id);
    await expect(
      db.noteAddendum.create({ data: { clinicId: fixture.clinic.id, patientId: other.id, noteId, text, contentHash: sha256(text), authorId: physicianId } }),
    ).rejects.toThrow(/same patient and clinic/);
  });
});

describe("vitals", () => {
  const base = () => ({ clinicId: fixture.clinic.id, patientId, encounterId, takenAt: new Date(), recordedById: fixture.users.NURSE.id, createdById: fixture.users.NURSE.id });

  it("stores a plausible set and computes BMI", async () => {
    const row = await db.vitals.create({
      data: { ...base(), systolicMmHg: 128, diastolicMmHg: 82, heartRatePerMin: 72, respiratoryRatePerMin: 14, temperatureC: "37.2", spo2Percent: 98, heightCm: "175.0", weightKg: "80.50", painScore: 2 },
      select: { bmi: true, temperatureC: true },
    });
    expect(row.bmi?.toString()).toBe("26.3");
    expect(row.temperatureC?.toString()).toBe("37.2");
    const weightOnly = await db.vitals.create({ data: { ...base(), weightKg: "3.45" }, select: { bmi: true } });
    expect(weightOnly.bmi).toBeNull();
  });

  it.each([
    ["systolic 500 mmHg", { systolicMmHg: 500 }, "vitals_systolic_check"],
    ["diastolic above systolic", { systolicMmHg: 90, diastolicMmHg: 120 }, "vitals_bp_order_check"],
    ["heart rate 0", { heartRatePerMin: 0 }, "vitals_heart_rate_check"],
    ["respiratory rate 200", { respiratoryRatePerMin: 200 }, "vitals_respiratory_rate_check"],
    ["98.6 °F typed as °C", { temperatureC: "98.6" }, "vitals_temperature_check"],
    ["SpO2 101 %", { spo2Percent: 101 }, "vitals_spo2_check"],
    ["height 300 cm", { heightCm: "300.0" }, "vitals_height_check"],
    ["weight 0 kg", { weightKg: "0" }, "vitals_weight_check"],
    ["pain 11", { painScore: 11 }, "vitals_pain_check"],
    ["BMI 10,000 (400 kg at 20 cm is not a person)", { heightCm: "20.0", weightKg: "400" }, "vitals_bmi_check"],
    ["nothing measured", {}, "vitals_any_check"],
  ])("refuses %s", async (_name, values, constraint) => {
    await expect(db.vitals.create({ data: { ...base(), ...values } })).rejects.toThrow(new RegExp(constraint));
  });
});

describe("other chart rows", () => {
  it("links an encounter to at most one appointment", async () => {
    const { provider, type, location } = await createScheduling(await createClinic());
    const clinicId = (await db.provider.findUniqueOrThrow({ where: { id: provider.id }, select: { clinicId: true } })).clinicId;
    const pid = (await createPatient(clinicId)).id;
    const startsAt = new Date(Date.now() + 86_400_000);
    const appointment = await db.appointment.create({
      data: { clinicId, patientId: pid, providerId: provider.id, locationId: location.id, appointmentTypeId: type.id, startsAt, endsAt: new Date(startsAt.getTime() + 1_800_000), createdById: physicianId },
      select: { id: true },
    });
    const data = { clinicId, patientId: pid, providerId: provider.id, appointmentId: appointment.id, type: "FOLLOW_UP" as const, createdById: physicianId };
    await db.encounter.create({ data });
    await expect(db.encounter.create({ data })).rejects.toThrow(/appointment_id/);
  });

  it("keeps problem, lab and allergy rows well-formed", async () => {
    const common = { clinicId: fixture.clinic.id, patientId, createdById: physicianId };
    await db.problem.create({ data: { ...common, icd10Code: "I10", description: "Essential (primary) hypertension" } });
    await expect(db.problem.create({ data: { ...common, icd10Code: "I10", description: "x", resolvedAt: new Date() } })).rejects.toThrow(/problem_resolved_check/);
    await expect(db.problem.create({ data: { ...common, icd10Code: "NOTACODE", description: "x" } })).rejects.toThrow(/icd10_code/);

    // A result may arrive without an order, but never without a value.
    await db.labResult.create({ data: { ...common, loincCode: "4548-4", valueNumeric: "6.1", unit: "%", referenceHigh: "5.6", abnormalFlag: "H", resultedAt: new Date() } });
    await expect(db.labResult.create({ data: { ...common, loincCode: "4548-4", resultedAt: new Date() } })).rejects.toThrow(/lab_result_value_check/);
    await expect(db.labOrder.create({ data: { ...common, loincCode: "0000-0", orderedById: physicianId } })).rejects.toThrow(/loinc_code/);

    await expect(db.allergy.create({ data: { ...common, substance: "penicillin", category: "DRUG", rxcui: "abc" } })).rejects.toThrow(/allergy_rxcui_check/);
    expect(await db.patient.findUniqueOrThrow({ where: { id: patientId }, select: { allergyStatus: true } })).toEqual({ allergyStatus: "NOT_RECORDED" });
  });
});
