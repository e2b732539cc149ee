import type { Job } from "bullmq";
import type { z } from "zod";

/** Queues group jobs that share a worker and concurrency. */
export const QUEUES = ["access", "scheduling", "billing", "reports"] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobDefinition<S extends z.ZodType = z.ZodType, N extends string = string> {
  /** Imperative `module.verb-object`, e.g. "scheduling.deliver-reminders". */
  name: N;
  queue: QueueName;
  /** Ids only: payloads sit in Redis in clear text, so no PHI. */
  payload: S;
  /**
   * Deterministic job id from the payload: enqueueing the same work twice (a retry, a double
   * click) yields one job. Must not contain ':' (BullMQ reserves it).
   */
  jobId: (payload: z.infer<S>) => string;
  /** Idempotent: a job can run more than once (a crash after the work, before the ack). */
  handler: (payload: z.infer<S>, job: Job) => Promise<unknown>;
  /** Runs on a schedule as well as on demand. */
  every?: number;
  attempts?: number;
}

export const defineJob = <S extends z.ZodType, const N extends string>(definition: JobDefinition<S, N>) => definition;
