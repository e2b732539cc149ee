import type { Request } from "express";
import { randomUUID } from "node:crypto";
import { db } from "../db.ts";
import { sessionFromCookie } from "../auth/cookie-session.ts";
import type { ActiveSession } from "../auth/sessions.ts";
import type { Actor } from "../audit/audit.ts";

export interface Context {
  db: typeof db;
  session: ActiveSession | null;
  actor: Actor;
  requestId: string;
}

export function actorFor(session: ActiveSession | null, ip: string | null): Actor {
  return {
    userId: session?.user.id ?? null,
    clinicId: session?.user.clinicId ?? null,
    role: session?.user.role ?? null,
    sessionId: session?.sessionId ?? null,
    ip,
  };
}

export function contextFor(session: ActiveSession | null, ip: string | null): Context {
  return { db, session, actor: actorFor(session, ip), requestId: randomUUID() };
}

/** For HTTP requests: the session comes from the Auth.js cookie and is checked against the database. */
export async function createHttpContext(req: Pick<Request, "headers" | "ip">): Promise<Context> {
  const session = await sessionFromCookie(req.headers.cookie);
  return contextFor(session, req.ip ?? null);
}
