/**
 * The clinical numbers of the charts module, in one place: what a vital sign may physically be (the
 * same limits as the database CHECKs in the charts migration, so a form gets a field message
 * before the database has to refuse), when a vital sign is flagged abnormal, how imperial entry is
 * converted to the metric the database stores, and how a lab result's abnormal flag is computed.
 * Pure functions: no database, unit-tested in ranges.test.ts, documented in docs/charts.md.
 */

// ---------------------------------------------------------------- vitals: units

export type TemperatureUnit = "C" | "F";
export type WeightUnit = "kg" | "lb";
export type HeightUnit = "cm" | "in";

const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

/** °F → °C, to the 0.1 °C the column keeps. */
export const toCelsius = (value: number, unit: TemperatureUnit) => round(unit === "F" ? ((value - 32) * 5) / 9 : value, 1);
/** lb → kg (exact international pound), to the 0.01 kg the column keeps. */
export const toKilograms = (value: number, unit: WeightUnit) => round(unit === "lb" ? value * 0.45359237 : value, 2);
/** in → cm, to the 0.1 cm the column keeps. */
export const toCentimetres = (value: number, unit: HeightUnit) => round(unit === "in" ? value * 2.54 : value, 1);

// ---------------------------------------------------------------- vitals: possible and normal

export const VITAL_FIELDS = [
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
] as const;
export type VitalField = (typeof VITAL_FIELDS)[number];

/**
 * Physically possible (metric, inclusive): the database CHECKs (vitals_*_check) hold the same
 * numbers. Outside them the value is a typo or a unit mix-up, never a patient.
 */
export const POSSIBLE: Record<Exclude<VitalField, "bmi">, { min: number; max: number; unit: string; label: string }> = {
  systolicMmHg: { min: 40, max: 300, unit: "mmHg", label: "Systolic blood pressure" },
  diastolicMmHg: { min: 20, max: 200, unit: "mmHg", label: "Diastolic blood pressure" },
  heartRatePerMin: { min: 20, max: 300, unit: "/min", label: "Heart rate" },
  respiratoryRatePerMin: { min: 2, max: 100, unit: "/min", label: "Respiratory rate" },
  temperatureC: { min: 14, max: 47, unit: "°C", label: "Temperature" },
  spo2Percent: { min: 30, max: 100, unit: "%", label: "SpO2" },
  heightCm: { min: 20, max: 275, unit: "cm", label: "Height" },
  weightKg: { min: 0.2, max: 700, unit: "kg", label: "Weight" },
  painScore: { min: 0, max: 10, unit: "/10", label: "Pain score" },
};

/** BMI the database accepts (vitals_bmi_check); outside it, height or weight was mistyped. */
export const POSSIBLE_BMI = { min: 3, max: 250 };

/**
 * When a recorded value is flagged (adults, outpatient). `high` flags value >= high, `low` flags
 * value < low: BP >= 140/90, HR > 100 or < 50, RR > 20 or < 12, temp >= 38.0 °C or < 35.0 °C,
 * SpO2 < 92 %, BMI >= 30 or < 18.5, pain >= 7.
 */
export const ABNORMAL: Partial<Record<VitalField, { low?: number; high?: number; text: string }>> = {
  systolicMmHg: { low: 90, high: 140, text: "systolic ≥ 140 or < 90 mmHg" },
  diastolicMmHg: { low: 60, high: 90, text: "diastolic ≥ 90 or < 60 mmHg" },
  heartRatePerMin: { low: 50, high: 101, text: "heart rate > 100 or < 50 /min" },
  respiratoryRatePerMin: { low: 12, high: 21, text: "respiratory rate > 20 or < 12 /min" },
  temperatureC: { low: 35, high: 38, text: "temperature ≥ 38.0 or < 35.0 °C" },
  spo2Percent: { low: 92, text: "SpO2 < 92 %" },
  bmi: { low: 18.5, high: 30, text: "BMI ≥ 30 or < 18.5" },
  painScore: { high: 7, text: "pain ≥ 7/10" },
};

export interface VitalFlag {
  field: VitalField;
  level: "HIGH" | "LOW";
  /** the rule, for a tooltip: "systolic ≥ 140 or < 90 mmHg" */
  rule: string;
}

export function vitalFlags(values: Partial<Record<VitalField, number | null>>): VitalFlag[] {
  const flags: VitalFlag[] = [];
  for (const field of VITAL_FIELDS) {
    const value = values[field];
    const range = ABNORMAL[field];
    if (value == null || !range) continue;
    if (range.high !== undefined && value >= range.high) flags.push({ field, level: "HIGH", rule: range.text });
    else if (range.low !== undefined && value < range.low) flags.push({ field, level: "LOW", rule: range.text });
  }
  return flags;
}

