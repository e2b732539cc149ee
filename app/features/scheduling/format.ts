import type { AppointmentStatus } from "./types";

/**
 * Appointment times are shown in the location's time zone, whatever the reader's computer says:
 * "9:30 AM" at Riverside means 9:30 on the clinic's wall clock. A fixed locale keeps the server's
 * and the browser's rendering identical (no hydration mismatch).
 */
const LOCALE = "en-US";
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE, { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

const toDate = (value: string | Date) => (typeof value === "string" ? new Date(value) : value);

/** "9:30 AM" on the location's clock. */
export const formatTime = (value: string | Date, timeZone: string) => formatter(timeZone, { hour: "numeric", minute: "2-digit" }).format(toDate(value));

/** "Thu, Nov 26, 2026, 9:30 AM" on the location's clock. */
export const formatDateTime = (value: string | Date, timeZone: string) =>
  formatter(timeZone, { weekday: "short", month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" }).format(toDate(value));

/** The YYYY-MM-DD calendar date of an instant in a time zone. */
export function localDateOf(value: string | Date, timeZone: string): string {
  const parts = formatter(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(toDate(value));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

export const todayIn = (timeZone: string, now: Date = new Date()) => localDateOf(now, timeZone);

/** "Thursday, November 26, 2026" for a YYYY-MM-DD date (read as a calendar date, no zone can move it). */
export function formatLongDate(date: string): string {
  return new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", weekday: "long", month: "long", day: "numeric", year: "numeric" }).format(new Date(`${date}T12:00:00Z`));
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const isLocalDate = (value: string | null | undefined): value is string =>
  !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(new Date(`${value}T12:00:00Z`).getTime()) && new Date(`${value}T12:00:00Z`).toISOString().startsWith(value);

export const STATUS_LABEL: Record<AppointmentStatus, string> = {
  BOOKED: "Booked",
  CONFIRMED: "Confirmed",
  ARRIVED: "Checked in",
  ROOMED: "Roomed",
  IN_VISIT: "In visit",
  CHECKED_OUT: "Checked out",
  CANCELLED: "Cancelled",
  NO_SHOW: "No-show",
};

export const STATUS_TONE = {
  BOOKED: "neutral",
  CONFIRMED: "brand",
  ARRIVED: "warn",
  ROOMED: "brand",
  IN_VISIT: "ok",
  CHECKED_OUT: "neutral",
  CANCELLED: "danger",
  NO_SHOW: "danger",
} as const satisfies Record<AppointmentStatus, string>;

/** Whole seconds as "mm:ss" (minutes keep counting past 59: "75:03"). */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** Waits past these many minutes turn amber, then red. */
export const WAIT_WARN_MINUTES = 15;
export const WAIT_ALERT_MINUTES = 30;

export type WaitLevel = "ok" | "warn" | "alert";

export function waitLevel(seconds: number): WaitLevel {
  if (seconds >= WAIT_ALERT_MINUTES * 60) return "alert";
  if (seconds >= WAIT_WARN_MINUTES * 60) return "warn";
  return "ok";
}

export const formatPercent = (ratio: number) => `${Math.round(ratio * 100)}%`;
