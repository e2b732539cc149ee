import ical from "ical-generator";
import { randomUUID } from "node:crypto";
import { db, type Tx } from "../../db.ts";
import { env } from "../../env.ts";
import { logger } from "../../logger.ts";
import { notifier } from "../../notify/notifier.ts";
import { localParts } from "./time.ts";

/**
 * Reminders are rows first (a transactional outbox): booking writes them in its transaction, a
 * BullMQ job is enqueued after commit with a deterministic id, and a reconciling job re-enqueues
 * any SCHEDULED reminder whose job went missing (Redis was down, the enqueue failed). Rescheduling
 * bumps `generation`, so a job for the old time finds itself stale and does nothing.
 */
export interface ReminderRow {
  id: string;
  channel: "EMAIL" | "SMS";
  offsetMinutes: number;
  dueAt: Date;
}

/**
 * The reminders a new booking gets: one per configured offset and per channel the patient has,
 * only those still in the future. Ids are made here (uuid v4, like the column's default) so the
 * booking can write appointment, reminders and audit row in one statement.
 */
export function reminderRows(startsAt: Date, patient: { email: string | null; phoneMobile: string | null }, now = Date.now()): ReminderRow[] {
  const channels = [...(patient.email ? (["EMAIL"] as const) : []), ...(patient.phoneMobile ? (["SMS"] as const) : [])];
  return env.REMINDER_OFFSETS_MINUTES.flatMap((offsetMinutes) =>
    channels.map((channel) => ({ id: randomUUID(), channel, offsetMinutes, dueAt: new Date(startsAt.getTime() - offsetMinutes * 60_000) })),
  ).filter((r) => r.dueAt.getTime() > now);
}

/** After a reschedule: new due times, new generation, SCHEDULED again unless already past. */
export async function moveReminders(tx: Tx, appointmentId: string, startsAt: Date) {
  const reminders = await tx.reminder.findMany({ where: { appointmentId, status: { in: ["SCHEDULED", "SENT", "SKIPPED"] } }, select: { id: true, offsetMinutes: true } });
  for (const r of reminders) {
    const dueAt = new Date(startsAt.getTime() - r.offsetMinutes * 60_000);
    await tx.reminder.update({
      where: { id: r.id },
      data: { dueAt, generation: { increment: 1 }, status: dueAt.getTime() > Date.now() ? "SCHEDULED" : "SKIPPED", sentAt: null, skipReason: dueAt.getTime() > Date.now() ? null : "due time passed after reschedule" },
    });
  }
  return tx.reminder.findMany({ where: { appointmentId, status: "SCHEDULED" }, select: { id: true, generation: true, dueAt: true } });
}

export async function cancelReminders(tx: Tx, appointmentId: string) {
  await tx.reminder.updateMany({ where: { appointmentId, status: "SCHEDULED" }, data: { status: "CANCELLED" } });
}

export type ReminderJob = { id: string; generation: number; dueAt: Date };

const ENQUEUE_WAIT_MS = 2_000;

/**
 * Enqueue after commit. A failure or a slow Redis is logged, never thrown, and never holds the
 * booking's response for more than ENQUEUE_WAIT_MS: the rows are already safe in PostgreSQL and
 * the reconciler enqueues them when Redis is back (the job ids are deterministic, so a late
 * enqueue from here and the reconciler's make one job).
 */
