import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "../../../server/trpc/router.ts";
import type { RouterOutputs } from "~/lib/trpc";

/** What the browser's tRPC client sends and receives for scheduling (Dates arrive as ISO strings). */
type RouterInputs = inferRouterInputs<AppRouter>;

export type Appointment = RouterOutputs["scheduling"]["day"][number];
export type AppointmentStatus = Appointment["status"];
export type BoardRow = RouterOutputs["scheduling"]["board"][number];
export type PublicBoardRow = RouterOutputs["scheduling"]["publicBoard"][number];
export type Slot = RouterOutputs["scheduling"]["findSlots"][number];
export type Provider = RouterOutputs["scheduling"]["providers"][number];
export type AppointmentType = RouterOutputs["scheduling"]["appointmentTypes"][number];
export type PatientAppointmentsResult = RouterOutputs["scheduling"]["patientAppointments"];
export type PatientHit = RouterOutputs["patients"]["search"]["items"][number];

export type BookInput = RouterInputs["scheduling"]["book"];
export type DayInput = RouterInputs["scheduling"]["day"];

/**
 * Loaders get Dates from `context.caller`; the browser's tRPC client gets ISO strings. Passing
 * loader data through JSON gives it the browser's shape, so both can feed the same query cache.
 */
export function toWire<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
