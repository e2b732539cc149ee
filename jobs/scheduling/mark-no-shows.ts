import { z } from "zod";
import { markNoShows } from "../../server/modules/scheduling/index.ts";
import { defineJob } from "../define.ts";

/** Booked or confirmed appointments whose patient never arrived become no-shows after the grace period. */
export const markNoShowsJob = defineJob({
  name: "scheduling.mark-no-shows",
  queue: "scheduling",
  payload: z.object({}).strict(),
  jobId: () => `scheduling.mark-no-shows.${Math.floor(Date.now() / 10_000)}`,
  every: 60_000,
  handler: () => markNoShows(),
});
