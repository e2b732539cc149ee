// What other modules may use from charts.
export { chartsRouter } from "./router.ts";
export { auditChartOpen } from "./guards.ts";
export { displayedAllergyStatus } from "./lists.ts";
export { ensureTemplates, BUILT_IN_TEMPLATES } from "./templates.ts";
export { noteContentHash } from "./encounters.ts";
export { labFlag, vitalFlags, ABNORMAL, CRITICAL_LIMITS } from "./ranges.ts";
