import { z } from "zod";

/**
 * Field builders shared by the modules' input schemas, so one kind of field reads and fails the same
 * way everywhere. Messages name the field in the words of the form ("Onset date is not a real date").
 * Edits follow one convention: a field left out is unchanged, `null` clears an optional field, and
 * an empty text box counts as cleared.
 */

/** Today as YYYY-MM-DD (evaluated per request: a long-running server must accept tomorrow's entries). */
export const today = () => new Date().toISOString().slice(0, 10);

/** Required text: trimmed, not empty, bounded. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is too long (${max} characters at most)`);

/** Optional text: trimmed and bounded; an empty box becomes null (cleared), left out stays undefined. */
export const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} is too long (${max} characters at most)`)
    .transform((v) => (v === "" ? null : v))
    .nullish();

/** A real calendar date (YYYY-MM-DD) from 1900 on; `past` also refuses dates after today. */
export const calendarDate = (label: string, { past }: { past: boolean }) => {
  const date = z
    .string({ error: `${label} must be a date like 2024-03-27` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${label} must be a date like 2024-03-27`, abort: true })
    .refine((v) => new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { message: `${label} is not a real date`, abort: true })
    .refine((v) => v >= "1900-01-01", `${label} cannot be before 1900`);
  return past ? date.refine((v) => v <= today(), `${label} cannot be in the future`) : date;
};

/** An optional calendar date: an empty box is null (cleared). */
export const optionalCalendarDate = (label: string, options: { past: boolean }) =>
  z
    .union([z.literal(""), calendarDate(label, options)], { error: `${label} must be a date like 2024-03-27` })
    .transform((v) => (v === "" ? null : v))
    .nullish();
