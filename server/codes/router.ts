import { z } from "zod";
import { permissionProcedure, router } from "../trpc/init.ts";
import { searchIcd10, SEARCH_LIMIT_MAX } from "./icd10.ts";

const icd10SearchInput = z.object({
  q: z.string({ error: "Search text is required" }).trim().min(1, "Search text is required").max(100, "Search text is too long (100 characters at most)"),
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX, `Limit must be ${SEARCH_LIMIT_MAX} or less`).optional(),
});

const icd10Output = z.object({ code: z.string(), codeDotted: z.string(), description: z.string() });

/** Reference code sets (public-domain data) for clinicians and coders. */
export const codesRouter = router({
  icd10Search: permissionProcedure("codes:read")
    .input(icd10SearchInput)
    .output(z.array(icd10Output))
    .query(({ input }) => searchIcd10(input.q, input.limit)),
});
