// What other modules may use from access.
export { accessRouter } from "./router.ts";
