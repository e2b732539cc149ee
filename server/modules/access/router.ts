import { z } from "zod";
import { permissionProcedure, router } from "../../trpc/init.ts";
import * as service from "./service.ts";
import { auditLogInput, auditLogOutput, createUserInput, meOutput, setUserActiveInput, userRow } from "./schemas.ts";

export const accessRouter = router({
  me: permissionProcedure("self:read")
    .output(meOutput)
    .query(({ ctx }) => service.me(ctx.user)),

  auditLog: permissionProcedure("audit:read")
    .input(auditLogInput)
    .output(auditLogOutput)
    .query(({ ctx, input }) => service.auditLog(ctx.user, input)),

  listUsers: permissionProcedure("user:manage")
    .output(z.array(userRow))
    .query(({ ctx }) => service.listUsers(ctx.user)),

  createUser: permissionProcedure("user:manage")
    .input(createUserInput)
    .output(userRow)
    .mutation(({ ctx, input }) => service.createUser(ctx.actor, input)),

  setUserActive: permissionProcedure("user:manage")
    .input(setUserActiveInput)
    .output(userRow)
    .mutation(({ ctx, input }) => service.setUserActive(ctx.actor, input.userId, input.active)),
});
