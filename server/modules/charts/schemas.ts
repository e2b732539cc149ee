import { z } from "zod";
import { ICD10_CODE, normalizeCode } from "../../codes/format.ts";
import { optionalCalendarDate, optionalText as optionalTextField, requiredText } from "../../trpc/fields.ts";
import { POSSIBLE, toCelsius, toCentimetres, toKilograms } from "./ranges.ts";

/**
 * Chart inputs and outputs. Conventions (as in patients/history): a field left out of an edit is
 * unchanged, `null` clears an optional field, an empty text box counts as cleared; `version` is the
 * one the user read. Messages name the field in words a clinician understands. Output schemas
 * decide what leaves the server.
 */

const TEXT_MAX = 500;
const NOTES_MAX = 4000;
/** A SOAP section: generous (a long history), bounded (a paste accident is not a note). */
const SECTION_MAX = 50_000;

const id = (label: string) => z.uuid(`${label} must be chosen from the list`);
const version = z.number({ error: "version is required" }).int("version must be a whole number").min(1, "version must be 1 or more");

const text = (label: string, max = TEXT_MAX) => requiredText(label, max);
const optionalText = (label: string, max = TEXT_MAX) => optionalTextField(label, max);
/** A calendar date, real, not in the future. */
const optionalPastDate = (label: string) => optionalCalendarDate(label, { past: true });
/** A calendar date that may lie ahead (a planned stop date). */
const optionalAnyDate = (label: string) => optionalCalendarDate(label, { past: false });

/** When something was measured or resulted: not in the future (five minutes of clock skew allowed). */
const pastInstant = (label: string) =>
  z.coerce
    .date({ error: `${label} must be a date and time` })
    .refine((d) => d.getTime() <= Date.now() + 5 * 60_000, `${label} cannot be in the future`)
    .refine((d) => d.getUTCFullYear() >= 1900, `${label} cannot be before 1900`);

const rxcui = z
  .string({ error: "RxNorm code must be digits" })
  .trim()
  .regex(/^(\d{1,10})?$/, "RxNorm code must be 1 to 10 digits")
  .transform((v) => (v === "" ? null : v))
  .nullish();

export const ENCOUNTER_TYPES = ["OFFICE_VISIT", "NEW_PATIENT", "FOLLOW_UP", "ANNUAL_PHYSICAL", "ACUTE", "TELEHEALTH", "PROCEDURE", "OTHER"] as const;
export const encounterTypeSchema = z.enum(ENCOUNTER_TYPES, {
  error: "Encounter type must be office visit, new patient, follow-up, annual physical, acute, telehealth, procedure or other",
});

const personRef = z.object({ id: z.string(), name: z.string() });

export const patientChartInput = z.object({ patientId: id("Patient") });

// ---------------------------------------------------------------- encounters and notes

export const openEncounterInput = z
  .object({
    /** from an arrived, roomed or in-visit appointment: patient, provider and location come from it */
    appointmentId: id("Appointment").optional(),
    /** ad hoc: the patient, the provider and the type are required */
    patientId: id("Patient").optional(),
    providerId: id("Provider").optional(),
    locationId: id("Location").nullish(),
    type: encounterTypeSchema.optional(),
    reasonForVisit: optionalText("Reason for visit"),
    /** another template than the encounter type's default */
    templateId: id("Template").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.appointmentId) return;
    if (!v.patientId) ctx.addIssue({ code: "custom", path: ["patientId"], message: "Choose the patient (or open the encounter from an appointment)" });
    if (!v.providerId) ctx.addIssue({ code: "custom", path: ["providerId"], message: "Choose the provider for an encounter without an appointment" });
    if (!v.type) ctx.addIssue({ code: "custom", path: ["type"], message: "Choose the encounter type for an encounter without an appointment" });
  });

export const encounterOutput = z.object({
  id: z.string(),
  patientId: z.string(),
  appointmentId: z.string().nullable(),
  provider: personRef,
  location: z.object({ id: z.string(), name: z.string() }).nullable(),
  type: encounterTypeSchema,
  reasonForVisit: z.string().nullable(),
  startedAt: z.date(),
  status: z.enum(["OPEN", "SIGNED"]),
  signedAt: z.date().nullable(),
  signedBy: personRef.nullable(),
  noteId: z.string().nullable(),
  version: z.number().int(),
});

