import { db } from "../../db.ts";
import { addDays, localParts, localToUtc, minutesOf, timeOf, weekdayOf, type LocalDate } from "./time.ts";

type Interval = [number, number]; // minutes from local midnight, [start, end)

function subtract(intervals: Interval[], cut: Interval): Interval[] {
  return intervals.flatMap(([s, e]) => {
    if (cut[1] <= s || cut[0] >= e) return [[s, e] as Interval];
    const parts: Interval[] = [];
    if (cut[0] > s) parts.push([s, cut[0]]);
    if (cut[1] < e) parts.push([cut[1], e]);
    return parts;
  });
}

export interface ProviderCalendar {
  providerId: string;
  blocks: { locationId: string; weekday: number; startTime: string; endTime: string; validFrom: Date | null; validTo: Date | null }[];
  exceptions: { locationId: string | null; date: Date; kind: string; startTime: string | null; endTime: string | null }[];
}

/** Loads weekly hours and exceptions for providers over a local date range, in two queries. */
export async function loadCalendars(providerIds: string[], from: LocalDate, to: LocalDate): Promise<Map<string, ProviderCalendar>> {
  const [blocks, exceptions] = await Promise.all([
    db.availability.findMany({ where: { providerId: { in: providerIds } }, select: { providerId: true, locationId: true, weekday: true, startTime: true, endTime: true, validFrom: true, validTo: true } }),
    db.availabilityException.findMany({
      where: { providerId: { in: providerIds }, date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } },
      select: { providerId: true, locationId: true, date: true, kind: true, startTime: true, endTime: true },
    }),
  ]);
  const calendars = new Map<string, ProviderCalendar>(providerIds.map((id) => [id, { providerId: id, blocks: [], exceptions: [] }]));
  for (const b of blocks) calendars.get(b.providerId)?.blocks.push(b);
  for (const e of exceptions) calendars.get(e.providerId)?.exceptions.push(e);
  return calendars;
}

/** Working intervals of a provider at a location on one local date, exceptions applied. */
export function workingIntervals(calendar: ProviderCalendar, locationId: string, date: LocalDate): Interval[] {
  const weekday = weekdayOf(date);
  const day = new Date(`${date}T00:00:00Z`).getTime();
  let intervals: Interval[] = calendar.blocks
    .filter((b) => b.locationId === locationId && b.weekday === weekday && (!b.validFrom || b.validFrom.getTime() <= day) && (!b.validTo || b.validTo.getTime() >= day))
    .map((b) => [minutesOf(b.startTime), minutesOf(b.endTime)]);
  const todays = calendar.exceptions.filter((e) => e.date.getTime() === day && (e.locationId === null || e.locationId === locationId));
  for (const e of todays) {
    if (e.kind === "EXTRA") {
      if (e.locationId === locationId && e.startTime && e.endTime) intervals.push([minutesOf(e.startTime), minutesOf(e.endTime)]);
    } else {
      intervals = e.startTime && e.endTime ? subtract(intervals, [minutesOf(e.startTime), minutesOf(e.endTime)]) : [];
    }
  }
  return intervals.sort((a, b) => a[0] - b[0]);
}

/** A local working interval as UTC instants (an interval ending at 24:00 ends at next midnight). */
export function intervalToUtc(date: LocalDate, [startMin, endMin]: Interval, timeZone: string): { start: Date; end: Date } {
  return {
    start: localToUtc(date, timeOf(startMin), timeZone),
    end: endMin >= 24 * 60 ? localToUtc(addDays(date, 1), "00:00", timeZone) : localToUtc(date, timeOf(endMin), timeZone),
  };
}

/** Is [start, end) inside the provider's working hours at that location (calendar already loaded)? */
export function insideHours(calendar: ProviderCalendar, locationId: string, timeZone: string, start: Date, end: Date): boolean {
  const { date } = localParts(start, timeZone);
  return workingIntervals(calendar, locationId, date).some((interval) => {
    const utc = intervalToUtc(date, interval, timeZone);
    return start >= utc.start && end <= utc.end;
  });
}
