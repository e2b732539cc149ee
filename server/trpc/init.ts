import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { DomainError, isConnectionError, isDatabaseBusy } from "../errors.ts";
import { can, type Permission } from "../permissions/registry.ts";
import { audit, type ScopedActor } from "../audit/audit.ts";
import { logger } from "../logger.ts";
import type { Context } from "./context.ts";

export interface Meta {
  /** The permission a caller's role must hold. Every procedure declares one. */
  permission?: Permission;
}

const UNAVAILABLE_MESSAGE = (cause: unknown) =>
  isDatabaseBusy(cause) ? "The database is busy; try again in a moment." : "The database is unavailable; try again shortly.";

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // Errors outside any procedure (the session lookup while the context is built) never pass
      // the errorMapping middleware: a busy or unreachable database still answers 503 here.
      const databaseDown = error.code === "INTERNAL_SERVER_ERROR" && (isConnectionError(cause) || isDatabaseBusy(cause));
      return {
        ...shape,
        message: databaseDown ? UNAVAILABLE_MESSAGE(cause) : shape.message,
        data: {
          ...shape.data,
          ...(databaseDown ? { code: "SERVICE_UNAVAILABLE" as const, httpStatus: 503 } : {}),
          // Field messages for forms, keyed by the field's path: { "dateOfBirth": ["must not be in
          // the future"], "emergencyContacts.1.phone": ["…"] }, so a form can put each by its field.
          fieldErrors:
            cause instanceof ZodError
              ? fieldErrorsByPath(cause)
              : cause instanceof DomainError
                ? (cause.fieldErrors ?? null)
                : null,
          details: cause instanceof DomainError ? (cause.details ?? null) : null,
          stack: undefined,
        },
      };
    },
  });

/** Zod issues as { "a.0.b": [messages] }; an issue about the whole input has no field and is left out. */
function fieldErrorsByPath(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    if (issue.path.length === 0) continue;
    const key = issue.path.map(String).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const TRPC_CODE = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  BAD_REQUEST: "BAD_REQUEST",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const;

/** The one place where domain and infrastructure errors become tRPC errors. */
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const error = result.error;
  const cause = error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  }
  if (error.code === "INTERNAL_SERVER_ERROR") {
    if (isConnectionError(cause) || isDatabaseBusy(cause)) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: UNAVAILABLE_MESSAGE(cause), cause });
    }
    if ((cause as { code?: string })?.code === "P2002") {
      throw new TRPCError({ code: "CONFLICT", message: "That record already exists.", cause });
    }
    logger.error({ err: cause ?? error }, "unhandled error in procedure");
  }
  return result;
});

/**
 * Deny by default: no session is UNAUTHORIZED; a procedure without a declared permission, or a
 * role without it, is FORBIDDEN and audited. Runs before input parsing, so a caller without the
 * permission learns nothing from validation messages.
 */
const guard = t.middleware(async ({ ctx, meta, path, next }) => {
  if (!ctx.session) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  const permission = meta?.permission;
  if (!permission || !can(ctx.session.user.role, permission)) {
    await audit(ctx.db, ctx.actor, {
      action: path,
      outcome: "DENIED",
      reason: permission ? `missing ${permission}` : "procedure declares no permission",
    });
    throw new TRPCError({
      code: "FORBIDDEN",
      message: permission ? `Your role may not do this (needs ${permission}).` : "This action is not available.",
    });
  }
  const { user } = ctx.session;
  const actor: ScopedActor = { ...ctx.actor, userId: user.id, clinicId: user.clinicId, role: user.role };
  return next({ ctx: { ...ctx, session: ctx.session, user, actor } });
});

const baseProcedure = t.procedure.use(errorMapping).use(guard);

/** Every procedure starts here: `permissionProcedure("patient:read").input(...).query(...)`. */
export const permissionProcedure = (permission: Permission) => baseProcedure.meta({ permission });

export type AuthedContext = Context & {
  session: NonNullable<Context["session"]>;
  user: NonNullable<Context["session"]>["user"];
};
