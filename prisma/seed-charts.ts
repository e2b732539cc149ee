import { randomUUID } from "node:crypto";
import { fakerEN_US as faker } from "@faker-js/faker";
import { db, type Prisma } from "../server/db.ts";
import { ensureTemplates, labFlag, noteContentHash } from "../server/modules/charts/index.ts";
import type { ClinicFixture } from "../tests/factories/index.ts";

/**
 * Chart data for the demo clinic's first patients (by MRN, adults): a year or two of visits with
 * signed notes, vitals at every visit (trend lines), a coded problem list, allergies (some
 * patients with none known, recorded explicitly; some never asked), medications and lab results
 * over time (A1c, lipids, TSH, a basic panel), the latest ones not yet acknowledged. The patient
 * now with the doctor has an open encounter with a draft note.
 *
 * Codes are never typed here: problems are picked from icd10cm_code by their official description,
 * lab tests from loinc_code by their long common name; anything missing is skipped. Deterministic
 * (its own faker seed) and fast (createMany batches, about a second).
 */

const CHART_PATIENTS = 60;
const DAY = 86_400_000;

/** Condition (official ICD-10-CM description) → what the patient takes for it and what is monitored. */
// Drug names that are RxNorm names are coded from rxnorm_drug at seed time; the others (not in our
// RxNorm list) stay typed, as a clinic's list would have both.
const CONDITIONS: Record<string, { meds: [drug: string, dose: string, route: string, frequency: string][]; labs: string[] }> = {
  "Essential (primary) hypertension": { meds: [["lisinopril 10 MG Oral Tablet", "10 mg", "oral", "once daily"]], labs: ["potassium", "sodium", "creatinine"] },
  "Type 2 diabetes mellitus without complications": { meds: [["metformin hydrochloride 500 MG Oral Tablet", "500 mg", "oral", "twice daily with meals"]], labs: ["a1c", "glucose"] },
  "Hyperlipidemia, unspecified": { meds: [["atorvastatin 20 MG Oral Tablet", "20 mg", "oral", "once daily at bedtime"]], labs: ["cholesterol", "ldl", "hdl", "triglyceride"] },
  "Gastro-esophageal reflux disease without esophagitis": { meds: [["Omeprazole", "20 mg", "oral", "once daily before breakfast"]], labs: [] },
  "Hypothyroidism, unspecified": { meds: [["levothyroxine sodium 0.075 MG Oral Tablet", "75 mcg", "oral", "once daily, fasting"]], labs: ["tsh"] },
  "Generalized anxiety disorder": { meds: [["sertraline 50 MG Oral Tablet", "50 mg", "oral", "once daily"]], labs: [] },
  "Mild intermittent asthma, uncomplicated": { meds: [["Albuterol HFA", "90 mcg/actuation, 2 puffs", "inhaled", "every 4-6 hours as needed"]], labs: [] },
  "Obesity, unspecified": { meds: [], labs: ["a1c"] },
  "Allergic rhinitis, unspecified": { meds: [["Fluticasone nasal spray", "50 mcg/spray, 2 sprays each nostril", "nasal", "once daily"]], labs: [] },
  "Vitamin D deficiency, unspecified": { meds: [["Cholecalciferol", "2000 IU", "oral", "once daily"]], labs: ["vitaminD"] },
  "Migraine, unspecified, not intractable, without status migrainosus": { meds: [["Sumatriptan", "50 mg", "oral", "at onset, may repeat once after 2 hours"]], labs: [] },
};