export const openEncounterOutput = z.object({
  encounter: encounterOutput,
  /** false when the appointment already had its encounter: that one is returned */
  created: z.boolean(),
});

export const timelineInput = z.object({
  patientId: id("Patient"),
  /** from the previous page's nextCursor */
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100, "Limit must be 100 or less").default(20),
});

export const timelineOutput = z.object({ items: z.array(encounterOutput), nextCursor: z.string().nullable() });

export const noteOutput = z.object({
  id: z.string(),
  encounterId: z.string(),
  patientId: z.string(),
  templateId: z.string().nullable(),
  subjective: z.string(),
  objective: z.string(),
  assessment: z.string(),
  plan: z.string(),
  /** co-edited live (a Yjs document exists): the text above is its converged state */
  live: z.boolean(),
  signedAt: z.date().nullable(),
  signedBy: personRef.nullable(),
  contentHash: z.string().nullable(),
  /** signed notes: whether the stored text still hashes to contentHash (null while unsigned) */
  contentHashValid: z.boolean().nullable(),
  version: z.number().int(),
  updatedAt: z.date(),
  updatedBy: personRef.nullable(),
});

export const addendumOutput = z.object({
  id: z.string(),
  noteId: z.string(),
  text: z.string(),
  contentHash: z.string(),
  author: personRef,
  createdAt: z.date(),
});

export const encounterInput = z.object({ encounterId: id("Encounter") });

export const encounterDetailOutput = z.object({
  encounter: encounterOutput,
  note: noteOutput.nullable(),
  addenda: z.array(addendumOutput),
});

const section = (label: string) => z.string({ error: `${label} must be text` }).max(SECTION_MAX, `${label} is too long (${SECTION_MAX} characters at most)`);

export const saveNoteInput = z
  .object({
    noteId: id("Note"),
    version,
    subjective: section("Subjective").optional(),
    objective: section("Objective").optional(),
    assessment: section("Assessment").optional(),
    plan: section("Plan").optional(),
    /** the note now follows this template (applying one from the picker records which) */
    templateId: id("Template").optional(),
  })
  .refine((v) => v.subjective !== undefined || v.objective !== undefined || v.assessment !== undefined || v.plan !== undefined, {
    path: ["subjective"],
    message: "Nothing to save: give at least one of subjective, objective, assessment or plan",
  });

export const signNoteInput = z.object({ noteId: id("Note"), version });

export const addAddendumInput = z.object({ noteId: id("Note"), text: text("Addendum text", 20_000) });

export const templatesInput = z.object({ encounterType: encounterTypeSchema.optional() });

export const templateOutput = z.object({
  id: z.string(),
  /** null: for any encounter type */
  encounterType: encounterTypeSchema.nullable(),
  name: z.string(),
  subjective: z.string(),
  objective: z.string(),
  assessment: z.string(),
  plan: z.string(),
  /** archived templates (false) are offered to nobody; notes that used them keep the reference */
  active: z.boolean(),
  /** what a new note of its encounter type starts from (one per type) */
  isDefault: z.boolean(),
  version: z.number().int(),
  updatedAt: z.date(),
  updatedBy: personRef.nullable(),
});

const templateName = text("Name", 120);

export const addTemplateInput = z
  .object({
    name: templateName,
    /** left out or null: offered for any encounter type */
    encounterType: encounterTypeSchema.nullish(),
    subjective: section("Subjective").default(""),
    objective: section("Objective").default(""),
    assessment: section("Assessment").default(""),
    plan: section("Plan").default(""),
    active: z.boolean({ error: "Active must be yes or no" }).default(true),
    /** makes it the default of its encounter type (the previous default stops being one) */
    isDefault: z.boolean({ error: "Default must be yes or no" }).default(false),
  })
  .superRefine((v, ctx) => {
    if (v.isDefault && !v.encounterType) ctx.addIssue({ code: "custom", path: ["isDefault"], message: "Only a template for one encounter type can be its default; choose the encounter type" });
    if (v.isDefault && !v.active) ctx.addIssue({ code: "custom", path: ["isDefault"], message: "An archived template cannot be the default" });
  });

/** A field left out is unchanged; `active: false` archives (there is no delete: notes reference templates). */
export const updateTemplateInput = z.object({
  id: id("Template"),
  version,
  name: templateName.optional(),
  encounterType: encounterTypeSchema.nullish(),
  subjective: section("Subjective").optional(),
  objective: section("Objective").optional(),
  assessment: section("Assessment").optional(),
  plan: section("Plan").optional(),
  active: z.boolean({ error: "Active must be yes or no" }).optional(),
  isDefault: z.boolean({ error: "Default must be yes or no" }).optional(),
});

