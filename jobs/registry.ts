import { expireIdleSessions } from "./access/expire-idle-sessions.ts";

/** Every background job. The worker runs exactly these; enqueue() accepts only these names. */
export const JOBS = {
  [expireIdleSessions.name]: expireIdleSessions,
} as const;

export type JobName = keyof typeof JOBS;
