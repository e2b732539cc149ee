/**
 * A PROTOTYPE, for the scheduling benchmark only: reminder delivery in batches, set-based, to put
 * a number on the proposal in docs/performance.md ("Scheduling", reminders). It writes exactly
 * what deliverReminder (server/modules/scheduling/reminders.ts) writes: the same outbox rows
 * (text, subject, .ics) under the same (reminder_id, generation) key, the same SENT/SKIPPED
 * states and reasons. Per batch: one statement claims and reads up to `batch` due reminders
 * (FOR UPDATE SKIP LOCKED, so several loops or processes share the work), one statement writes
 * the outbox rows and marks the reminders, in one transaction. Not production code: no retries,
 * no SMTP transport.
 */
import ical from "ical-generator";
import type pg from "pg";
import { localParts } from "../../server/modules/scheduling/time.ts";

interface DueRow {
  id: string;
  generation: number;
  channel: "EMAIL" | "SMS";
  appointment_id: string;
  clinic_id: string;
  starts_at: Date;
  ends_at: Date;
  appointment_status: string;
  given_name: string;
  email: string | null;
  phone_mobile: string | null;
  allow_email: boolean;
  allow_sms: boolean;
  patient_status: string;
  location_name: string;
  time_zone: string;
  provider_name: string;
  clinic_name: string;
}

function ics(r: DueRow) {
  const calendar = ical({ name: r.clinic_name, prodId: { company: "Carelane", product: "carelane", language: "EN" } });
  calendar.createEvent({
    id: `${r.appointment_id}@carelane`,
    start: r.starts_at,
    end: r.ends_at,
    summary: `Appointment with ${r.provider_name}`,
    location: `${r.clinic_name}, ${r.location_name}`,
  });
  return calendar.toString();
}

/**
 * Delivers one batch; returns how many reminders it handled (0: nothing due). Either the next
 * `batch` due reminders (optionally only those due at `dueAt`), or, like a job, the given
 * reminder generations (`jobs`) if they are still SCHEDULED.
 */