export const allTemplatesInput = z.object({ includeArchived: z.boolean().default(true) }).default({ includeArchived: true });

// ---------------------------------------------------------------- vitals

const measurement = (label: string) => z.number({ error: `${label} must be a number` }).finite(`${label} must be a number`);

const withinPossible = (field: keyof typeof POSSIBLE, value: number | null | undefined, entered: string, ctx: z.RefinementCtx, path: string, hint = "") => {
  if (value == null) return;
  const p = POSSIBLE[field];
  if (value < p.min || value > p.max) {
    ctx.addIssue({ code: "custom", path: [path], message: `${p.label} ${entered} is not possible (${p.min}–${p.max} ${p.unit})${hint}` });
  }
};

/**
 * A set of vital signs as entered: metric or imperial (temperatureUnit "F", weightUnit "lb",
 * heightUnit "in"), converted here to the metric the database stores. BMI is never entered: the
 * database computes it. Impossible values are refused naming the field, before the database has
 * to (its CHECKs hold the same limits).
 */
const vitalsEntry = {
  takenAt: pastInstant("Time taken").optional(),
  systolic: measurement("Systolic blood pressure").int("Systolic blood pressure must be a whole number").nullish(),
  diastolic: measurement("Diastolic blood pressure").int("Diastolic blood pressure must be a whole number").nullish(),
  heartRate: measurement("Heart rate").int("Heart rate must be a whole number").nullish(),
  respiratoryRate: measurement("Respiratory rate").int("Respiratory rate must be a whole number").nullish(),
  temperature: measurement("Temperature").nullish(),
  temperatureUnit: z.enum(["C", "F"], { error: "Temperature unit must be C or F" }).default("C"),
  spo2: measurement("SpO2").int("SpO2 must be a whole number").nullish(),
  height: measurement("Height").nullish(),
  heightUnit: z.enum(["cm", "in"], { error: "Height unit must be cm or in" }).default("cm"),
  weight: measurement("Weight").nullish(),
  weightUnit: z.enum(["kg", "lb"], { error: "Weight unit must be kg or lb" }).default("kg"),
  painScore: measurement("Pain score").int("Pain score must be a whole number from 0 to 10").nullish(),
  note: optionalText("Note", 1000),
};
type VitalsEntry = z.output<z.ZodObject<typeof vitalsEntry>>;

/** The checks of a set as entered, shared by recording and correcting (the database CHECKs hold the same limits). */
function checkVitalsEntry(v: VitalsEntry, ctx: z.RefinementCtx) {
  const values = [v.systolic, v.diastolic, v.heartRate, v.respiratoryRate, v.temperature, v.spo2, v.height, v.weight, v.painScore];
  if (values.every((x) => x == null)) {
    ctx.addIssue({ code: "custom", path: ["systolic"], message: "Enter at least one measurement" });
    return;
  }
  if ((v.systolic == null) !== (v.diastolic == null)) {
    ctx.addIssue({ code: "custom", path: [v.systolic == null ? "systolic" : "diastolic"], message: "Blood pressure needs both systolic and diastolic" });
  }
  withinPossible("systolicMmHg", v.systolic, `${v.systolic} mmHg`, ctx, "systolic");
  withinPossible("diastolicMmHg", v.diastolic, `${v.diastolic} mmHg`, ctx, "diastolic");
  if (v.systolic != null && v.diastolic != null && v.diastolic >= v.systolic) {
    ctx.addIssue({ code: "custom", path: ["diastolic"], message: "Diastolic blood pressure must be below systolic" });
  }
  withinPossible("heartRatePerMin", v.heartRate, `${v.heartRate} /min`, ctx, "heartRate");
  withinPossible("respiratoryRatePerMin", v.respiratoryRate, `${v.respiratoryRate} /min`, ctx, "respiratoryRate");
  if (v.temperature != null) {
    const c = toCelsius(v.temperature, v.temperatureUnit);
    const hint = v.temperatureUnit === "C" && v.temperature > 90 ? "; was it °F?" : v.temperatureUnit === "F" && v.temperature < 47 ? "; was it °C?" : "";
    withinPossible("temperatureC", c, `${v.temperature} °${v.temperatureUnit}`, ctx, "temperature", hint);
  }
  withinPossible("spo2Percent", v.spo2, `${v.spo2} %`, ctx, "spo2");
  if (v.height != null) withinPossible("heightCm", toCentimetres(v.height, v.heightUnit), `${v.height} ${v.heightUnit}`, ctx, "height");
  if (v.weight != null) withinPossible("weightKg", toKilograms(v.weight, v.weightUnit), `${v.weight} ${v.weightUnit}`, ctx, "weight");
  withinPossible("painScore", v.painScore, `${v.painScore}`, ctx, "painScore");
  if (v.height != null && v.weight != null) {
    const m = toCentimetres(v.height, v.heightUnit) / 100;
    const bmi = toKilograms(v.weight, v.weightUnit) / (m * m);
    if (m > 0 && (bmi < 3 || bmi > 250)) {
      ctx.addIssue({ code: "custom", path: ["weight"], message: `Height and weight give a BMI of ${bmi.toFixed(0)}, which is not possible; check both` });
    }
  }
}

