// What other modules may use from codes. (import.ts stays separate: it is for scripts and test setup.)
export { codesRouter } from "./router.ts";
export { getIcd10, searchIcd10, type Icd10Code } from "./icd10.ts";
export { searchLoinc, type LoincCode } from "./loinc.ts";
export { searchAllergens, searchRxnorm, type Allergen, type RxnormDrug } from "./rxnorm.ts";
export { dottedCode, normalizeCode } from "./format.ts";
export { loincOutput, loincSearchInput } from "./schemas.ts";
