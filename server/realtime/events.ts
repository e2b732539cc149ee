import { z } from "zod";

/**
 * Every live event, with its payload schema. Events are facts (past tense, `module.entity.verb`)
 * and carry ids and versions only, never PHI: a client that receives one refetches through tRPC,
 * where permissions and audit apply. Modules add their events here.
 */
const id = z.string().uuid();

export const EVENTS = {
  "access.session.expired": z.object({ sessionId: id, reason: z.enum(["idle", "expired", "revoked", "signed-out", "user-disabled"]) }),
  "patients.patient.updated": z.object({ patientId: id, version: z.number().int() }),
  "patients.patient.registered": z.object({ patientId: id }),
  "patients.history.changed": z.object({ patientId: id }),
  ...Object.fromEntries(
    (["booked", "rescheduled", "confirmed", "cancelled", "checked-in", "roomed", "visit-started", "checked-out", "no-show"] as const).map((verb) => [
      `scheduling.appointment.${verb}`,
      z.object({ appointmentId: id, locationId: id, version: z.number().int() }),
    ]),
  ) as Record<`scheduling.appointment.${AppointmentVerb}`, z.ZodObject<{ appointmentId: z.ZodString; locationId: z.ZodString; version: z.ZodNumber }>>,
} as const;

export type AppointmentVerb = "booked" | "rescheduled" | "confirmed" | "cancelled" | "checked-in" | "roomed" | "visit-started" | "checked-out" | "no-show";

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;

export const ROOM_KINDS = ["clinic", "location", "patient", "user"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];
export type Room = `${RoomKind}:${string}`;

export const room = (kind: RoomKind, entityId: string): Room => `${kind}:${entityId}`;

/** Names the socket.io channel prefix in Redis; the adapter and the emitter must agree. */
export const socketChannel = (prefix: string) => `${prefix}:socket.io`;