/** The columns a set is stored in (metric). */
const vitalsColumns = (v: VitalsEntry) => ({
  systolicMmHg: v.systolic ?? null,
  diastolicMmHg: v.diastolic ?? null,
  heartRatePerMin: v.heartRate ?? null,
  respiratoryRatePerMin: v.respiratoryRate ?? null,
  temperatureC: v.temperature == null ? null : toCelsius(v.temperature, v.temperatureUnit),
  spo2Percent: v.spo2 ?? null,
  heightCm: v.height == null ? null : toCentimetres(v.height, v.heightUnit),
  weightKg: v.weight == null ? null : toKilograms(v.weight, v.weightUnit),
  painScore: v.painScore ?? null,
  note: v.note ?? null,
});

export const recordVitalsInput = z
  .object({
    patientId: id("Patient"),
    encounterId: id("Encounter").nullish(),
    ...vitalsEntry,
  })
  .superRefine(checkVitalsEntry)
  .transform((v) => ({
    patientId: v.patientId,
    encounterId: v.encounterId ?? null,
    takenAt: v.takenAt ?? null,
    ...vitalsColumns(v),
  }));

/**
 * Corrects a recorded set: the whole set as it should read (a measurement left out or null is
 * cleared), checked like recording; `takenAt` left out is unchanged. Or, with `enteredInError:
 * true` and nothing else, hides the set from lists, trends and the summary (kept for the record).
 */
export const updateVitalsInput = z
  .object({
    id: id("Vitals"),
    version,
    ...vitalsEntry,
    enteredInError: z.literal(true, { error: "enteredInError can only be true" }).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.enteredInError) checkVitalsEntry(v, ctx);
  })
  .transform((v) =>
    v.enteredInError
      ? { id: v.id, version: v.version, enteredInError: true as const }
      : { id: v.id, version: v.version, enteredInError: false as const, takenAt: v.takenAt ?? null, ...vitalsColumns(v) },
  );

const vitalFieldSchema = z.enum([
  "systolicMmHg",
  "diastolicMmHg",
  "heartRatePerMin",
  "respiratoryRatePerMin",
  "temperatureC",
  "spo2Percent",
  "heightCm",
  "weightKg",
  "bmi",
  "painScore",
]);

export const vitalsOutput = z.object({
  id: z.string(),
  patientId: z.string(),
  encounterId: z.string().nullable(),
  takenAt: z.date(),
  systolicMmHg: z.number().nullable(),
  diastolicMmHg: z.number().nullable(),
  heartRatePerMin: z.number().nullable(),
  respiratoryRatePerMin: z.number().nullable(),
  temperatureC: z.number().nullable(),
  spo2Percent: z.number().nullable(),
  heightCm: z.number().nullable(),
  weightKg: z.number().nullable(),
  /** computed by the database from height and weight */
  bmi: z.number().nullable(),
  painScore: z.number().nullable(),
  note: z.string().nullable(),
  /** abnormal values (ranges in ranges.ts, docs/charts.md) */
  flags: z.array(z.object({ field: vitalFieldSchema, level: z.enum(["HIGH", "LOW"]), rule: z.string() })),
  recordedBy: personRef,
  /** marked entered in error: such sets are left out of every list; only a correction returns one */
  enteredInError: z.boolean(),
  version: z.number().int(),
});

