import { expireIdleSessions } from "./access/expire-idle-sessions.ts";
import { deliverReminders } from "./scheduling/deliver-reminders.ts";
import { markNoShowsJob } from "./scheduling/mark-no-shows.ts";

/** Every background job. The worker runs exactly these; enqueue() accepts only these names. */
export const JOBS = {
  [expireIdleSessions.name]: expireIdleSessions,
  [deliverReminders.name]: deliverReminders,
  [markNoShowsJob.name]: markNoShowsJob,
} as const;

export type JobName = keyof typeof JOBS;