/** Lab test (LOINC long common name), unit, reference range, and a plausible value per visit. */
const LABS: Record<string, { name: string; unit: string; low?: number; high?: number; text?: string; value: (visit: number, visits: number) => number }> = {
  a1c: { name: "Hemoglobin A1c/Hemoglobin.total in Blood", unit: "%", high: 5.6, value: (v, n) => +(8.4 - (1.5 * v) / Math.max(1, n - 1) + faker.number.float({ min: -0.2, max: 0.2 })).toFixed(1) },
  glucose: { name: "Glucose [Mass/volume] in Serum or Plasma", unit: "mg/dL", low: 70, high: 99, value: () => faker.number.int({ min: 92, max: 168 }) },
  potassium: { name: "Potassium [Moles/volume] in Serum or Plasma", unit: "mmol/L", low: 3.5, high: 5.1, value: () => +faker.number.float({ min: 3.4, max: 5.3 }).toFixed(1) },
  sodium: { name: "Sodium [Moles/volume] in Serum or Plasma", unit: "mmol/L", low: 136, high: 145, value: () => faker.number.int({ min: 134, max: 144 }) },
  creatinine: { name: "Creatinine [Mass/volume] in Serum or Plasma", unit: "mg/dL", low: 0.6, high: 1.3, value: () => +faker.number.float({ min: 0.7, max: 1.5 }).toFixed(2) },
  cholesterol: { name: "Cholesterol [Mass/volume] in Serum or Plasma", unit: "mg/dL", text: "<200", value: (v) => faker.number.int({ min: 215 - v * 15, max: 250 - v * 15 }) },
  ldl: { name: "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation", unit: "mg/dL", high: 99, value: (v) => faker.number.int({ min: 130 - v * 15, max: 165 - v * 15 }) },
  hdl: { name: "Cholesterol in HDL [Mass/volume] in Serum or Plasma", unit: "mg/dL", text: ">40", value: () => faker.number.int({ min: 35, max: 62 }) },
  triglyceride: { name: "Triglyceride [Mass/volume] in Serum or Plasma", unit: "mg/dL", high: 149, value: () => faker.number.int({ min: 110, max: 240 }) },
  tsh: { name: "Thyrotropin [Units/volume] in Serum or Plasma", unit: "m[IU]/L", low: 0.4, high: 4.0, value: (v) => +(v === 0 ? faker.number.float({ min: 6, max: 9 }) : faker.number.float({ min: 1.2, max: 4.4 })).toFixed(2) },
  vitaminD: { name: "25-Hydroxyvitamin D2+25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma", unit: "ng/mL", low: 30, high: 100, value: (v) => faker.number.int({ min: 14 + v * 8, max: 24 + v * 8 }) },
};

const ALLERGIES: { substance: string; drugClass?: string; category: "DRUG" | "FOOD" | "ENVIRONMENTAL"; reaction: string; severity: "MILD" | "MODERATE" | "SEVERE" | "LIFE_THREATENING" }[] = [
  { substance: "Penicillin", category: "DRUG", reaction: "Hives", severity: "MODERATE" },
  { substance: "Sulfonamide antibiotics", category: "DRUG", reaction: "Rash", severity: "MILD" },
  { substance: "codeine", category: "DRUG", reaction: "Nausea and vomiting", severity: "MILD" },
  // A class allergy: the medication list flags any NSAID.
  { substance: "NSAIDs", drugClass: "NSAIDs", category: "DRUG", reaction: "Bronchospasm", severity: "SEVERE" },
  { substance: "Peanuts", category: "FOOD", reaction: "Anaphylaxis", severity: "LIFE_THREATENING" },
  { substance: "Shellfish", category: "FOOD", reaction: "Lip swelling", severity: "SEVERE" },
  { substance: "Latex", category: "ENVIRONMENTAL", reaction: "Contact dermatitis", severity: "MILD" },
];

