import { Queue, type JobsOptions } from "bullmq";
import type { z } from "zod";
import { env } from "../server/env.ts";
import { closeRedis, createRedis } from "../server/redis.ts";
import type { QueueName } from "./define.ts";
import { JOBS, type JobName } from "./registry.ts";

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  // Failed jobs stay for inspection (and a retry by hand) until someone deals with them.
  removeOnFail: false,
};

const queues = new Map<QueueName, Queue>();
let connection: ReturnType<typeof createRedis> | undefined;

export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    connection ??= createRedis("queue");
    queue = new Queue(name, { connection, prefix: `${env.REDIS_PREFIX}:bull`, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    queue.on("error", () => {});
    queues.set(name, queue);
  }
  return queue;
}

type PayloadOf<N extends JobName> = z.input<(typeof JOBS)[N]["payload"]>;

/**
 * Enqueue a registered job. The payload is validated here (ids only) and the job id is derived
 * from it, so enqueueing the same work twice is one job.
 */
export async function enqueue<N extends JobName>(name: N, payload: PayloadOf<N>, options: Pick<JobsOptions, "delay"> = {}) {
  const definition = JOBS[name];
  const data = definition.payload.parse(payload);
  return getQueue(definition.queue).add(name, data, {
    ...options,
    jobId: definition.jobId(data as never),
    attempts: definition.attempts ?? DEFAULT_JOB_OPTIONS.attempts,
  });
}

/** Many jobs of one kind in one round trip (BullMQ addBulk); same validation and ids as enqueue(). */
export async function enqueueMany<N extends JobName>(name: N, jobs: { payload: PayloadOf<N>; delay?: number }[]) {
  const definition = JOBS[name];
  return getQueue(definition.queue).addBulk(
    jobs.map(({ payload, delay }) => {
      const data = definition.payload.parse(payload);
      return { name, data, opts: { ...DEFAULT_JOB_OPTIONS, delay, jobId: definition.jobId(data as never), attempts: definition.attempts ?? DEFAULT_JOB_OPTIONS.attempts } };
    }),
  );
}

export async function closeQueues(): Promise<void> {
  await Promise.allSettled([...queues.values()].map((q) => q.close()));
  queues.clear();
  if (connection) await closeRedis(connection);
  connection = undefined;
}
