import { z } from "zod";
import { permissionProcedure, router } from "../../trpc/init.ts";
import * as service from "./service.ts";
import * as merging from "./merge.ts";
import { historyRouter } from "./history-router.ts";
import { db } from "../../db.ts";
import { audit } from "../../audit/audit.ts";
import { searchInput, searchOutput, searchPatients } from "./search.ts";
import {
  bannerOutput,
  duplicateCandidate,
  duplicatesInput,
  mergeInput,
  patientIdInput,
  patientOutput,
  registerInput,
  revealInput,
  setStatusInput,
  unmergeInput,
  updateInput,
} from "./schemas.ts";

export const patientsRouter = router({
  history: historyRouter,

  /** One forgiving box: name fragments with typos, MRN, date of birth or phone; best match first. */
  search: permissionProcedure("patient:read")
    .input(searchInput)
    .output(searchOutput)
    .query(async ({ ctx, input }) => {
      const result = await searchPatients(ctx.actor.clinicId, input);
      // The query text is PHI: the audit row records that a search happened, not what was typed.
      await audit(db, ctx.actor, { action: "patients.search", resourceType: "Patient", reason: `${result.kind}:${result.items.length}` });
      return result;
    }),

  register: permissionProcedure("patient:write")
    .input(registerInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => service.register(ctx.actor, input)),

  /** Likely matches while registering, shown before save. */
  duplicates: permissionProcedure("patient:write")
    .input(duplicatesInput)
    .output(z.array(duplicateCandidate))
    .query(({ ctx, input }) => service.checkDuplicates(ctx.actor, input)),

  get: permissionProcedure("patient:read")
    .input(patientIdInput)
    .output(patientOutput)
    .query(({ ctx, input }) => service.get(ctx.actor, input.id)),

  banner: permissionProcedure("patient:read")
    .input(patientIdInput)
    .output(bannerOutput)
    .query(({ ctx, input }) => service.banner(ctx.actor, input.id)),

  update: permissionProcedure("patient:write")
    .input(updateInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => service.update(ctx.actor, input)),

  setStatus: permissionProcedure("patient:write")
    .input(setStatusInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => service.setStatus(ctx.actor, input)),

  revealIdentifier: permissionProcedure("patient:reveal-identifiers")
    .input(revealInput)
    .output(z.object({ kind: z.string(), issuer: z.string().nullable(), value: z.string() }))
    .mutation(({ ctx, input }) => service.revealIdentifier(ctx.actor, input.patientId, input.kind)),

  careProviders: permissionProcedure("patient:read")
    .output(z.array(z.object({ id: z.string(), name: z.string() })))
    .query(({ ctx }) => service.careProviders(ctx.actor)),

  merge: permissionProcedure("patient:merge")
    .input(mergeInput)
    .output(z.object({ mergeId: z.string(), survivorId: z.string(), mergedId: z.string(), survivorMrn: z.string(), mergedMrn: z.string() }))
    .mutation(({ ctx, input }) => merging.merge(ctx.actor, input.survivorId, input.mergedId)),

  unmerge: permissionProcedure("patient:merge")
    .input(unmergeInput)
    .output(z.object({ mergedId: z.string(), restored: z.boolean() }))
    .mutation(({ ctx, input }) => merging.unmerge(ctx.actor, input.mergedId)),
});
