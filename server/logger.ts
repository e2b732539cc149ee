import { pino } from "pino";
import { env } from "./env.ts";

/**
 * Structured logs. Never log PHI: log ids (user, patient, request), never names, dates of birth,
 * contact details or free text from a chart. The redact list is a safety net, not the rule.
 */
export const logger = pino({
  level: env.NODE_ENV === "test" && !process.env.LOG_LEVEL ? "silent" : env.LOG_LEVEL,
  redact: {
    paths: ["password", "*.password", "req.headers.cookie", "*.givenName", "*.familyName", "*.dateOfBirth", "*.email", "*.phone"],
    censor: "[redacted]",
  },
});
