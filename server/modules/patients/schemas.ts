import { z } from "zod";

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as YYYY-MM-DD; no time zone games with birthdays. */
export const dateOfBirth = z
  .string({ error: "Date of birth is required" })
  .regex(isoDate, "Date of birth must be a date like 1984-03-27")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "Date of birth is not a real date")
  .refine((v) => v >= "1900-01-01", "Date of birth cannot be before 1900")
  .refine((v) => v <= new Date().toISOString().slice(0, 10), "Date of birth cannot be in the future");

const name = (label: string) =>
  z.string({ error: `${label} is required` }).trim().min(1, `${label} is required`).max(100, `${label} is too long (100 characters at most)`);

export const sexSchema = z.enum(["FEMALE", "MALE", "INTERSEX", "UNKNOWN"], { error: "Sex must be one of female, male, intersex, unknown" });

export const registerInput = z.object({
  givenName: name("Given name"),
  familyName: name("Family name"),
  dateOfBirth,
  sex: sexSchema,
});

export const patientIdInput = z.object({ id: z.string().uuid("id must be a patient id") });

export const updateInput = z.object({
  id: z.string().uuid("id must be a patient id"),
  /** the version the user read; a stale one is a CONFLICT */
  version: z.number().int().min(1),
  givenName: name("Given name").optional(),
  familyName: name("Family name").optional(),
  dateOfBirth: dateOfBirth.optional(),
  sex: sexSchema.optional(),
});

export const patientOutput = z.object({
  id: z.string(),
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  sex: sexSchema,
  status: z.enum(["ACTIVE", "INACTIVE", "DECEASED", "MERGED"]),
  version: z.number().int(),
  updatedAt: z.date(),
});
