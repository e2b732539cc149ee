/**
 * Vitals are stored metric; people may type imperial. Conversions round to what the database
 * keeps (temperature and height to 0.1, weight to 0.01) so what is saved is what is shown back.
 */
export type TemperatureUnit = "C" | "F";
export type WeightUnit = "kg" | "lb";
export type HeightUnit = "cm" | "in";

const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

export const fToC = (f: number) => round(((f - 32) * 5) / 9, 1);
export const cToF = (c: number) => round((c * 9) / 5 + 32, 1);
export const lbToKg = (lb: number) => round(lb * 0.45359237, 2);
export const kgToLb = (kg: number) => round(kg / 0.45359237, 1);
export const inToCm = (inches: number) => round(inches * 2.54, 1);
export const cmToIn = (cm: number) => round(cm / 2.54, 1);

/**
 * A number typed into a box: "" is null (not measured); anything unreadable is NaN, which the
 * server refuses with a message naming the field (it is sent as-is, never silently dropped).
 */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(",", ".");
  if (trimmed === "") return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : Number.NaN;
}

export function toMetric(value: number | null, unit: TemperatureUnit | WeightUnit | HeightUnit): number | null {
  if (value === null || Number.isNaN(value)) return value;
  switch (unit) {
    case "F":
      return fToC(value);
    case "lb":
      return lbToKg(value);
    case "in":
      return inToCm(value);
    default:
      return value;
  }
}

/** Decimal columns arrive as strings or numbers depending on the output schema; charts want numbers. */
export function num(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The unit this browser last chose for a measure (the record form's toggles save it), or the fallback. */
export function savedUnit<U extends string>(key: "temperature" | "weight" | "height", fallback: U, allowed: readonly U[]): U {
  const saved = typeof window === "undefined" ? null : (window.localStorage.getItem(`carelane.unit.${key}`) as U | null);
  return saved && allowed.includes(saved) ? saved : fallback;
}

/** Remembers a unit choice in this browser. */
export function saveUnit(key: "temperature" | "weight" | "height", unit: string): void {
  window.localStorage.setItem(`carelane.unit.${key}`, unit);
}
