import type { z } from "zod";
import type {
  addendumOutput,
  allergiesOutput,
  allergyOutput,
  encounterOutput,
  labOrderOutput,
  labResultOutput,
  labsOutput,
  labTrendOutput,
  loincOutput,
  medicationOutput,
  noteOutput,
  problemOutput,
  summaryOutput,
  templateOutput,
  timelineOutput,
  vitalsOutput,
} from "../../../server/modules/charts/schemas.ts";

/**
 * What the browser's tRPC client receives for charts: the server's output schemas with Dates as
 * ISO strings (no transformer). Loader data is passed through toClient() to get the same shape.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

type Out<S extends z.ZodType> = Wire<z.output<S>>;

export type Summary = Out<typeof summaryOutput>;
export type Encounter = Out<typeof encounterOutput>;
export type Timeline = Out<typeof timelineOutput>;
export type Note = Out<typeof noteOutput>;
export type Addendum = Out<typeof addendumOutput>;
export type NoteTemplate = Out<typeof templateOutput>;
export type Vitals = Out<typeof vitalsOutput>;
export type Problem = Out<typeof problemOutput>;
export type Allergy = Out<typeof allergyOutput>;
export type Allergies = Out<typeof allergiesOutput>;
export type Medication = Out<typeof medicationOutput>;
export type LabOrder = Out<typeof labOrderOutput>;
export type LabResult = Out<typeof labResultOutput>;
export type Labs = Out<typeof labsOutput>;
export type LabTrend = Out<typeof labTrendOutput>;
export type LoincCode = Out<typeof loincOutput>;

export type EncounterType = Encounter["type"];
export type AllergyCategory = Allergy["category"];
export type AllergySeverity = NonNullable<Allergy["severity"]>;
export type AbnormalFlag = NonNullable<LabResult["abnormalFlag"]>;

/** Chart pages, in tab order; also the section named in presence. */
export const CHART_SECTIONS = ["summary", "encounter", "vitals", "problems", "allergies", "medications", "labs"] as const;
export type ChartSectionName = (typeof CHART_SECTIONS)[number];

/**
 * Loader data (Dates) in the browser client's shape (ISO strings), as JSON would give it: a walk
 * that only swaps Dates, cheaper than a stringify/parse round trip on a page of 500 vitals.
 */
export function toWire<T>(value: T): Wire<T> {
  return wire(value) as Wire<T>;
}

function wire(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(wire);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = wire(v);
    return out;
  }
  return value;
}
