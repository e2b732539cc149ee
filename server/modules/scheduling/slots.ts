import { db } from "../../db.ts";
import { notFound } from "../../errors.ts";
import { intervalToUtc, loadCalendars, workingIntervals } from "./availability.ts";
import { addDays, localDayRange, type LocalDate } from "./time.ts";

const GRID_MINUTES = 15;
const MAX_DAYS = 31;

export interface SlotQuery {
  clinicId: string;
  appointmentTypeId: string;
  locationId: string;
  providerId?: string;
  from: LocalDate;
  to?: LocalDate;
  limit: number;
  /** appointments to ignore as busy (the one being rescheduled) */
  ignoreAppointmentId?: string;
}

/**
 * Open slots: working hours (weekly blocks, minus holidays/sick/blocked, plus extra clinics) on a
 * 15-minute grid, minus active appointments, never in the past. "Next available" is limit 1.
 */
export async function findSlots(query: SlotQuery) {
  const [type, location] = await Promise.all([
    db.appointmentType.findFirst({ where: { id: query.appointmentTypeId, clinicId: query.clinicId, active: true }, select: { durationMinutes: true } }),
    db.location.findFirst({ where: { id: query.locationId, clinicId: query.clinicId }, select: { id: true, timeZone: true } }),
  ]);
  if (!type) throw notFound("Appointment type");
  if (!location) throw notFound("Location");
  const providers = await db.provider.findMany({
    where: { clinicId: query.clinicId, active: true, ...(query.providerId ? { id: query.providerId } : {}), availability: { some: { locationId: location.id } } },
    select: { id: true, user: { select: { name: true } } },
  });
  if (query.providerId && providers.length === 0) return [];
  const to = query.to && query.to < addDays(query.from, MAX_DAYS) ? query.to : addDays(query.from, query.to ? MAX_DAYS : 14);
  const range = { start: localDayRange(query.from, location.timeZone).start, end: localDayRange(to, location.timeZone).end };
  const [calendars, busy] = await Promise.all([
    loadCalendars(providers.map((p) => p.id), query.from, to),
    db.appointment.findMany({
      where: {
        providerId: { in: providers.map((p) => p.id) },
        status: { notIn: ["CANCELLED", "NO_SHOW"] },
        startsAt: { lt: range.end },
        endsAt: { gt: range.start },
        ...(query.ignoreAppointmentId ? { id: { not: query.ignoreAppointmentId } } : {}),
      },
      select: { providerId: true, startsAt: true, endsAt: true },
    }),
  ]);
  const now = Date.now();
  const duration = type.durationMinutes * 60_000;
  const slots: { providerId: string; providerName: string; start: Date; end: Date }[] = [];
  for (let date = query.from; date <= to; date = addDays(date, 1)) {
    for (const provider of providers) {
      const taken = busy.filter((b) => b.providerId === provider.id);
      for (const interval of workingIntervals(calendars.get(provider.id)!, location.id, date)) {
        const window = intervalToUtc(date, interval, location.timeZone);
        for (let t = window.start.getTime(); t + duration <= window.end.getTime(); t += GRID_MINUTES * 60_000) {
          if (t < now) continue;
          const end = t + duration;
          if (taken.some((b) => b.startsAt.getTime() < end && b.endsAt.getTime() > t)) continue;
          slots.push({ providerId: provider.id, providerName: provider.user.name, start: new Date(t), end: new Date(end) });
        }
      }
    }
    // Days are visited in order, so once we have enough the earliest are already in hand.
    if (slots.length >= query.limit) break;
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime() || a.providerName.localeCompare(b.providerName)).slice(0, query.limit);
}
