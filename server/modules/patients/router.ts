import { permissionProcedure, router } from "../../trpc/init.ts";
import * as service from "./service.ts";
import { patientIdInput, patientOutput, registerInput, updateInput } from "./schemas.ts";

export const patientsRouter = router({
  register: permissionProcedure("patient:write")
    .input(registerInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => service.register(ctx.actor, input)),

  get: permissionProcedure("patient:read")
    .input(patientIdInput)
    .output(patientOutput)
    .query(({ ctx, input }) => service.get(ctx.actor, input.id)),

  update: permissionProcedure("patient:write")
    .input(updateInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => service.update(ctx.actor, input)),
});
