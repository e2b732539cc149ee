import { z } from "zod";
import { permissionProcedure, router } from "../trpc/init.ts";
import { searchIcd10 } from "./icd10.ts";
import { searchLoinc } from "./loinc.ts";
import { searchAllergens, searchRxnorm } from "./rxnorm.ts";
import { allergenOutput, icd10Output, icd10SearchInput, loincOutput, loincSearchInput, rxnormOutput, rxnormSearchInput } from "./schemas.ts";

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
