import { Worker, type Job } from "bullmq";
import { pathToFileURL } from "node:url";
import { env } from "../server/env.ts";
import { db } from "../server/db.ts";
import { closeRedis, createRedis } from "../server/redis.ts";
import { logger } from "../server/logger.ts";
import { closePublisher } from "../server/realtime/publish.ts";
import { closeQueues, getQueue } from "./client.ts";
import { QUEUES, type JobDefinition } from "./define.ts";
import { JOBS } from "./registry.ts";

const LOCK_MS = Number(process.env.WORKER_LOCK_MS ?? 30_000);

const byName = new Map<string, JobDefinition>(Object.values(JOBS).map((job) => [job.name, job as JobDefinition]));

async function run(job: Job) {
  const definition = byName.get(job.name);
  // Unknown or malformed jobs fail (and stay in the failed set) rather than being guessed at.
  if (!definition) throw new Error(`no handler registered for job '${job.name}'`);
  const payload = definition.payload.parse(job.data);
  return definition.handler(payload, job);
}

/** Starts one BullMQ worker per queue and the schedules of repeating jobs. */
export async function startWorkers() {
  // Before any worker runs: a schedule whose job is no longer registered (renamed or retired, like
  // the reminder reconciler that batched delivery replaced) would keep producing jobs that fail
  // as unknown. Remove it.
  for (const queue of QUEUES) {
    for (const scheduler of await getQueue(queue).getJobSchedulers()) {
      const definition = byName.get(scheduler.name);
      if (!definition?.every) await getQueue(queue).removeJobScheduler(scheduler.key);
    }
  }
  const connection = createRedis("worker");
  const workers = QUEUES.map((queue) => {
    const worker = new Worker(queue, run, {
      connection,
      prefix: `${env.REDIS_PREFIX}:bull`,
      concurrency: 8,
      // A job held by a worker that died is retried once its lock lapses (tests shorten this).
      lockDuration: LOCK_MS,
      stalledInterval: LOCK_MS,
    });
    worker.on("failed", (job, err) => logger.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"));
    worker.on("error", (err) => logger.error({ err: err.message }, "worker error"));
    return worker;
  });
  for (const definition of byName.values()) {
    if (definition.every) {
      await getQueue(definition.queue).upsertJobScheduler(
        definition.name,
        { every: definition.every },
        { name: definition.name, data: {}, ...(definition.attempts ? { opts: { attempts: definition.attempts } } : {}) },
      );
    }
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info({ queues: QUEUES }, "workers started");

  return async function close() {
    // close() lets running jobs finish before it resolves.
    await Promise.allSettled(workers.map((w) => w.close()));
    await closeQueues();
    await closePublisher();
    await closeRedis(connection);
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const close = await startWorkers();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping");
    await close();
    await db.$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