export const vitalsInput = z
  .object({
    patientId: id("Patient"),
    /** only the sets recorded in this encounter */
    encounterId: id("Encounter").optional(),
    from: z.coerce.date({ error: "From must be a date and time" }).optional(),
    to: z.coerce.date({ error: "To must be a date and time" }).optional(),
    /** the most recent `limit` sets in the window, returned oldest first (for trend lines) */
    limit: z.number().int().min(1).max(5000, "Limit must be 5000 or less").default(500),
  })
  .refine((v) => !v.from || !v.to || v.to >= v.from, { path: ["to"], message: "To must be on or after From" });

export const vitalsListOutput = z.object({ items: z.array(vitalsOutput) });

// ---------------------------------------------------------------- problems

/** Dotted or not ("E11.9" / "e119"), stored without the dot. Whether it exists is checked by the service. */
const icd10Code = z
  .string({ error: "ICD-10 code is required (like E11.9)" })
  .transform(normalizeCode)
  .refine((v) => ICD10_CODE.test(v), "ICD-10 code must look like E11.9");

export const addProblemInput = z.object({
  patientId: id("Patient"),
  icd10Code,
  /** defaults to the code's description */
  description: optionalText("Description"),
  onsetDate: optionalPastDate("Onset date"),
  notes: optionalText("Notes", NOTES_MAX),
});

export const updateProblemInput = z.object({
  id: id("Problem"),
  version,
  icd10Code: icd10Code.optional(),
  description: text("Description").optional(),
  onsetDate: optionalPastDate("Onset date"),
  /** RESOLVED sets the resolved date (today unless given); ACTIVE clears it */
  status: z.enum(["ACTIVE", "RESOLVED"], { error: "Status must be active or resolved" }).optional(),
  resolvedAt: optionalPastDate("Resolved date"),
  notes: optionalText("Notes", NOTES_MAX),
  /** hides the entry (kept for the record) */
  enteredInError: z.literal(true, { error: "enteredInError can only be true" }).optional(),
});

export const problemOutput = z.object({
  id: z.string(),
  patientId: z.string(),
  icd10Code: z.string(),
  icd10CodeDotted: z.string(),
  description: z.string(),
  onsetDate: z.string().nullable(),
  status: z.enum(["ACTIVE", "RESOLVED"]),
  resolvedAt: z.string().nullable(),
  notes: z.string().nullable(),
  enteredInError: z.boolean(),
  version: z.number().int(),
  updatedAt: z.date(),
  updatedBy: personRef.nullable(),
});

export const listInput = z.object({
  patientId: id("Patient"),
  /** resolved problems, inactive allergies, stopped medications too */
  includeInactive: z.boolean().default(false),
});

// ---------------------------------------------------------------- allergies

export const allergyCategorySchema = z.enum(["DRUG", "FOOD", "ENVIRONMENTAL", "OTHER"], { error: "Category must be drug, food, environmental or other" });
export const allergySeveritySchema = z.enum(["MILD", "MODERATE", "SEVERE", "LIFE_THREATENING"], { error: "Severity must be mild, moderate, severe or life-threatening" });

export const addAllergyInput = z.object({
  patientId: id("Patient"),
  substance: text("Substance", 200),
  category: allergyCategorySchema,
  reaction: optionalText("Reaction"),
  severity: allergySeveritySchema.nullish(),
  onsetDate: optionalPastDate("Onset date"),
  rxcui,
  drugClass: optionalText("Drug class", 100),
  notes: optionalText("Notes", NOTES_MAX),
});

export const updateAllergyInput = z.object({
  id: id("Allergy"),
  version,
  substance: text("Substance", 200).optional(),
  category: allergyCategorySchema.optional(),
  reaction: optionalText("Reaction"),
  severity: allergySeveritySchema.nullish(),
  onsetDate: optionalPastDate("Onset date"),
  rxcui,
  drugClass: optionalText("Drug class", 100),
  notes: optionalText("Notes", NOTES_MAX),
  status: z.enum(["ACTIVE", "INACTIVE", "ENTERED_IN_ERROR"], { error: "Status must be active, inactive or entered in error" }).optional(),
});

export const allergyOutput = z.object({
  id: z.string(),
  patientId: z.string(),
  substance: z.string(),
  category: allergyCategorySchema,
  reaction: z.string().nullable(),
  severity: allergySeveritySchema.nullable(),
  status: z.enum(["ACTIVE", "INACTIVE", "ENTERED_IN_ERROR"]),
  onsetDate: z.string().nullable(),
  rxcui: z.string().nullable(),
  drugClass: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.date(),
  updatedBy: personRef.nullable(),
});

