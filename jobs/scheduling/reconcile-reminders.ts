import { z } from "zod";
import { enqueueReminders, scheduledReminders } from "../../server/modules/scheduling/index.ts";
import { defineJob } from "../define.ts";

/**
 * Re-enqueues reminders that are due soon but have no job (Redis was down at booking, or a job
 * was lost). Deterministic job ids make this a no-op for reminders whose job exists.
 */
export const reconcileReminders = defineJob({
  name: "scheduling.reconcile-reminders",
  queue: "scheduling",
  payload: z.object({}).strict(),
  jobId: () => `scheduling.reconcile-reminders.${Math.floor(Date.now() / 10_000)}`,
  every: 60_000,
  async handler() {
    const due = await scheduledReminders(2 * 3_600_000);
    await enqueueReminders(due);
    return { checked: due.length };
  },
});
