/** Small shared shaping helpers for chart outputs. */
import type { Db } from "../../db.ts";
import { publish } from "../../realtime/publish.ts";
import type { EventName, EventPayload } from "../../realtime/events.ts";

export type People = Map<string, { id: string; name: string }>;

/** One query for the names of everyone a set of rows mentions. */
export async function people(client: Db, ids: (string | null | undefined)[]): Promise<People> {
  const unique = [...new Set(ids.filter((v): v is string => !!v))];
  const users = unique.length ? await client.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } }) : [];
  return new Map(users.map((u) => [u.id, u]));
}

// People columns have no foreign keys (audit-style attribution); a missing user must not break a chart.
export const person = (names: People, id: string) => names.get(id) ?? { id, name: "Unknown user" };
export const personOrNull = (names: People, id: string | null | undefined) => (id ? person(names, id) : null);

export const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
export const dayToDate = (day: string | null | undefined) => (day ? new Date(`${day}T00:00:00Z`) : day === null ? null : undefined);
export const todayDay = () => new Date().toISOString().slice(0, 10);

/** Prisma Decimal (or null) → number (or null). */
export const num = (value: { toNumber(): number } | null | undefined) => (value == null ? null : value.toNumber());

export type ChartSection = "encounters" | "note" | "vitals" | "problems" | "allergies" | "medications" | "labs";

/** After commit only: every screen with this chart open refetches the section. */
export function announce<S extends ChartSection>(section: S, payload: EventPayload<`charts.${S}.changed` & EventName>): void {
  const event = `charts.${section}.changed` as `charts.${S}.changed` & EventName;
  publish(event, payload, [`patient:${(payload as { patientId: string }).patientId}`]);
}
