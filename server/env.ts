import { z } from "zod";

/**
 * All configuration, validated once at boot. Development gets working local defaults; production
 * must be given every secret explicitly (a missing or weak one stops the process with one line
 * naming the variable).
 */
const DEV_SECRET = "carelane-development-secret-do-not-use-in-production";
// 32 bytes, base64. Only for development and tests; production must set FIELD_ENCRYPTION_KEY.
const DEV_FIELD_KEY = "Y2FyZWxhbmUtZGV2LWZpZWxkLWtleS0zMi1ieXRlcyE=";

const isProduction = process.env.NODE_ENV === "production" && process.env.CARELANE_DEMO !== "1";

const secret = (name: string) =>
  isProduction
    ? z.string({ error: `${name} is required in production` }).min(32, `${name} must be at least 32 characters`)
    : z.string().min(32, `${name} must be at least 32 characters`).default(DEV_SECRET);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL")
    .default("postgresql://postgres@127.0.0.1:5432/carelane"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "REDIS_URL must be a redis:// URL")
    .default("redis://127.0.0.1:6379/0"),
  /** Namespaces BullMQ queues and Socket.IO channels so test runs never see each other's traffic. */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9-]+$/, "REDIS_PREFIX: lower-case letters, digits and dashes").default("carelane"),
  AUTH_SECRET: secret("AUTH_SECRET"),
  /** base64 of 32 random bytes; AES-256-GCM key for sensitive patient identifiers. */
  FIELD_ENCRYPTION_KEY: (isProduction
    ? z.string({ error: "FIELD_ENCRYPTION_KEY is required in production" })
    : z.string().default(DEV_FIELD_KEY)
  ).refine((v) => Buffer.from(v, "base64").length === 32, "FIELD_ENCRYPTION_KEY must be base64 of exactly 32 bytes"),
  FIELD_ENCRYPTION_KEY_ID: z.string().min(1).default("k1"),
  /** Minutes without a request after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Absolute session lifetime in hours, however active. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  /** Public origin, used for cookies' Secure flag and Auth.js redirects. */
  APP_URL: z.string().url("APP_URL must be an absolute URL").optional(),
  /** When reminders go out, in minutes before the appointment. */
  REMINDER_OFFSETS_MINUTES: z
    .string()
    .regex(/^\d+(,\d+)*$/, "REMINDER_OFFSETS_MINUTES must be a comma-separated list of minutes, e.g. 1440,120")
    .default("1440,120")
    .transform((v) => [...new Set(v.split(",").map(Number))]),
  /** How long after the start a booked patient who never arrived becomes a no-show. */
  NO_SHOW_GRACE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(30),
  /** "outbox" writes messages to the database (development, tests, the demo); "smtp" sends email. */
  NOTIFY_TRANSPORT: z.enum(["outbox", "smtp"]).default("outbox"),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().default("Carelane <no-reply@carelane.test>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  // Auth.js documents AUTH_SECRET; SESSION_SECRET is accepted as the older name.
  const source = { ...process.env, AUTH_SECRET: process.env.AUTH_SECRET ?? process.env.SESSION_SECRET };
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "configuration");
    const message = issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
    console.error(`carelane: bad configuration: ${message}`);
    process.exit(1);
  }
  return parsed.data;
}

export const env = load();
export const isProductionEnv = isProduction;