export async function seedCharts(fixture: Pick<ClinicFixture, "clinic" | "users">): Promise<void> {
  const clinicId = fixture.clinic.id;
  faker.seed(20261127);
  await ensureTemplates(db, clinicId);
  const provider = await db.provider.findFirstOrThrow({ where: { clinicId, userId: fixture.users.PHYSICIAN.id }, select: { id: true } });
  const location = await db.location.findFirstOrThrow({ where: { clinicId, name: "Riverside" }, select: { id: true } });
  const [codes, loincs, drugs, followUpTemplate] = await Promise.all([
    db.icd10Code.findMany({ where: { description: { in: Object.keys(CONDITIONS) } }, select: { code: true, description: true }, orderBy: { code: "asc" } }),
    db.loincCode.findMany({ where: { longCommonName: { in: Object.values(LABS).map((l) => l.name) } }, select: { code: true, longCommonName: true } }),
    db.rxnormDrug.findMany({ where: { name: { in: Object.values(CONDITIONS).flatMap((c) => c.meds.map(([drug]) => drug)) } }, select: { rxcui: true, name: true } }),
    db.noteTemplate.findFirst({ where: { clinicId, encounterType: "FOLLOW_UP" }, select: { id: true, subjective: true, objective: true, assessment: true, plan: true } }),
  ]);
  const loincOf = new Map(loincs.map((l) => [l.longCommonName, l.code]));
  const rxcuiOf = new Map(drugs.map((d) => [d.name, d.rxcui]));
  const patients = await db.patient.findMany({
    where: { clinicId, status: "ACTIVE", dateOfBirth: { lte: new Date(Date.now() - 25 * 365 * DAY) } },
    select: { id: true, sex: true },
    orderBy: { mrn: "asc" },
    take: CHART_PATIENTS,
  });
  const physicianId = fixture.users.PHYSICIAN.id;
  const nurseId = fixture.users.NURSE.id;
  const now = Date.now();

  const rows = {
    encounters: [] as Prisma.EncounterCreateManyInput[],
    notes: [] as Prisma.NoteCreateManyInput[],
    vitals: [] as Prisma.VitalsCreateManyInput[],
    problems: [] as Prisma.ProblemCreateManyInput[],
    allergies: [] as Prisma.AllergyCreateManyInput[],
    medications: [] as Prisma.MedicationStatementCreateManyInput[],
    orders: [] as Prisma.LabOrderCreateManyInput[],
    results: [] as Prisma.LabResultCreateManyInput[],
    allergyStatus: { has: [] as string[], nka: [] as string[] },
  };

  for (const [index, patient] of patients.entries()) {
    const conditions = faker.helpers.arrayElements(codes, { min: index % 7 === 0 ? 0 : 1, max: 3 });
    const visits = faker.number.int({ min: 2, max: 5 });
    const heightCm = patient.sex === "FEMALE" ? faker.number.float({ min: 152, max: 175, fractionDigits: 1 }) : faker.number.float({ min: 165, max: 192, fractionDigits: 1 });
    let weightKg = faker.number.float({ min: 58, max: 108, fractionDigits: 1 });
    const hypertensive = conditions.some((c) => c.description.startsWith("Essential"));
    const onset = new Date(now - faker.number.int({ min: 2, max: 12 }) * 365 * DAY);

    for (const c of conditions) {
      rows.problems.push({
        id: randomUUID(), clinicId, patientId: patient.id, icd10Code: c.code, description: c.description,
        onsetDate: new Date(`${onset.toISOString().slice(0, 10)}T00:00:00Z`), createdById: physicianId, updatedById: physicianId,
      });
      for (const [drugName, dose, route, frequency] of CONDITIONS[c.description]?.meds ?? []) {
        rows.medications.push({
          id: randomUUID(), clinicId, patientId: patient.id, drugName, rxcui: rxcuiOf.get(drugName) ?? null, dose, route, frequency,
          startDate: new Date(`${onset.toISOString().slice(0, 10)}T00:00:00Z`), createdById: physicianId, updatedById: physicianId,
        });
      }
    }

    // Allergies: a third have some, a third "no known allergies" (recorded), a third never asked.
    const allergyKind = index % 3;
    if (allergyKind === 0) {
      for (const a of faker.helpers.arrayElements(ALLERGIES, { min: 1, max: 2 })) {
        rows.allergies.push({ id: randomUUID(), clinicId, patientId: patient.id, ...a, createdById: nurseId, updatedById: nurseId });
      }
      rows.allergyStatus.has.push(patient.id);
    } else if (allergyKind === 1) {
      rows.allergyStatus.nka.push(patient.id);
    }

    const labKeys = [...new Set(conditions.flatMap((c) => CONDITIONS[c.description]?.labs ?? []))];
    if (labKeys.length === 0) labKeys.push("glucose");
    for (let v = 0; v < visits; v++) {
      // About every three months, the last one a few weeks ago.
      const when = new Date(now - ((visits - v) * 90 - 60 + faker.number.int({ min: -10, max: 10 })) * DAY);
      const encounterId = randomUUID();
      const noteId = randomUUID();
      const type = v === 0 ? "ANNUAL_PHYSICAL" : faker.helpers.weightedArrayElement([{ value: "FOLLOW_UP" as const, weight: 4 }, { value: "ACUTE" as const, weight: 1 }]);
      weightKg = +(weightKg + faker.number.float({ min: -1.5, max: 1.2 })).toFixed(1);
      const systolic = hypertensive ? faker.number.int({ min: 132 - v * 3, max: 158 - v * 3 }) : faker.number.int({ min: 108, max: 132 });
      const diastolic = hypertensive ? faker.number.int({ min: 82, max: 96 - v }) : faker.number.int({ min: 66, max: 84 });
      const heartRate = faker.number.int({ min: 58, max: 92 });
      rows.vitals.push({
        id: randomUUID(), clinicId, patientId: patient.id, encounterId, takenAt: new Date(+when + 5 * 60_000), recordedById: nurseId,
        systolicMmHg: systolic, diastolicMmHg: diastolic, heartRatePerMin: heartRate, respiratoryRatePerMin: faker.number.int({ min: 12, max: 18 }),
        temperatureC: +faker.number.float({ min: 36.4, max: 37.3 }).toFixed(1), spo2Percent: faker.number.int({ min: 95, max: 99 }),
        heightCm, weightKg, painScore: faker.number.int({ min: 0, max: 3 }), createdById: nurseId, updatedById: nurseId,
      });
      const problemText = conditions.length ? conditions.map((c) => c.description).join("; ") : "No chronic problems";
      const medsText = conditions.flatMap((c) => CONDITIONS[c.description]?.meds ?? []).map(([d, dose, , f]) => `${d} ${dose} ${f}`);
      const signedAt = new Date(+when + 40 * 60_000);
      const texts = {
        subjective: type === "ANNUAL_PHYSICAL" ? `Annual physical. ${problemText}. Feels well; no new complaints.` : type === "ACUTE" ? "Sore throat and nasal congestion for 3 days. No fever at home." : `Follow-up of ${problemText.toLowerCase()}. Taking medications as prescribed; no side effects.`,
        objective: `BP ${systolic}/${diastolic} mmHg, HR ${heartRate}/min, weight ${weightKg} kg. ${type === "ACUTE" ? "Mild pharyngeal erythema, no exudate. Lungs clear." : "Heart regular, lungs clear, no edema."}`,
        assessment: type === "ACUTE" ? "Viral upper respiratory infection." : conditions.length ? conditions.map((c) => `${c.description}: stable.`).join("\n") : "Healthy adult.",
        plan: type === "ACUTE" ? "Fluids, rest, saline gargles. Return if fever or symptoms beyond 10 days." : `${medsText.length ? `Continue ${medsText.join("; ")}.` : "No medications."}\nLabs: ${labKeys.map((k) => k.toUpperCase()).join(", ")}.\nReturn in 3 months.`,
      };
      rows.encounters.push({
        id: encounterId, clinicId, patientId: patient.id, providerId: provider.id, locationId: location.id, type,
        reasonForVisit: type === "ACUTE" ? "Sore throat" : type === "ANNUAL_PHYSICAL" ? "Annual physical" : "Chronic care follow-up",
        startedAt: when, status: "SIGNED", signedAt, signedById: physicianId, version: 2, createdAt: when, createdById: nurseId, updatedById: physicianId,
      });
      rows.notes.push({
        id: noteId, clinicId, patientId: patient.id, encounterId, templateId: followUpTemplate?.id ?? null, ...texts, signedAt, signedById: physicianId,
        contentHash: noteContentHash({ id: noteId, patientId: patient.id, encounterId, ...texts, signedById: physicianId, signedAt }),
        version: 3, createdAt: when, createdById: physicianId, updatedById: physicianId,
      });
      if (type === "ACUTE") continue;
      const latest = v === visits - 1;
      for (const key of labKeys) {
        const lab = LABS[key]!;
        const code = loincOf.get(lab.name);
        if (!code) continue;
        const orderId = randomUUID();
        const valueNumeric = lab.value(v, visits);
        const resultedAt = new Date(+when + DAY);
        const flag = labFlag({ loincCode: code, valueNumeric, unit: lab.unit, referenceLow: lab.low ?? null, referenceHigh: lab.high ?? null, referenceText: lab.text ?? null });
        rows.orders.push({
          id: orderId, clinicId, patientId: patient.id, encounterId, loincCode: code, orderedById: physicianId, orderedAt: when,
          status: latest ? "RESULTED" : "ACKNOWLEDGED", version: latest ? 2 : 3, createdById: physicianId, updatedById: physicianId,
        });
        rows.results.push({
          id: randomUUID(), clinicId, patientId: patient.id, labOrderId: orderId, loincCode: code, valueNumeric, unit: lab.unit,
          referenceLow: lab.low ?? null, referenceHigh: lab.high ?? null, referenceText: lab.text ?? null, abnormalFlag: flag, resultedAt,
          acknowledgedAt: latest ? null : new Date(+resultedAt + DAY), acknowledgedById: latest ? null : physicianId, version: latest ? 1 : 2,
          createdById: null, updatedById: latest ? null : physicianId,
        });
      }
    }
  }

  await db.$transaction(
    async (tx) => {
      await tx.encounter.createMany({ data: rows.encounters });
      await tx.note.createMany({ data: rows.notes });
      await tx.vitals.createMany({ data: rows.vitals });
      await tx.problem.createMany({ data: rows.problems });
      await tx.allergy.createMany({ data: rows.allergies });
      await tx.medicationStatement.createMany({ data: rows.medications });
      await tx.labOrder.createMany({ data: rows.orders });
      await tx.labResult.createMany({ data: rows.results });
      const statusAt = new Date();
      await tx.patient.updateMany({ where: { id: { in: rows.allergyStatus.has } }, data: { allergyStatus: "HAS_ALLERGIES", allergyStatusAt: statusAt, allergyStatusById: nurseId } });
      await tx.patient.updateMany({ where: { id: { in: rows.allergyStatus.nka } }, data: { allergyStatus: "NO_KNOWN_ALLERGIES", allergyStatusAt: statusAt, allergyStatusById: nurseId } });

      // The patient with the doctor right now: an open encounter from the appointment, draft note.
      const inVisit = await tx.appointment.findFirst({ where: { clinicId, status: "IN_VISIT" }, select: { id: true, patientId: true, locationId: true, reason: true } });
      if (inVisit && followUpTemplate) {
        const encounter = await tx.encounter.create({
          data: { clinicId, patientId: inVisit.patientId, appointmentId: inVisit.id, providerId: provider.id, locationId: inVisit.locationId, type: "FOLLOW_UP", reasonForVisit: inVisit.reason ?? "Follow-up", createdById: nurseId, updatedById: nurseId },
          select: { id: true },
        });
        await tx.note.create({
          data: {
            clinicId, patientId: inVisit.patientId, encounterId: encounter.id, templateId: followUpTemplate.id,
            subjective: `${followUpTemplate.subjective}\nDoing well overall; occasional headaches.`, objective: followUpTemplate.objective,
            assessment: followUpTemplate.assessment, plan: followUpTemplate.plan, createdById: physicianId, updatedById: physicianId,
          },
        });
        await tx.vitals.create({
          data: { clinicId, patientId: inVisit.patientId, encounterId: encounter.id, takenAt: new Date(), recordedById: nurseId, systolicMmHg: 146, diastolicMmHg: 92, heartRatePerMin: 78, temperatureC: 36.9, spo2Percent: 97, createdById: nurseId, updatedById: nurseId },
        });
      }
    },
    { timeout: 60_000 },
  );
}
