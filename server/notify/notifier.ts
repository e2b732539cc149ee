import nodemailer from "nodemailer";
import { env } from "../env.ts";
import type { Tx } from "../db.ts";

/**
 * How messages leave the clinic. Every transport records what it sent in `outbox_message`, whose
 * unique (reminder, generation) key is what makes a reminder go out once however often its job
 * runs: the record is written in the same transaction that marks the reminder sent.
 */
export interface Message {
  clinicId: string;
  channel: "EMAIL" | "SMS";
  recipient: string;
  subject?: string;
  body: string;
  ics?: string;
  reminderId?: string;
  generation?: number;
}

export interface Notifier {
  readonly name: string;
  /** Returns false when this reminder generation was already delivered (nothing sent again). */
  send(tx: Tx, message: Message): Promise<boolean>;
}

async function record(tx: Tx, message: Message, transport: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO outbox_message (id, clinic_id, channel, recipient, subject, body, ics, reminder_id, generation, transport)
    VALUES (gen_random_uuid(), ${message.clinicId}::uuid, ${message.channel}::"ReminderChannel", ${message.recipient}, ${message.subject ?? null},
            ${message.body}, ${message.ics ?? null}, ${message.reminderId ?? null}::uuid, ${message.generation ?? null}, ${transport})
    ON CONFLICT (reminder_id, generation) DO NOTHING
    RETURNING id`;
  return rows.length === 1;
}

/** Development, tests and the demo: the outbox table is the mailbox staff can read. */
export const outboxTransport: Notifier = { name: "outbox", send: (tx, message) => record(tx, message, "outbox") };

/**
 * Email over SMTP (host from SMTP_URL). The outbox row is claimed first, then the mail is sent
 * inside the same transaction: a crash between the send and the commit can repeat one email
 * (at-least-once across the SMTP boundary), never skip one. SMS has no provider yet and stays in
 * the outbox.
 */
export function smtpTransport(url: string): Notifier {
  const mailer = nodemailer.createTransport(url);
  return {
    name: "smtp",
    async send(tx, message) {
      if (!(await record(tx, message, message.channel === "EMAIL" ? "smtp" : "outbox"))) return false;
      if (message.channel === "EMAIL") {
        await mailer.sendMail({
          from: env.MAIL_FROM,
          to: message.recipient,
          subject: message.subject,
          text: message.body,
          ...(message.ics ? { icalEvent: { method: "REQUEST", content: message.ics } } : {}),
        });
      }
      return true;
    },
  };
}

export const notifier: Notifier = env.NOTIFY_TRANSPORT === "smtp" && env.SMTP_URL ? smtpTransport(env.SMTP_URL) : outboxTransport;