export async function deliverBatch(pool: pg.Pool, batch: number, dueAt?: Date, jobs?: { id: string; generation: number }[]): Promise<{ sent: number; skipped: number }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const where = jobs
      ? "r.status = 'SCHEDULED' AND (r.id, r.generation) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))"
      : `r.status = 'SCHEDULED' AND r.due_at <= now() ${dueAt ? "AND r.due_at = $2" : ""} ORDER BY r.due_at LIMIT $1`;
    // Named (prepared) statements: a 7-table join costs PostgreSQL more to plan than to run, and a
    // job that sends one reminder would otherwise plan it for every reminder.
    const { rows } = await client.query<DueRow>({
      name: `bench-reminders-claim-${jobs ? "ids" : dueAt ? "due-at" : "due"}`,
      text: `SELECT r.id, r.generation, r.channel::text AS channel, a.id AS appointment_id, a.clinic_id, a.starts_at, a.ends_at, a.status::text AS appointment_status,
              p.given_name, p.email, p.phone_mobile, p.allow_email, p.allow_sms, p.status::text AS patient_status,
              l.name AS location_name, l.time_zone, u.name AS provider_name, c.name AS clinic_name
         FROM reminder r
         JOIN appointment a ON a.id = r.appointment_id
         JOIN patient p ON p.id = a.patient_id
         JOIN location l ON l.id = a.location_id
         JOIN provider pr ON pr.id = a.provider_id
         JOIN app_user u ON u.id = pr.user_id
         JOIN clinic c ON c.id = a.clinic_id
        WHERE ${where}
        FOR UPDATE OF r ${jobs ? "" : "SKIP LOCKED"}`,
      values: jobs ? [jobs.map((j) => j.id), jobs.map((j) => j.generation)] : dueAt ? [batch, dueAt] : [batch],
    });
    if (!rows.length) {
      await client.query("COMMIT");
      return { sent: 0, skipped: 0 };
    }
    const sent: { r: DueRow; recipient: string; subject: string | null; body: string; ics: string | null }[] = [];
    const skipped: { id: string; reason: string }[] = [];
    for (const r of rows) {
      if (!["BOOKED", "CONFIRMED"].includes(r.appointment_status)) {
        skipped.push({ id: r.id, reason: `appointment is ${r.appointment_status.toLowerCase()}` });
        continue;
      }
      if (r.patient_status !== "ACTIVE") {
        skipped.push({ id: r.id, reason: "patient is not active" });
        continue;
      }
      const recipient = r.channel === "EMAIL" ? (r.allow_email ? r.email : null) : r.allow_sms ? r.phone_mobile : null;
      if (!recipient) {
        skipped.push({ id: r.id, reason: r.channel === "EMAIL" ? "patient does not accept email" : "patient does not accept text messages" });
        continue;
      }
      const when = localParts(r.starts_at, r.time_zone);
      sent.push({
        r,
        recipient,
        subject: r.channel === "EMAIL" ? `Appointment reminder: ${when.date} ${when.time}` : null,
        body: `Hello ${r.given_name}, this is a reminder of your appointment with ${r.provider_name} on ${when.date} at ${when.time} at ${r.clinic_name}, ${r.location_name}. Reply or call us to change it.`,
        ics: r.channel === "EMAIL" ? ics(r) : null,
      });
    }
    await client.query({
      name: "bench-reminders-write",
      text: `WITH outbox AS (
         INSERT INTO outbox_message (id, clinic_id, channel, recipient, subject, body, ics, reminder_id, generation, transport)
         SELECT gen_random_uuid(), m.clinic_id, m.channel::"ReminderChannel", m.recipient, m.subject, m.body, m.ics, m.reminder_id, m.generation, 'outbox'
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::int[])
                AS m(clinic_id, channel, recipient, subject, body, ics, reminder_id, generation)
         ON CONFLICT (reminder_id, generation) DO NOTHING
         RETURNING reminder_id
       ), sent AS (
         -- like deliverReminder: SENT even when the outbox row already existed (a repeat)
         UPDATE reminder SET status = 'SENT', sent_at = now() WHERE id = ANY($7::uuid[]) RETURNING id
       )
       -- (data-modifying CTEs always run to completion, read or not)
       UPDATE reminder r SET status = 'SKIPPED', skip_reason = s.reason
         FROM unnest($9::uuid[], $10::text[]) AS s(id, reason)
        WHERE r.id = s.id`,
      values: [
        sent.map((m) => m.r.clinic_id),
        sent.map((m) => m.r.channel),
        sent.map((m) => m.recipient),
        sent.map((m) => m.subject),
        sent.map((m) => m.body),
        sent.map((m) => m.ics),
        sent.map((m) => m.r.id),
        sent.map((m) => m.r.generation),
        skipped.map((s) => s.id),
        skipped.map((s) => s.reason),
      ],
    });
    await client.query("COMMIT");
    return { sent: sent.length, skipped: skipped.length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Like one job per reminder: each given generation in its own transaction, `loops` at a time. */
export async function deliverEach(pool: pg.Pool, jobs: { id: string; generation: number }[], loops: number): Promise<number> {
  let next = 0;
  let handled = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (next < jobs.length) {
        const { sent, skipped } = await deliverBatch(pool, 1, undefined, [jobs[next++]!]);
        handled += sent + skipped;
      }
    }),
  );
  return handled;
}

/** `loops` concurrent loops of deliverBatch until nothing is due (or `limit` reminders handled). */
export async function deliverAll(pool: pg.Pool, options: { batch: number; loops: number; limit: number; dueAt?: Date }): Promise<number> {
  let handled = 0;
  let claimed = 0;
  await Promise.all(
    Array.from({ length: options.loops }, async () => {
      while (claimed < options.limit) {
        const take = Math.min(options.batch, options.limit - claimed);
        claimed += take;
        const { sent, skipped } = await deliverBatch(pool, take, options.dueAt);
        handled += sent + skipped;
        if (sent + skipped < take) return; // nothing more due
      }
    }),
  );
  return handled;
}