export const allergyStatusSchema = z.enum(["NOT_RECORDED", "NO_KNOWN_ALLERGIES", "HAS_ALLERGIES"]);

export const allergiesOutput = z.object({
  patientId: z.string(),
  /** HAS_ALLERGIES whenever an allergy is active; NO_KNOWN_ALLERGIES only when recorded explicitly */
  status: allergyStatusSchema,
  statusRecordedAt: z.date().nullable(),
  statusRecordedBy: personRef.nullable(),
  items: z.array(allergyOutput),
});

// ---------------------------------------------------------------- medications

export const addMedicationInput = z
  .object({
    patientId: id("Patient"),
    drugName: text("Drug name", 200),
    rxcui,
    dose: optionalText("Dose", 100),
    route: optionalText("Route", 60),
    frequency: optionalText("Frequency", 100),
    startDate: optionalPastDate("Start date"),
    stopDate: optionalAnyDate("Stop date"),
    notes: optionalText("Notes", NOTES_MAX),
  })
  .refine((v) => !v.startDate || !v.stopDate || v.stopDate >= v.startDate, { path: ["stopDate"], message: "Stop date cannot be before the start date" });

export const updateMedicationInput = z.object({
  id: id("Medication"),
  version,
  drugName: text("Drug name", 200).optional(),
  rxcui,
  dose: optionalText("Dose", 100),
  route: optionalText("Route", 60),
  frequency: optionalText("Frequency", 100),
  startDate: optionalPastDate("Start date"),
  stopDate: optionalAnyDate("Stop date"),
  /** STOPPED sets the stop date (today unless given) */
  status: z.enum(["ACTIVE", "STOPPED"], { error: "Status must be active or stopped" }).optional(),
  notes: optionalText("Notes", NOTES_MAX),
  enteredInError: z.literal(true, { error: "enteredInError can only be true" }).optional(),
});

export const medicationOutput = z.object({
  id: z.string(),
  patientId: z.string(),
  drugName: z.string(),
  rxcui: z.string().nullable(),
  dose: z.string().nullable(),
  route: z.string().nullable(),
  frequency: z.string().nullable(),
  startDate: z.string().nullable(),
  stopDate: z.string().nullable(),
  status: z.enum(["ACTIVE", "STOPPED"]),
  source: z.enum(["MANUAL", "PRESCRIPTION"]),
  notes: z.string().nullable(),
  enteredInError: z.boolean(),
  /** active drug allergies of the patient this medication runs into (server/modules/charts/drug-allergies.ts) */
  allergyWarnings: z.array(z.object({ allergyId: z.string(), allergen: z.string(), ingredient: z.string(), severity: allergySeveritySchema.nullable() })),
  version: z.number().int(),
  updatedAt: z.date(),
  updatedBy: personRef.nullable(),
});

// ---------------------------------------------------------------- labs

const loincCode = z
  .string({ error: "LOINC code is required (like 4548-4)" })
  .trim()
  .regex(/^\d{1,7}-\d$/, "LOINC code must look like 4548-4");

export const orderLabInput = z.object({
  patientId: id("Patient"),
  loincCode,
  encounterId: id("Encounter").nullish(),
  notes: optionalText("Notes", NOTES_MAX),
});

const decimal = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .finite(`${label} must be a number`)
    .refine((v) => Math.abs(v) < 1e12, `${label} is too large`);

export const recordLabResultInput = z
  .object({
    /** the order this result answers; without one, patientId and loincCode are required */
    labOrderId: id("Lab order").optional(),
    patientId: id("Patient").optional(),
    /** defaults to the order's code (a panel's components have their own codes) */
    loincCode: loincCode.optional(),
    valueNumeric: decimal("Value").nullish(),
    valueText: optionalText("Value", 1000),
    unit: optionalText("Unit", 40),
    referenceLow: decimal("Reference low").nullish(),
    referenceHigh: decimal("Reference high").nullish(),
    referenceText: optionalText("Reference range", 100),
    resultedAt: pastInstant("Result time").optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.labOrderId && !v.patientId) ctx.addIssue({ code: "custom", path: ["patientId"], message: "Choose the patient (or the lab order this result answers)" });
    if (!v.labOrderId && !v.loincCode) ctx.addIssue({ code: "custom", path: ["loincCode"], message: "Choose the test (LOINC code) for a result without an order" });
    if (v.valueNumeric == null && !v.valueText) ctx.addIssue({ code: "custom", path: ["valueNumeric"], message: "Enter the result value (a number or text)" });
    if (v.referenceLow != null && v.referenceHigh != null && v.referenceLow > v.referenceHigh) {
      ctx.addIssue({ code: "custom", path: ["referenceLow"], message: "Reference low must not be above reference high" });
    }
  });

