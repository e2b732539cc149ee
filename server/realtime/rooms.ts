import { db } from "../db.ts";
import type { ActiveSession } from "../auth/sessions.ts";
import { can } from "../permissions/registry.ts";
import { ROOM_KINDS, type Room, type RoomKind } from "./events.ts";

export type RoomDecision = { ok: true; room: Room } | { ok: false; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The server-side check behind every socket `subscribe`. A room is joined only if the user could
 * read what it announces; out of scope reads as not found, like everywhere else.
 */
export async function authorizeRoom(session: ActiveSession, requested: unknown): Promise<RoomDecision> {
  if (typeof requested !== "string") return { ok: false, reason: "room must be a string like 'patient:<id>'" };
  const [kind, entityId, extra] = requested.split(":");
  if (!ROOM_KINDS.includes(kind as RoomKind) || !entityId || extra !== undefined || !UUID.test(entityId)) {
    return { ok: false, reason: `unknown room '${requested.slice(0, 80)}'` };
  }
  const room = requested as Room;
  const { user } = session;
  switch (kind as RoomKind) {
    case "user":
      return entityId === user.id ? { ok: true, room } : { ok: false, reason: "a user room is its owner's only" };
    case "clinic":
      return entityId === user.clinicId ? { ok: true, room } : { ok: false, reason: "clinic not found" };
    case "location": {
      if (!can(user.role, "schedule:read")) return { ok: false, reason: "your role may not watch location boards" };
      const found = await db.location.count({ where: { id: entityId, clinicId: user.clinicId } });
      return found ? { ok: true, room } : { ok: false, reason: "location not found" };
    }
    case "patient": {
      if (!can(user.role, "patient:read")) return { ok: false, reason: "your role may not read patients" };
      const found = await db.patient.count({ where: { id: entityId, clinicId: user.clinicId } });
      return found ? { ok: true, room } : { ok: false, reason: "patient not found" };
    }
  }
}
