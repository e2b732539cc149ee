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
  // Charts: one event per chart section, to `patient:<id>` (the surviving record after a merge).
  "charts.encounters.changed": z.object({ patientId: id, encounterId: id, version: z.number().int() }),
  "charts.note.changed": z.object({ patientId: id, noteId: id, encounterId: id, version: z.number().int() }),
  "charts.vitals.changed": z.object({ patientId: id, vitalsId: id, version: z.number().int() }),
  "charts.problems.changed": z.object({ patientId: id, problemId: id, version: z.number().int() }),
  /** allergyId null: the allergy status itself changed ("no known allergies" recorded) */
  "charts.allergies.changed": z.object({ patientId: id, allergyId: id.nullable(), version: z.number().int().nullable() }),
  "charts.medications.changed": z.object({ patientId: id, medicationId: id, version: z.number().int() }),
  "charts.labs.changed": z.object({ patientId: id, labOrderId: id.nullable(), labResultId: id.nullable(), version: z.number().int() }),
  /** a note template was added, edited, archived or (un)made default: to `clinic:<id>`; ids only, never template text */
  "charts.templates.changed": z.object({ clinicId: id, templateId: id, version: z.number().int() }),
} as const;

export type AppointmentVerb = "booked" | "rescheduled" | "confirmed" | "cancelled" | "checked-in" | "roomed" | "visit-started" | "checked-out" | "no-show";

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;

export const ROOM_KINDS = ["clinic", "location", "patient", "user"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];
export type Room = `${RoomKind}:${string}`;

export const room = (kind: RoomKind, entityId: string): Room => `${kind}:${entityId}`;

/**
 * The Socket.IO namespace of paired waiting-room screens (server/modules/scheduling/screens.ts).
 * A screen's socket is put in its `location:<id>` and `screen:<id>` rooms there and can do nothing
 * else; publish() copies location events to it.
 */
export const SCREEN_NAMESPACE = "/screen";

/**
 * Transport messages a web process sends its own sockets (server/realtime/io.ts): events from other
 * processes are interrupted (show "may be out of date"), and they are back (refetch, resync notes).
 */
export const LIVE_DEGRADED = "live:degraded";
export const LIVE_RESYNC = "live:resync";

/** Names the socket.io channel prefix in Redis; the adapter and the emitter must agree. */
export const socketChannel = (prefix: string) => `${prefix}:socket.io`;
