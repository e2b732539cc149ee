import { z } from "zod";
import { ICD10_CODE, normalizeCode } from "../../codes/format.ts";
import { optionalText as optionalTextField, requiredText, today } from "../../trpc/fields.ts";

/**
 * Medical history inputs and outputs. Conventions for edits: a field left out is unchanged, `null`
 * clears it (optional fields only), and an empty text box counts as cleared. `version` is the one
 * the user read; a stale one is a CONFLICT naming who saved in between.
 */

const TEXT_MAX = 500;
const NOTE_MAX = 2000;

// Evaluated per request, not at import: a long-running server must accept next year's entries.
const currentYear = () => new Date().getUTCFullYear();

const id = (label: string) => z.string({ error: `${label} is required` }).uuid(`${label} must be an id`);
const version = z.number({ error: "version is required" }).int().min(1);

/** Required text: trimmed, not empty. */
const text = (label: string, max = TEXT_MAX) => requiredText(label, max);

/** Optional text: an empty box becomes null (cleared). */
const optionalText = (label: string, max = TEXT_MAX) => optionalTextField(label, max);

/** Dotted or not ("E11.9" / "e119"), stored without the dot. Whether it exists is checked by the service. */
const icd10Code = z
  .string({ error: "ICD-10 code must be text like E11.9" })
  .transform(normalizeCode)
  .refine((v) => v === "" || ICD10_CODE.test(v), "ICD-10 code must look like E11.9")
  .transform((v) => (v === "" ? null : v))
  .nullish();

const onsetYear = z
  .number({ error: "Onset year must be a year like 2015" })
  .int("Onset year must be a year like 2015")
  .min(1900, "Onset year cannot be before 1900")
  .refine((y) => y <= currentYear(), "Onset year cannot be in the future")
  .nullish();

const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const isRealPartialDate = (v: string) => {
  const [year, month, day] = v.split("-").map(Number);
  if (month === undefined) return true;
  if (month < 1 || month > 12) return false;
  if (day === undefined) return true;
  // Date.UTC rolls 2023-02-30 over to March; a real date survives the round trip.
  return new Date(Date.UTC(year!, month - 1, day)).getUTCDate() === day;
};

/** Histories are often vague: "2014", "2014-06" or "2014-06-03" are all fine. */
const performedOn = z
  .string({ error: "Date performed must look like 2014, 2014-06 or 2014-06-03" })
  .trim()
  .transform((v) => (v === "" ? null : v))
  .pipe(
    z
      .string()
      // abort: a value of the wrong shape gets one message, not three.
      .regex(PARTIAL_DATE, { message: "Date performed must look like 2014, 2014-06 or 2014-06-03", abort: true })
      .refine(isRealPartialDate, { message: "Date performed is not a real date", abort: true })
      .refine((v) => v >= "1900", "Date performed cannot be before 1900")
      // Same-length ISO prefixes compare correctly as strings: "2026-11" vs "2026-11-26".slice(0, 7).
      .refine((v) => v <= today().slice(0, v.length), "Date performed cannot be in the future")
      .nullable(),
  )
  .nullish();

const ageAtOnset = z
  .number({ error: "Age at onset must be a number of years" })
  .int("Age at onset must be a whole number of years")
  .min(0, "Age at onset cannot be negative")
  .max(130, "Age at onset must be 130 or less")
  .nullish();

export const historyPatientInput = z.object({ patientId: id("Patient") });

// --- past conditions --------------------------------------------------------------------------

export const addConditionInput = z
  .object({
    patientId: id("Patient"),
    icd10Code,
    /** Defaults to the code's description when only a code is given. */
    description: optionalText("Description"),
    onsetYear,
    resolved: z.boolean({ error: "Resolved must be yes or no" }).default(false),
    note: optionalText("Note", NOTE_MAX),
  })
  .refine((v) => v.description || v.icd10Code, {
    path: ["description"],
    message: "Describe the condition or choose an ICD-10 code",
  });

export const updateConditionInput = z.object({
  id: id("Condition"),
  version,
  icd10Code,
  description: text("Description").optional(),
  onsetYear,
  resolved: z.boolean({ error: "Resolved must be yes or no" }).optional(),
  note: optionalText("Note", NOTE_MAX),
});

// --- past surgeries ---------------------------------------------------------------------------

export const addSurgeryInput = z.object({
  patientId: id("Patient"),
  procedure: text("Procedure"),
  performedOn,
  note: optionalText("Note", NOTE_MAX),
});

export const updateSurgeryInput = z.object({
  id: id("Surgery"),
  version,
  procedure: text("Procedure").optional(),
  performedOn,
  note: optionalText("Note", NOTE_MAX),
});

