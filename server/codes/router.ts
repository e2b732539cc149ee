import { z } from "zod";
import { permissionProcedure, router } from "../trpc/init.ts";
import { searchIcd10, SEARCH_LIMIT_MAX } from "./icd10.ts";
import { LOINC_SEARCH_LIMIT_MAX, searchLoinc } from "./loinc.ts";
import { RXNORM_SEARCH_LIMIT_MAX, searchAllergens, searchRxnorm } from "./rxnorm.ts";

const icd10SearchInput = z.object({
  q: z.string({ error: "Search text is required" }).trim().min(1, "Search text is required").max(100, "Search text is too long (100 characters at most)"),
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX, `Limit must be ${SEARCH_LIMIT_MAX} or less`).optional(),
});

const icd10Output = z.object({ code: z.string(), codeDotted: z.string(), description: z.string() });

const loincSearchInput = z.object({
  q: z.string({ error: "Search text is required" }).trim().min(1, "Search text is required").max(100, "Search text is too long (100 characters at most)"),
  limit: z.number().int().min(1).max(LOINC_SEARCH_LIMIT_MAX, `Limit must be ${LOINC_SEARCH_LIMIT_MAX} or less`).optional(),
  /** lab tests only (leaves out the vital-sign codes) */
  labOnly: z.boolean().optional(),
});

const loincOutput = z.object({
  code: z.string(),
  longCommonName: z.string(),
  component: z.string(),
  system: z.string().nullable(),
  exampleUnit: z.string().nullable(),
  loincClass: z.string().nullable(),
});

const rxnormSearchInput = z.object({
  q: z.string({ error: "Search text is required" }).trim().min(1, "Search text is required").max(100, "Search text is too long (100 characters at most)"),
  limit: z.number().int().min(1).max(RXNORM_SEARCH_LIMIT_MAX, `Limit must be ${RXNORM_SEARCH_LIMIT_MAX} or less`).optional(),
});

const rxnormOutput = z.object({
  rxcui: z.string(),
  name: z.string(),
  ingredient: z.string(),
  strength: z.string().nullable(),
  doseForm: z.string(),
  deaSchedule: z.string().nullable(),
});

const allergenOutput = z.object({
  kind: z.enum(["INGREDIENT", "CLASS"]),
  name: z.string(),
  rxcui: z.string().nullable(),
  members: z.number().int().nullable(),
});

/** Reference code sets (public-domain data) for clinicians and coders. */
export const codesRouter = router({
  icd10Search: permissionProcedure("codes:read")
    .input(icd10SearchInput)
    .output(z.array(icd10Output))
    .query(({ input }) => searchIcd10(input.q, input.limit)),

  /** LOINC tests for lab orders and results: by code or words ("a1c", "tsh"), commonest first. */
  loincSearch: permissionProcedure("codes:read")
    .input(loincSearchInput)
    .output(z.array(loincOutput))
    .query(({ input }) => searchLoinc(input.q, input)),

  /** RxNorm clinical drugs for the medication list: by RxCUI or words ("amox 500"). */
  rxnormSearch: permissionProcedure("codes:read")
    .input(rxnormSearchInput)
    .output(z.array(rxnormOutput))
    .query(({ input }) => searchRxnorm(input.q, input.limit)),

  /** Drug classes and ingredients a patient can be allergic to ("nsaid", "amoxicillin"), classes first. */
  allergenSearch: permissionProcedure("codes:read")
    .input(rxnormSearchInput)
    .output(z.array(allergenOutput))
    .query(({ input }) => searchAllergens(input.q, input.limit)),
});
