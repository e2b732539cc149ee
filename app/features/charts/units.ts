import { toCelsius, toCentimetres, toKilograms, type HeightUnit, type TemperatureUnit, type WeightUnit } from "../../../server/modules/charts/ranges.ts";

/**
 * Vitals are stored metric; people may type imperial. The metric conversions are the server's own
 * (server/modules/charts/ranges.ts: rounded to what the database keeps, so what is saved is what is
 * shown back); the reverse ones are for display only.
 */
export type { HeightUnit, TemperatureUnit, WeightUnit };

const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

export const fToC = (f: number) => toCelsius(f, "F");
export const cToF = (c: number) => round((c * 9) / 5 + 32, 1);
export const lbToKg = (lb: number) => toKilograms(lb, "lb");
export const kgToLb = (kg: number) => round(kg / 0.45359237, 1);
export const inToCm = (inches: number) => toCentimetres(inches, "in");
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
  if (unit === "F") return fToC(value);
  if (unit === "lb") return lbToKg(value);
  if (unit === "in") return inToCm(value);
  return value;
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
