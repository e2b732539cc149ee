import type { Db } from "../db.ts";
import type { Role } from "../permissions/registry.ts";

/** Who did it. Built from the session by the tRPC context; null fields for anonymous attempts. */
export interface Actor {
  userId: string | null;
  clinicId: string | null;
  role: Role | null;
  sessionId: string | null;
  ip: string | null;
}

/** The actor of a signed-in request: everything known. Services take this. */
export interface ScopedActor extends Actor {
  userId: string;
  clinicId: string;
  role: Role;
}

export interface AuditEntry {
  /** Dotted action name: the procedure path ("patients.get") or an auth event ("auth.sign-in"). */
  action: string;
  resourceType?: string;
  resourceId?: string;
  patientId?: string;
  outcome?: "SUCCESS" | "FAILURE" | "DENIED";
  /** Short machine reason for failures and denials. Never PHI. */
  reason?: string;
}

export const anonymousActor = (ip: string | null = null): Actor => ({
  userId: null,
  clinicId: null,
  role: null,
  sessionId: null,
  ip,
});

/**
 * Append one audit row. Pass the transaction client when recording a change so the row commits or
 * rolls back with it; the table refuses UPDATE and DELETE (see the init migration).
 */
export async function audit(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      clinicId: actor.clinicId,
      userId: actor.userId,
      role: actor.role,
      sessionId: actor.sessionId,
      ip: actor.ip,
      action: entry.action,
      resourceType: entry.resourceType ?? null,
      resourceId: entry.resourceId ?? null,
      patientId: entry.patientId ?? null,
      outcome: entry.outcome ?? "SUCCESS",
      reason: entry.reason ?? null,
    },
  });
}

/** The audit row's columns, for callers that write it inside a larger statement or batch. */
export interface AuditRow {
  clinicId: string | null;
  userId: string | null;
  role: Role | null;
  sessionId: string | null;
  ip: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  patientId: string | null;
  outcome: "SUCCESS" | "FAILURE" | "DENIED";
  reason: string | null;
}

/**
 * The row audit() would write, without writing it: for a write path that puts the audit row into
 * the same single statement (or batch transaction) as the change it records, so that both commit
 * or neither does, in one round trip.
 */
export function auditRow(actor: Actor, entry: AuditEntry): AuditRow {
  return {
    clinicId: actor.clinicId,
    userId: actor.userId,
    role: actor.role,
    sessionId: actor.sessionId,
    ip: actor.ip,
    action: entry.action,
    resourceType: entry.resourceType ?? null,
    resourceId: entry.resourceId ?? null,
    patientId: entry.patientId ?? null,
    outcome: entry.outcome ?? "SUCCESS",
    reason: entry.reason ?? null,
  };
}
