import { TZDate } from "@date-fns/tz";

/**
 * Appointment times are stored in UTC and reasoned about in the location's time zone. These
 * helpers are the only place that converts; TZDate handles DST (a 02:30 that does not exist on
 * the spring-forward day becomes 03:30).
 */
export type LocalDate = string; // "YYYY-MM-DD"
export type LocalTime = string; // "HH:MM"

export function localToUtc(date: LocalDate, time: LocalTime, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, d, hh, mm, timeZone).getTime());
}

export function localParts(instant: Date, timeZone: string): { date: LocalDate; time: LocalTime; weekday: number } {
  const local = new TZDate(instant.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`,
    time: `${pad(local.getHours())}:${pad(local.getMinutes())}`,
    weekday: local.getDay(),
  };
}

/** [start, end) of a local calendar day, in UTC. */
export function localDayRange(date: LocalDate, timeZone: string): { start: Date; end: Date } {
  return { start: localToUtc(date, "00:00", timeZone), end: localToUtc(addDays(date, 1), "00:00", timeZone) };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const weekdayOf = (date: LocalDate) => new Date(`${date}T12:00:00Z`).getUTCDay();

export const todayIn = (timeZone: string, now = new Date()) => localParts(now, timeZone).date;

export const minutesOf = (time: LocalTime) => {
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return hh * 60 + mm;
};

export const timeOf = (minutes: number): LocalTime => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