// --- family history ---------------------------------------------------------------------------

export const addFamilyHistoryInput = z
  .object({
    patientId: id("Patient"),
    /** Free text: "Mother", "Maternal grandfather", "Brother (half)". */
    relative: text("Relative", 100),
    icd10Code,
    /** Defaults to the code's description when only a code is given. */
    condition: optionalText("Condition"),
    ageAtOnset,
    note: optionalText("Note", NOTE_MAX),
  })
  .refine((v) => v.condition || v.icd10Code, {
    path: ["condition"],
    message: "Describe the condition or choose an ICD-10 code",
  });

export const updateFamilyHistoryInput = z.object({
  id: id("Family history entry"),
  version,
  relative: text("Relative", 100).optional(),
  icd10Code,
  condition: text("Condition").optional(),
  ageAtOnset,
  note: optionalText("Note", NOTE_MAX),
});

// --- removal (soft) ---------------------------------------------------------------------------

export const removeConditionInput = z.object({ id: id("Condition"), version });
export const removeSurgeryInput = z.object({ id: id("Surgery"), version });
export const removeFamilyHistoryInput = z.object({ id: id("Family history entry"), version });

// --- social history ---------------------------------------------------------------------------

export const TOBACCO_STATUSES = ["NEVER", "FORMER", "CURRENT_EVERY_DAY", "CURRENT_SOME_DAYS", "UNKNOWN"] as const;
const SMOKERS: readonly string[] = ["FORMER", "CURRENT_EVERY_DAY", "CURRENT_SOME_DAYS"];
export const tobaccoStatus = z.enum(TOBACCO_STATUSES, {
  error: "Tobacco use must be one of never, former, current every day, current some days, unknown",
});

/**
 * One record per patient, saved whole (the form shows every field): a field left out is saved
 * empty. No `version` means "there is none yet"; if someone created it meanwhile, that is a CONFLICT.
 */
export const saveSocialHistoryInput = z
  .object({
    patientId: id("Patient"),
    version: version.optional(),
    tobaccoStatus: tobaccoStatus.default("UNKNOWN"),
    packYears: z
      .number({ error: "Pack-years must be a number" })
      .min(0, "Pack-years cannot be negative")
      // The column holds up to 9999.9; anything past 300 (3 packs a day for 100 years) is a typo.
      .max(300, "Pack-years must be 300 or less")
      // Stored with one decimal place; round here so the saved value is the one shown back.
      .transform((v) => Math.round(v * 10) / 10)
      .nullish(),
    alcohol: optionalText("Alcohol use"),
    substances: optionalText("Other substance use"),
    occupation: optionalText("Occupation", 200),
  })
  .refine((v) => v.packYears == null || SMOKERS.includes(v.tobaccoStatus), {
    path: ["packYears"],
    message: "Pack-years applies only to former or current smokers",
  });

// --- outputs ----------------------------------------------------------------------------------

const recorded = {
  version: z.number().int(),
  /** who saved the current version (or removed it) */
  recordedBy: z.object({ id: z.string(), name: z.string() }),
  recordedAt: z.date(),
};

export const conditionOutput = z.object({
  id: z.string(),
  icd10Code: z.string().nullable(),
  icd10CodeDotted: z.string().nullable(),
  description: z.string(),
  onsetYear: z.number().int().nullable(),
  resolved: z.boolean(),
  note: z.string().nullable(),
  ...recorded,
});

export const surgeryOutput = z.object({
  id: z.string(),
  procedure: z.string(),
  performedOn: z.string().nullable(),
  note: z.string().nullable(),
  ...recorded,
});

export const familyHistoryOutput = z.object({
  id: z.string(),
  relative: z.string(),
  condition: z.string(),
  icd10Code: z.string().nullable(),
  icd10CodeDotted: z.string().nullable(),
  ageAtOnset: z.number().int().nullable(),
  note: z.string().nullable(),
  ...recorded,
});

export const socialHistoryOutput = z.object({
  patientId: z.string(),
  tobaccoStatus,
  packYears: z.number().nullable(),
  alcohol: z.string().nullable(),
  substances: z.string().nullable(),
  occupation: z.string().nullable(),
  ...recorded,
});

export const historyOutput = z.object({
  patientId: z.string(),
  conditions: z.array(conditionOutput),
  surgeries: z.array(surgeryOutput),
  familyHistory: z.array(familyHistoryOutput),
  socialHistory: socialHistoryOutput.nullable(),
});

export const removedOutput = z.object({ id: z.string(), version: z.number().int() });
