import type { AppointmentVerb } from "../../../server/realtime/events.ts";
import { useLiveEvent } from "~/lib/use-live-event";

const VERBS = ["booked", "rescheduled", "confirmed", "cancelled", "checked-in", "roomed", "visit-started", "checked-out", "no-show"] as const satisfies readonly AppointmentVerb[];
// Fails to compile when the server adds a verb this list lacks.
const everyVerb: Record<Exclude<AppointmentVerb, (typeof VERBS)[number]>, never> = {};
void everyVerb;

/** Every appointment event: any of them can change what a schedule or a board shows. */
export const APPOINTMENT_EVENTS = VERBS.map((verb) => `scheduling.appointment.${verb}` as const);

/**
 * Calls `refetch` whenever an appointment changes in one of `rooms` (e.g. `location:<id>`,
 * `patient:<id>`) and after every reconnect (events sent while offline are lost).
 */
export function useAppointmentEvents(rooms: readonly string[], refetch: () => void): void {
  useLiveEvent({ rooms, events: APPOINTMENT_EVENTS, onEvent: () => refetch() });
}
