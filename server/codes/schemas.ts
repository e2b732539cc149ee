import { z } from "zod";
import { SEARCH_LIMIT_MAX } from "./icd10.ts";
import { LOINC_SEARCH_LIMIT_MAX } from "./loinc.ts";
import { RXNORM_SEARCH_LIMIT_MAX } from "./rxnorm.ts";

/** Inputs and outputs of the code-set searches (codes router; charts.loincSearch uses the LOINC pair). */

const searchText = z.string({ error: "Search text is required" }).trim().min(1, "Search text is required").max(100, "Search text is too long (100 characters at most)");

export const icd10SearchInput = z.object({
  q: searchText,
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX, `Limit must be ${SEARCH_LIMIT_MAX} or less`).optional(),
});

export const icd10Output = z.object({ code: z.string(), codeDotted: z.string(), description: z.string() });

export const loincSearchInput = z.object({
  q: searchText,
  limit: z.number().int().min(1).max(LOINC_SEARCH_LIMIT_MAX, `Limit must be ${LOINC_SEARCH_LIMIT_MAX} or less`).optional(),
  /** lab tests only (leaves out the vital-sign codes) */
  labOnly: z.boolean().optional(),
});

export const loincOutput = z.object({
  code: z.string(),
  longCommonName: z.string(),
  component: z.string(),
  system: z.string().nullable(),
  exampleUnit: z.string().nullable(),
  loincClass: z.string().nullable(),
});

export const rxnormSearchInput = z.object({
  q: searchText,
  limit: z.number().int().min(1).max(RXNORM_SEARCH_LIMIT_MAX, `Limit must be ${RXNORM_SEARCH_LIMIT_MAX} or less`).optional(),
});

export const rxnormOutput = z.object({
  rxcui: z.string(),
  name: z.string(),
  ingredient: z.string(),
  strength: z.string().nullable(),
  doseForm: z.string(),
  deaSchedule: z.string().nullable(),
});

export const allergenOutput = z.object({
  kind: z.enum(["INGREDIENT", "CLASS"]),
  name: z.string(),
  rxcui: z.string().nullable(),
  members: z.number().int().nullable(),
});
