import { z } from "zod";
import { deliverReminder } from "../../server/modules/scheduling/index.ts";
import { defineJob } from "../define.ts";

/** Sends one reminder generation; the job id makes a double enqueue one job, the outbox key one message. */
export const sendReminder = defineJob({
  name: "scheduling.send-reminder",
  queue: "scheduling",
  payload: z.object({ reminderId: z.uuid(), generation: z.number().int().min(1) }).strict(),
  jobId: (p) => `reminder.${p.reminderId}.${p.generation}`,
  handler: (p) => deliverReminder(p.reminderId, p.generation),
});
