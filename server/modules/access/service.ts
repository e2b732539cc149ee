import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db } from "../../db.ts";
import { DomainError, notFound } from "../../errors.ts";
import { hashPassword } from "../../auth/password.ts";
import type { SessionUser } from "../../auth/sessions.ts";
import { permissionsOf } from "../../permissions/registry.ts";
import { publish, disconnectSession } from "../../realtime/publish.ts";
import type { z } from "zod";
import type { auditLogInput, createUserInput } from "./schemas.ts";

export async function me(user: SessionUser) {
  const clinic = await db.clinic.findUniqueOrThrow({
    where: { id: user.clinicId },
    select: { id: true, name: true, locations: { select: { id: true, name: true }, orderBy: { name: "asc" } } },
  });
  return {
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
    clinic: { id: clinic.id, name: clinic.name },
    locations: clinic.locations,
    permissions: permissionsOf(user.role),
  };
}

export async function auditLog(user: SessionUser, input: z.infer<typeof auditLogInput>) {
  const rows = await db.auditEvent.findMany({
    where: {
      clinicId: user.clinicId,
      ...(input.action ? { action: { startsWith: input.action } } : {}),
      ...(input.userId ? { userId: input.userId } : {}),
      ...(input.patientId ? { patientId: input.patientId } : {}),
      ...(input.outcome ? { outcome: input.outcome } : {}),
      ...(input.cursor ? { id: { lt: BigInt(input.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const userIds = [...new Set(page.map((r) => r.userId).filter((v): v is string => v !== null))];
  const names = new Map(
    (await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  return {
    items: page.map((r) => ({
      id: r.id.toString(),
      at: r.at,
      userId: r.userId,
      userName: r.userId ? (names.get(r.userId) ?? null) : null,
      role: r.role,
      action: r.action,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      patientId: r.patientId,
      outcome: r.outcome,
      reason: r.reason,
      ip: r.ip,
    })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id.toString() : null,
  };
}

const userSelect = { id: true, name: true, email: true, role: true, active: true, lastSignInAt: true } as const;

export async function listUsers(user: SessionUser) {
  return db.user.findMany({ where: { clinicId: user.clinicId }, select: userSelect, orderBy: [{ role: "asc" }, { name: "asc" }] });
}

export async function createUser(actor: ScopedActor, input: z.infer<typeof createUserInput>) {
  const existing = await db.user.count({ where: { email: input.email } });
  if (existing) {
    throw new DomainError("CONFLICT", `An account with the email ${input.email} already exists.`, { email: ["already in use"] });
  }
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { clinicId: actor.clinicId, name: input.name, email: input.email, role: input.role, passwordHash },
      select: userSelect,
    });
    await audit(tx, actor, { action: "access.createUser", resourceType: "User", resourceId: created.id });
    return created;
  });
}

/** Disabling a user ends all of their sessions at once, on every web process. */
export async function setUserActive(actor: ScopedActor, userId: string, active: boolean) {
  if (userId === actor.userId && !active) {
    throw new DomainError("BAD_REQUEST", "You cannot disable your own account.", { userId: ["cannot be yourself"] });
  }
  const { updated, endedSessions } = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId, clinicId: actor.clinicId }, data: { active } });
    if (count === 0) throw notFound("User");
    let ended: string[] = [];
    if (!active) {
      const open = await tx.session.findMany({ where: { userId, revokedAt: null }, select: { id: true } });
      ended = open.map((s) => s.id);
      await tx.session.updateMany({ where: { id: { in: ended } }, data: { revokedAt: new Date(), endReason: "user-disabled" } });
    }
    await audit(tx, actor, { action: active ? "access.enableUser" : "access.disableUser", resourceType: "User", resourceId: userId });
    return { updated: await tx.user.findUniqueOrThrow({ where: { id: userId }, select: userSelect }), endedSessions: ended };
  });
  for (const sessionId of endedSessions) {
    publish("access.session.expired", { sessionId, reason: "user-disabled" }, [`user:${userId}`]);
    await disconnectSession(sessionId);
  }
  return updated;
}
