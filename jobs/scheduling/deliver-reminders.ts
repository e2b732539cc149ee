import { z } from "zod";
import { deliverDueReminders } from "../../server/modules/scheduling/index.ts";
import { defineJob } from "../define.ts";

// Tuning knobs for tests and benchmarks (a crash test wants small batches); unset in production.
function positiveInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1 (got '${raw}')`);
  return n;
}
const BATCH = positiveInt("REMINDER_BATCH_SIZE");
const LOOPS = positiveInt("REMINDER_SWEEP_LOOPS");

/** One sweep at a time per process: overlapping ticks add nothing but contention on the pool. */
let running: Promise<unknown> | null = null;

/**
 * Sends every due reminder, in batches (see server/modules/scheduling/reminders.ts). Runs every
 * 5 s, so a reminder goes out within seconds of its due time; a sweep that still has work when
 * the next tick comes keeps going, and a tick in another worker process joins it (SKIP LOCKED).
 */
export const deliverReminders = defineJob({
  name: "scheduling.deliver-reminders",
  queue: "scheduling",
  payload: z.object({}).strict(),
  jobId: () => `scheduling.deliver-reminders.${Math.floor(Date.now() / 5_000)}`,
  every: 5_000,
  // A failed sweep is not retried: the next tick, seconds later, sweeps again.
  attempts: 1,
  async handler() {
    if (running) return { alreadyRunning: true };
    running = deliverDueReminders({ batch: BATCH, loops: LOOPS });
    try {
      return await running;
    } finally {
      running = null;
    }
  },
});
