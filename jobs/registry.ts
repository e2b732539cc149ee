import { expireIdleSessions } from "./access/expire-idle-sessions.ts";
import { sendReminder } from "./scheduling/send-reminder.ts";
import { reconcileReminders } from "./scheduling/reconcile-reminders.ts";
import { markNoShowsJob } from "./scheduling/mark-no-shows.ts";

/** Every background job. The worker runs exactly these; enqueue() accepts only these names. */
export const JOBS = {
  [expireIdleSessions.name]: expireIdleSessions,
  [sendReminder.name]: sendReminder,
  [reconcileReminders.name]: reconcileReminders,
  [markNoShowsJob.name]: markNoShowsJob,
} as const;

export type JobName = keyof typeof JOBS;