export const acknowledgeResultInput = z.object({ resultId: id("Lab result"), version });

export const cancelLabOrderInput = z.object({ labOrderId: id("Lab order"), version, reason: text("Reason for cancelling", 300) });

export const abnormalFlagSchema = z.enum(["L", "H", "LL", "HH", "A", "N"]);

export const labResultOutput = z.object({
  id: z.string(),
  patientId: z.string(),
  labOrderId: z.string().nullable(),
  loincCode: z.string(),
  testName: z.string(),
  valueNumeric: z.number().nullable(),
  valueText: z.string().nullable(),
  unit: z.string().nullable(),
  referenceLow: z.number().nullable(),
  referenceHigh: z.number().nullable(),
  referenceText: z.string().nullable(),
  /** computed from the value and the reference range (ranges.ts); null when there is nothing to compare */
  abnormalFlag: abnormalFlagSchema.nullable(),
  resultedAt: z.date(),
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: personRef.nullable(),
  version: z.number().int(),
});

export const labOrderOutput = z.object({
  id: z.string(),
  patientId: z.string(),
  encounterId: z.string().nullable(),
  loincCode: z.string(),
  testName: z.string(),
  orderedAt: z.date(),
  orderedBy: personRef,
  status: z.enum(["ORDERED", "RESULTED", "ACKNOWLEDGED", "CANCELLED"]),
  cancelReason: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  results: z.array(labResultOutput),
});

export const labsInput = z.object({
  patientId: id("Patient"),
  /** orders placed (and results resulted without an order) in the most recent N */
  limit: z.number().int().min(1).max(500, "Limit must be 500 or less").default(100),
});

export const labsOutput = z.object({
  orders: z.array(labOrderOutput),
  /** results that arrived without an order (imports) */
  unorderedResults: z.array(labResultOutput),
  unacknowledgedCount: z.number().int(),
});

export const labTrendInput = z.object({
  patientId: id("Patient"),
  loincCode,
  from: z.coerce.date({ error: "From must be a date and time" }).optional(),
  to: z.coerce.date({ error: "To must be a date and time" }).optional(),
  limit: z.number().int().min(1).max(5000, "Limit must be 5000 or less").default(1000),
});

export const labTrendOutput = z.object({
  loincCode: z.string(),
  testName: z.string(),
  /** oldest first; numeric results only */
  points: z.array(
    z.object({
      resultId: z.string(),
      resultedAt: z.date(),
      value: z.number(),
      unit: z.string().nullable(),
      referenceLow: z.number().nullable(),
      referenceHigh: z.number().nullable(),
      abnormalFlag: abnormalFlagSchema.nullable(),
    }),
  ),
  /** tests with numeric results for this patient, for the trend picker */
  available: z.array(z.object({ loincCode: z.string(), testName: z.string(), count: z.number().int() })),
});

// ---------------------------------------------------------------- LOINC search (charts.loincSearch = codes.loincSearch)

export { loincOutput, loincSearchInput } from "../../codes/index.ts";

// ---------------------------------------------------------------- summary

export const summaryOutput = z.object({
  patientId: z.string(),
  allergies: z.object({
    status: allergyStatusSchema,
    items: z.array(z.object({ id: z.string(), substance: z.string(), category: allergyCategorySchema, severity: allergySeveritySchema.nullable(), reaction: z.string().nullable() })),
  }),
  problems: z.array(z.object({ id: z.string(), icd10CodeDotted: z.string(), description: z.string(), onsetDate: z.string().nullable() })),
  medications: z.array(z.object({ id: z.string(), drugName: z.string(), dose: z.string().nullable(), route: z.string().nullable(), frequency: z.string().nullable() })),
  lastVitals: vitalsOutput.omit({ recordedBy: true }).nullable(),
  unacknowledgedResults: z.number().int(),
});
