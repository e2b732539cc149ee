import { db } from "../db.ts";
import { env } from "../env.ts";
import type { Role } from "../permissions/registry.ts";

export interface SessionUser {
  id: string;
  clinicId: string;
  email: string;
  name: string;
  role: Role;
}

export interface ActiveSession {
  sessionId: string;
  user: SessionUser;
}

const IDLE_MS = env.SESSION_IDLE_MINUTES * 60_000;
// Writing lastSeenAt on every request would make every read a write; a minute of slack is fine
// against a 30-minute idle limit.
const TOUCH_EVERY_MS = Math.min(60_000, IDLE_MS / 4);

export type SessionEndReason = "signed-out" | "idle" | "expired" | "revoked" | "user-disabled";

export async function createSession(userId: string, meta: { ip?: string | null; userAgent?: string | null }) {
  const now = new Date();
  return db.session.create({
    data: {
      userId,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + env.SESSION_MAX_HOURS * 3_600_000),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
    select: { id: true },
  });
}

/**
 * The check behind every request and socket handshake: the session exists, was not ended, is
 * neither idle nor past its lifetime, and its user is still active. Returns null otherwise.
 */
export async function resolveSession(sessionId: string, options: { touch?: boolean } = {}): Promise<ActiveSession | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      lastSeenAt: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: { id: true, clinicId: true, email: true, name: true, role: true, active: true } },
    },
  });
  if (!row || row.revokedAt) return null;
  const now = Date.now();
  if (!row.user.active) {
    await endSession(row.id, "user-disabled");
    return null;
  }
  if (row.expiresAt.getTime() <= now) {
    await endSession(row.id, "expired");
    return null;
  }
  if (now - row.lastSeenAt.getTime() > IDLE_MS) {
    await endSession(row.id, "idle");
    return null;
  }
  if (options.touch !== false && now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastSeenAt: new Date(now) } });
  }
  const { active: _active, ...user } = row.user;
  return { sessionId: row.id, user };
}

/** Ends a session once; returns whether this call ended it (false if it was already over). */
export async function endSession(sessionId: string, reason: SessionEndReason): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: new Date(), endReason: reason },
  });
  return count === 1;
}

/** Open sessions idle past the limit, for the expiry job. */
export async function findIdleSessions(limit = 500) {
  return db.session.findMany({
    where: { revokedAt: null, lastSeenAt: { lt: new Date(Date.now() - IDLE_MS) } },
    select: { id: true, userId: true, user: { select: { clinicId: true, role: true } } },
    orderBy: { lastSeenAt: "asc" },
    take: limit,
  });
}