export async function enqueueReminders(reminders: ReminderJob[]) {
  if (!reminders.length) return;
  const attempt = (async () => {
    const { enqueueMany } = await import("../../../jobs/client.ts");
    await enqueueMany(
      "scheduling.send-reminder",
      reminders.map((r) => ({ payload: { reminderId: r.id, generation: r.generation }, delay: Math.max(0, r.dueAt.getTime() - Date.now()) })),
    );
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ENQUEUE_WAIT_MS} ms`)), ENQUEUE_WAIT_MS);
  });
  try {
    await Promise.race([attempt, timeout]);
  } catch (error) {
    attempt.catch(() => undefined);
    logger.warn({ err: (error as Error).message, count: reminders.length }, "reminders not enqueued now; the reconciler will enqueue them");
  } finally {
    clearTimeout(timer);
  }
}

function icsFor(a: { id: string; startsAt: Date; endsAt: Date; locationName: string; providerName: string; clinicName: string }) {
  const calendar = ical({ name: a.clinicName, prodId: { company: "Carelane", product: "carelane", language: "EN" } });
  calendar.createEvent({
    id: `${a.id}@carelane`,
    start: a.startsAt,
    end: a.endsAt,
    summary: `Appointment with ${a.providerName}`,
    location: `${a.clinicName}, ${a.locationName}`,
  });
  return calendar.toString();
}

/**
 * The job's work: send one reminder generation exactly once, honouring the patient's contact
 * preferences at send time. Idempotent: a repeat finds it SENT (or its outbox row) and stops.
 */
export async function deliverReminder(reminderId: string, generation: number): Promise<"sent" | "skipped" | "stale"> {
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM reminder WHERE id = ${reminderId}::uuid AND generation = ${generation} AND status = 'SCHEDULED' FOR UPDATE`;
    if (!locked) return "stale" as const;
    const r = await tx.reminder.findUniqueOrThrow({
      where: { id: reminderId },
      select: {
        channel: true,
        appointment: {
          select: {
            id: true, clinicId: true, startsAt: true, endsAt: true, status: true,
            patient: { select: { givenName: true, email: true, phoneMobile: true, allowEmail: true, allowSms: true, status: true } },
            location: { select: { name: true, timeZone: true } },
            provider: { select: { user: { select: { name: true } } } },
          },
        },
      },
    });
    const a = r.appointment;
    const skip = async (reason: string) => {
      await tx.reminder.update({ where: { id: reminderId }, data: { status: "SKIPPED", skipReason: reason } });
      return "skipped" as const;
    };
    if (!["BOOKED", "CONFIRMED"].includes(a.status)) return skip(`appointment is ${a.status.toLowerCase()}`);
    if (a.patient.status !== "ACTIVE") return skip("patient is not active");
    const recipient = r.channel === "EMAIL" ? (a.patient.allowEmail ? a.patient.email : null) : a.patient.allowSms ? a.patient.phoneMobile : null;
    if (!recipient) return skip(r.channel === "EMAIL" ? "patient does not accept email" : "patient does not accept text messages");
    const clinic = await tx.clinic.findUniqueOrThrow({ where: { id: a.clinicId }, select: { name: true } });
    const when = localParts(a.startsAt, a.location.timeZone);
    const body = `Hello ${a.patient.givenName}, this is a reminder of your appointment with ${a.provider.user.name} on ${when.date} at ${when.time} at ${clinic.name}, ${a.location.name}. Reply or call us to change it.`;
    await notifier.send(tx, {
      clinicId: a.clinicId,
      channel: r.channel,
      recipient,
      subject: r.channel === "EMAIL" ? `Appointment reminder: ${when.date} ${when.time}` : undefined,
      body,
      ics: r.channel === "EMAIL" ? icsFor({ id: a.id, startsAt: a.startsAt, endsAt: a.endsAt, locationName: a.location.name, providerName: a.provider.user.name, clinicName: clinic.name }) : undefined,
      reminderId,
      generation,
    });
    await tx.reminder.update({ where: { id: reminderId }, data: { status: "SENT", sentAt: new Date() } });
    return "sent" as const;
  });
}

/** SCHEDULED reminders due within the horizon, for the reconciler to (re-)enqueue. */
export async function scheduledReminders(horizonMs: number, limit = 5_000): Promise<ReminderJob[]> {
  return db.reminder.findMany({
    where: { status: "SCHEDULED", dueAt: { lte: new Date(Date.now() + horizonMs) } },
    select: { id: true, generation: true, dueAt: true },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
}
