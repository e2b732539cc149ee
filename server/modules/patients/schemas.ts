import { z } from "zod";
import { parsePhoneNumberFromString } from "libphonenumber-js";

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const today = () => new Date().toISOString().slice(0, 10);

const calendarDate = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .regex(isoDate, `${label} must be a date like 1984-03-27`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `${label} is not a real date`);

/** A calendar date as YYYY-MM-DD; no time zone games with birthdays. */
export const dateOfBirth = calendarDate("Date of birth")
  .refine((v) => v >= "1900-01-01", "Date of birth cannot be before 1900")
  .refine((v) => v <= today(), "Date of birth cannot be in the future");

const requiredText = (label: string, max = 100) =>
  z.string({ error: `${label} is required` }).trim().min(1, `${label} is required`).max(max, `${label} is too long (${max} characters at most)`);

/** Optional free text: empty strings from forms become null. */
const optionalText = (label: string, max = 100) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long (${max} characters at most)`)
    .nullish()
    .transform((v) => (v ? v : null));

/** Any phone a clerk types ("(617) 555-0123", "+44 20 7946 0958"), stored as E.164. */
export const phone = (label: string) =>
  z
    .string()
    .trim()
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null;
      const parsed = parsePhoneNumberFromString(v, "US");
      if (!parsed?.isValid()) {
        ctx.addIssue({ code: "custom", message: `${label} is not a valid phone number` });
        return z.NEVER;
      }
      return parsed.number as string;
    });

export const sexSchema = z.enum(["FEMALE", "MALE", "INTERSEX", "UNKNOWN"], { error: "Sex assigned at birth must be female, male, intersex or unknown" });
export const maritalStatusSchema = z.enum(["SINGLE", "MARRIED", "DOMESTIC_PARTNER", "DIVORCED", "SEPARATED", "WIDOWED", "UNKNOWN"], {
  error: "Marital status is not one of the listed options",
});
export const identifierKindSchema = z.enum(["SSN", "NATIONAL_ID", "DRIVERS_LICENSE"], { error: "Identifier type must be SSN, national id or driver's licence" });

const emergencyContact = z.object({
  name: requiredText("Emergency contact name"),
  relation: requiredText("Emergency contact relation", 50),
  phone: phone("Emergency contact phone").refine((v) => v !== null, "Emergency contact phone is required"),
});

/** SSA rules: no 000/666/9xx area, no 00 group, no 0000 serial. */
const ssnValid = (digits: string) =>
  /^\d{9}$/.test(digits) && !/^(000|666|9)/.test(digits) && digits.slice(3, 5) !== "00" && digits.slice(5) !== "0000";

export const identifierInput = z
  .object({
    kind: identifierKindSchema,
    value: z.string().trim().min(1, "Identifier value is required").max(40, "Identifier value is too long"),
    issuer: optionalText("Issuer", 40),
  })
  .transform((v, ctx) => {
    const normalised = v.kind === "SSN" ? v.value.replace(/[\s-]/g, "") : v.value.replace(/\s/g, "").toUpperCase();
    if (v.kind === "SSN" && !ssnValid(normalised)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "SSN must be 9 digits like 123-45-6789 and a valid number" });
      return z.NEVER;
    }
    if (v.kind !== "SSN" && !/^[A-Z0-9]{4,20}$/.test(normalised)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "Identifier must be 4 to 20 letters or digits" });
      return z.NEVER;
    }
    if (v.kind === "DRIVERS_LICENSE" && !v.issuer) {
      ctx.addIssue({ code: "custom", path: ["issuer"], message: "Issuing state is required for a driver's licence" });
      return z.NEVER;
    }
    return { kind: v.kind, value: normalised, issuer: v.issuer };
  });

const demographicsShape = {
  givenName: requiredText("Given name"),
  middleName: optionalText("Middle name"),
  familyName: requiredText("Family name"),
  preferredName: optionalText("Preferred name"),
  dateOfBirth,
  sex: sexSchema,
  genderIdentity: optionalText("Gender identity", 60),
  pronouns: optionalText("Pronouns", 30),
  phoneMobile: phone("Mobile phone"),
  phoneHome: phone("Home phone"),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .nullish()
    .transform((v) => (v ? v : null))
    .pipe(z.email("Email must be an address like name@example.com").max(254).nullable()),
  addressLine1: optionalText("Address line 1", 120),
  addressLine2: optionalText("Address line 2", 120),
  city: optionalText("City", 80),
  region: optionalText("State or region", 60),
  postalCode: optionalText("Postal code", 20).refine((v) => v === null || /^[A-Za-z0-9 -]{3,10}$/.test(v), "Postal code is not valid"),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "Country must be a 2-letter code like US").default("US"),
  preferredLanguage: z.string().trim().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "Preferred language must be a language tag like en or es").default("en"),
  maritalStatus: maritalStatusSchema.nullish().transform((v) => v ?? null),
  primaryCareProviderId: z.uuid("Primary care provider must be chosen from the list").nullish().transform((v) => v ?? null),
  allowSms: z.boolean().default(true),
  allowEmail: z.boolean().default(true),
  alerts: z.array(z.string().trim().min(1).max(60, "An alert is at most 60 characters")).max(10, "At most 10 alerts").default([]),
};

export const registerInput = z.object({
  ...demographicsShape,
  emergencyContacts: z.array(emergencyContact).max(5, "At most 5 emergency contacts").default([]),
  identifiers: z.array(identifierInput).max(3).default([]),
  /** Set after the user has seen the likely duplicates and chosen to register anyway. */
  confirmDuplicate: z.boolean().default(false),
});

export const patientIdInput = z.object({ id: z.uuid("id must be a patient id") });

export const updateInput = z.object({
  id: z.uuid("id must be a patient id"),
  /** the version the user read; a stale one is a CONFLICT */
  version: z.number().int().min(1),
  ...Object.fromEntries(Object.entries(demographicsShape).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof demographicsShape]: z.ZodOptional<(typeof demographicsShape)[K]>;
  },
  /** when present, replaces the whole list */
  emergencyContacts: z.array(emergencyContact).max(5, "At most 5 emergency contacts").optional(),
  /** when present, sets these kinds (other kinds stay) */
  identifiers: z.array(identifierInput).max(3).optional(),
});

export const setStatusInput = z
  .object({
    id: z.uuid(),
    version: z.number().int().min(1),
    status: z.enum(["ACTIVE", "INACTIVE", "DECEASED"], { error: "Status must be active, inactive or deceased" }),
    deceasedOn: calendarDate("Date of death").nullish(),
  })
  .refine((v) => v.status !== "DECEASED" || !!v.deceasedOn, { path: ["deceasedOn"], message: "Date of death is required" })
  .refine((v) => !v.deceasedOn || v.deceasedOn <= today(), { path: ["deceasedOn"], message: "Date of death cannot be in the future" });

export const duplicatesInput = z.object({
  givenName: requiredText("Given name"),
  familyName: requiredText("Family name"),
  dateOfBirth,
  phoneMobile: phone("Mobile phone").optional(),
  phoneHome: phone("Home phone").optional(),
  identifiers: z.array(identifierInput).max(3).default([]),
  /** when editing, the record itself is not its own duplicate */
  excludeId: z.uuid().optional(),
});

export const mergeInput = z
  .object({
    survivorId: z.uuid("Survivor must be a patient id"),
    mergedId: z.uuid("Duplicate must be a patient id"),
  })
  .refine((v) => v.survivorId !== v.mergedId, { path: ["mergedId"], message: "A record cannot be merged into itself" });

export const unmergeInput = z.object({ mergedId: z.uuid("mergedId must be the id of the merged (tombstone) record") });

export const revealInput = z.object({ patientId: z.uuid(), kind: identifierKindSchema });

const personRef = z.object({ id: z.string(), name: z.string() });

export const duplicateCandidate = z.object({
  id: z.string(),
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  reasons: z.array(z.enum(["same date of birth and similar name", "same phone", "same identifier"])),
});

export const patientOutput = z.object({
  id: z.string(),
  mrn: z.string(),
  givenName: z.string(),
  middleName: z.string().nullable(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  dateOfBirth: z.string(),
  sex: sexSchema,
  genderIdentity: z.string().nullable(),
  pronouns: z.string().nullable(),
  phoneMobile: z.string().nullable(),
  phoneHome: z.string().nullable(),
  email: z.string().nullable(),
  addressLine1: z.string().nullable(),
  addressLine2: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string(),
  preferredLanguage: z.string(),
  maritalStatus: maritalStatusSchema.nullable(),
  primaryCareProvider: personRef.nullable(),
  allowSms: z.boolean(),
  allowEmail: z.boolean(),
  alerts: z.array(z.string()),
  status: z.enum(["ACTIVE", "INACTIVE", "DECEASED", "MERGED"]),
  deceasedOn: z.string().nullable(),
  mergedInto: z.object({ id: z.string(), mrn: z.string() }).nullable(),
  emergencyContacts: z.array(z.object({ id: z.string(), name: z.string(), relation: z.string(), phone: z.string() })),
  /** masked: last 4 only; the full value needs patient:reveal-identifiers and is audited */
  identifiers: z.array(z.object({ kind: identifierKindSchema, issuer: z.string().nullable(), last4: z.string() })),
  version: z.number().int(),
  updatedAt: z.date(),
  updatedBy: personRef.nullable(),
});

export const bannerOutput = z.object({
  id: z.string(),
  mrn: z.string(),
  displayName: z.string(),
  dateOfBirth: z.string(),
  age: z.number().int(),
  sex: sexSchema,
  pronouns: z.string().nullable(),
  status: z.enum(["ACTIVE", "INACTIVE", "DECEASED", "MERGED"]),
  alerts: z.array(z.string()),
  allergies: z.object({
    /** NOT_RECORDED until someone records allergies or "no known allergies" in the chart */
    state: z.enum(["NOT_RECORDED", "NO_KNOWN_ALLERGIES", "RECORDED"]),
    items: z.array(z.string()),
  }),
});
