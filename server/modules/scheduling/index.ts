// What other modules and jobs may use from scheduling.
export { schedulingRouter } from "./router.ts";
export { deliverDueReminders } from "./reminders.ts";
export { markNoShows } from "./service.ts";
