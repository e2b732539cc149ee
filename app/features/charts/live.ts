import type { EventName } from "../../../server/realtime/events.ts";
import { useLiveEvent } from "~/lib/use-live-event";

/** The chart's live sections: each save publishes `charts.<section>.changed` to `patient:<id>`. */
export const CHART_EVENT_SECTIONS = ["encounters", "note", "vitals", "problems", "allergies", "medications", "labs"] as const;
export type ChartEventSection = (typeof CHART_EVENT_SECTIONS)[number];

// Fails to compile if the server renames or drops one of these events.
const EVENT_OF = {
  encounters: "charts.encounters.changed",
  note: "charts.note.changed",
  vitals: "charts.vitals.changed",
  problems: "charts.problems.changed",
  allergies: "charts.allergies.changed",
  medications: "charts.medications.changed",
  labs: "charts.labs.changed",
} as const satisfies Record<ChartEventSection, EventName>;

/**
 * Calls `refetch` when any of `sections` changes on this patient's chart (any web process, any
 * user, this one included) and after every reconnect, when missed events are gone for good.
 */
export function useChartEvents(patientId: string, sections: readonly ChartEventSection[], refetch: () => void): void {
  useLiveEvent({
    rooms: [`patient:${patientId}`],
    events: sections.map((section) => EVENT_OF[section]),
    onEvent: () => refetch(),
  });
}
