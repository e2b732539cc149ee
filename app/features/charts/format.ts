import { ABNORMAL, type VitalField } from "../../../server/modules/charts/ranges.ts";
import { cToF, cmToIn, kgToLb } from "./units";
import type { AbnormalFlag, AllergyCategory, AllergySeverity, EncounterType, Vitals } from "./types";

export const ENCOUNTER_TYPE_LABEL: Record<EncounterType, string> = {
  OFFICE_VISIT: "Office visit",
  NEW_PATIENT: "New patient",
  FOLLOW_UP: "Follow-up",
  ANNUAL_PHYSICAL: "Annual physical",
  ACUTE: "Acute visit",
  TELEHEALTH: "Telehealth",
  PROCEDURE: "Procedure",
  OTHER: "Other",
};
export const ENCOUNTER_TYPE_OPTIONS = (Object.keys(ENCOUNTER_TYPE_LABEL) as EncounterType[]).map((value) => ({ value, label: ENCOUNTER_TYPE_LABEL[value] }));

export const ALLERGY_CATEGORY_LABEL: Record<AllergyCategory, string> = { DRUG: "Drug", FOOD: "Food", ENVIRONMENTAL: "Environmental", OTHER: "Other" };
export const ALLERGY_SEVERITY_LABEL: Record<AllergySeverity, string> = { MILD: "Mild", MODERATE: "Moderate", SEVERE: "Severe", LIFE_THREATENING: "Life-threatening" };
export const ALLERGY_STATUS_LABEL = { ACTIVE: "Active", INACTIVE: "Inactive", ENTERED_IN_ERROR: "Entered in error" } as const;

export const FLAG_LABEL: Record<AbnormalFlag, string> = { L: "Low", H: "High", LL: "Critically low", HH: "Critically high", A: "Abnormal", N: "Normal" };
export const FLAG_TONE: Record<AbnormalFlag, "danger" | "warn" | "ok"> = { L: "warn", H: "warn", LL: "danger", HH: "danger", A: "warn", N: "ok" };

/** What a vital sign is called and how it is shown (metric as stored; imperial beside where people expect it). */
export const VITAL_LABEL: Record<VitalField, string> = {
  systolicMmHg: "Systolic",
  diastolicMmHg: "Diastolic",
  heartRatePerMin: "Heart rate",
  respiratoryRatePerMin: "Respiratory rate",
  temperatureC: "Temperature",
  spo2Percent: "SpO2",
  heightCm: "Height",
  weightKg: "Weight",
  bmi: "BMI",
  painScore: "Pain",
};

export const normalRangeOf = (field: VitalField) => ABNORMAL[field] ?? null;

export type VitalFlagLevel = "HIGH" | "LOW";

/** Flags on one set of vitals, by field. */
export function flagsByField(vitals: Pick<Vitals, "flags">): Partial<Record<VitalField, { level: VitalFlagLevel; rule: string }>> {
  const out: Partial<Record<VitalField, { level: VitalFlagLevel; rule: string }>> = {};
  for (const flag of vitals.flags) out[flag.field] = { level: flag.level, rule: flag.rule };
  return out;
}

const one = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** "128/82 mmHg", "37.2 °C (99.0 °F)", "72.5 kg (159.8 lb)" … or null when not measured. */
export function vitalText(vitals: Vitals | Omit<Vitals, "recordedBy">, field: "bp" | VitalField): string | null {
  switch (field) {
    case "bp":
      return vitals.systolicMmHg != null && vitals.diastolicMmHg != null ? `${vitals.systolicMmHg}/${vitals.diastolicMmHg} mmHg` : null;
    case "systolicMmHg":
    case "diastolicMmHg":
      return vitals[field] != null ? `${vitals[field]} mmHg` : null;
    case "heartRatePerMin":
    case "respiratoryRatePerMin":
      return vitals[field] != null ? `${vitals[field]} /min` : null;
    case "temperatureC":
      return vitals.temperatureC != null ? `${vitals.temperatureC.toFixed(1)} °C (${cToF(vitals.temperatureC).toFixed(1)} °F)` : null;
    case "spo2Percent":
      return vitals.spo2Percent != null ? `${vitals.spo2Percent} %` : null;
    case "heightCm":
      return vitals.heightCm != null ? `${one(vitals.heightCm)} cm (${one(cmToIn(vitals.heightCm))} in)` : null;
    case "weightKg":
      return vitals.weightKg != null ? `${vitals.weightKg.toFixed(1)} kg (${kgToLb(vitals.weightKg).toFixed(1)} lb)` : null;
    case "bmi":
      return vitals.bmi != null ? `${vitals.bmi.toFixed(1)} kg/m²` : null;
    case "painScore":
      return vitals.painScore != null ? `${vitals.painScore}/10` : null;
  }
}

/** "1.2 mg/dL", "Negative" */
export function labValueText(result: { valueNumeric: number | null; valueText: string | null; unit: string | null }): string {
  if (result.valueNumeric != null) return `${formatNumber(result.valueNumeric)}${result.unit ? ` ${result.unit}` : ""}`;
  return result.valueText ?? "—";
}

export function rangeText(result: { referenceLow: number | null; referenceHigh: number | null; referenceText: string | null; unit?: string | null }): string {
  if (result.referenceLow != null && result.referenceHigh != null) return `${formatNumber(result.referenceLow)}–${formatNumber(result.referenceHigh)}`;
  if (result.referenceLow != null) return `≥ ${formatNumber(result.referenceLow)}`;
  if (result.referenceHigh != null) return `≤ ${formatNumber(result.referenceHigh)}`;
  return result.referenceText ?? "";
}

/** Up to 4 significant decimals, no trailing zeros (numeric(18,6) comes back as 5.400000). */
export const formatNumber = (n: number) => String(Number(n.toFixed(4)));
