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

interface SessionRow {
  id: string;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  user_id: string;
  clinic_id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

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
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sessionId)) return null;
  // One statement for the session and its user: the nested `select` this replaces was two
  // queries (no relationJoins), and this runs on every signed-in request.
  const [found] = await db.$queryRaw<SessionRow[]>`
    SELECT s.id, s.last_seen_at, s.expires_at, s.revoked_at,
           u.id AS user_id, u.clinic_id, u.email, u.name, u.role::text AS role, u.active
    FROM session s JOIN app_user u ON u.id = s.user_id
    WHERE s.id = ${sessionId}::uuid`;
  const row = found
    ? {
        id: found.id,
        lastSeenAt: found.last_seen_at,
        expiresAt: found.expires_at,
        revokedAt: found.revoked_at,
        user: { id: found.user_id, clinicId: found.clinic_id, email: found.email, name: found.name, role: found.role, active: found.active },
      }
    : null;
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