// ---------------------------------------------------------------- labs

export type AbnormalFlag = "L" | "H" | "LL" | "HH" | "A" | "N";

/**
 * Critical (panic) limits for common analytes, by LOINC code and the unit they apply in. A value
 * at or beyond one is LL/HH: the ordering clinician must be told now, not at the next inbox
 * review. Typical adult limits from US hospital laboratories; a result in another unit is
 * flagged against its reference range only (never compared across units).
 */
export const CRITICAL_LIMITS: Record<string, { unit: string; low?: number; high?: number; name: string }> = {
  "2823-3": { name: "Potassium", unit: "mmol/L", low: 2.8, high: 6.2 },
  "6298-4": { name: "Potassium (blood)", unit: "mmol/L", low: 2.8, high: 6.2 },
  "2951-2": { name: "Sodium", unit: "mmol/L", low: 120, high: 160 },
  "2947-0": { name: "Sodium (blood)", unit: "mmol/L", low: 120, high: 160 },
  "2345-7": { name: "Glucose", unit: "mg/dL", low: 50, high: 400 },
  "2339-0": { name: "Glucose (blood)", unit: "mg/dL", low: 50, high: 400 },
  "17861-6": { name: "Calcium", unit: "mg/dL", low: 6.5, high: 13 },
  "718-7": { name: "Hemoglobin", unit: "g/dL", low: 7, high: 20 },
  "777-3": { name: "Platelets", unit: "10*3/uL", low: 50, high: 1000 },
  "6690-2": { name: "Leukocytes", unit: "10*3/uL", low: 2, high: 30 },
  "6301-6": { name: "INR", unit: "{INR}", high: 5 },
  "2160-0": { name: "Creatinine", unit: "mg/dL", high: 7.4 },
};

const sameUnit = (a: string | null | undefined, b: string) => (a ?? "").replace(/\s/g, "").toLowerCase() === b.toLowerCase();

/** "<200", "<= 5.6", ">40", "≥ 60" → a bound; anything else → null. */
export function parseBoundText(text: string): { op: "<" | "<=" | ">" | ">="; value: number } | null {
  const match = /^\s*(<=|>=|≤|≥|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return null;
  const op = ({ "≤": "<=", "≥": ">=" } as Record<string, "<=" | ">=">)[match[1]!] ?? (match[1] as "<" | "<=" | ">" | ">=");
  return { op, value: Number(match[2]) };
}

const normalText = (text: string) => text.trim().toLowerCase().replace(/\s+/g, " ");

/**
 * The HL7 interpretation of a result:
 * - numeric with a numeric range: LL/HH at or beyond a critical limit (same unit only), else L below
 *   the low end, H above the high end, N inside;
 * - numeric with a text bound ("<200"): H/L when outside the bound, else N;
 * - text with a text reference ("Negative"): N when it matches (case and spacing aside), else A;
 * - nothing to compare against: null (not flagged, rather than a guess).
 */
export function labFlag(result: {
  loincCode: string;
  valueNumeric?: number | null;
  valueText?: string | null;
  unit?: string | null;
  referenceLow?: number | null;
  referenceHigh?: number | null;
  referenceText?: string | null;
}): AbnormalFlag | null {
  const { valueNumeric: value, referenceLow: low, referenceHigh: high } = result;
  if (value != null) {
    const critical = CRITICAL_LIMITS[result.loincCode];
    if (critical && sameUnit(result.unit, critical.unit)) {
      if (critical.low !== undefined && value <= critical.low) return "LL";
      if (critical.high !== undefined && value >= critical.high) return "HH";
    }
    if (low != null && value < low) return "L";
    if (high != null && value > high) return "H";
    if (low != null || high != null) return "N";
    const bound = result.referenceText ? parseBoundText(result.referenceText) : null;
    if (bound) {
      const inside =
        bound.op === "<" ? value < bound.value : bound.op === "<=" ? value <= bound.value : bound.op === ">" ? value > bound.value : value >= bound.value;
      if (inside) return "N";
      return bound.op.startsWith("<") ? "H" : "L";
    }
    return null;
  }
  if (result.valueText && result.referenceText) {
    return normalText(result.valueText) === normalText(result.referenceText) ? "N" : "A";
  }
  return null;
}
