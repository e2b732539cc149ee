// What other modules may use from patients.
export { patientsRouter } from "./router.ts";
