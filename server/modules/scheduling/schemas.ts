import { z } from "zod";

const uuid = (label: string) => z.uuid(`${label} must be chosen from the list`);
const localDate = (label: string) => z.string({ error: `${label} is required` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date like 2026-12-01`);
const localTime = (label: string) => z.string({ error: `${label} is required` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label} must be a time like 09:30`);
const version = z.number().int().min(1);

export const STATUSES = ["BOOKED", "CONFIRMED", "ARRIVED", "ROOMED", "IN_VISIT", "CHECKED_OUT", "CANCELLED", "NO_SHOW"] as const;
export const statusSchema = z.enum(STATUSES);

// ---------------------------------------------------------------- setup

/** NPI: 10 digits whose Luhn check (with the 80840 prefix) holds. */
export function npiValid(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export const upsertProviderInput = z.object({
  userId: uuid("Clinician"),
  npi: z.string().trim().refine(npiValid, "NPI must be a valid 10-digit National Provider Identifier"),
  specialty: z.string().trim().min(1, "Specialty is required").max(80),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Colour must look like #2563eb").default("#2563eb"),
  active: z.boolean().default(true),
});

export const appointmentTypeInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(60),
  durationMinutes: z.number().int().min(5, "Duration must be at least 5 minutes").max(480, "Duration must be at most 8 hours"),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Colour must look like #0ea5e9").default("#0ea5e9"),
});

const block = z
  .object({ weekday: z.number().int().min(0).max(6), startTime: localTime("Start time"), endTime: localTime("End time") })
  .refine((b) => b.endTime > b.startTime, { path: ["endTime"], message: "End time must be after the start time" });

export const setAvailabilityInput = z.object({
  providerId: uuid("Provider"),
  locationId: uuid("Location"),
  /** replaces the provider's weekly hours at this location */
  blocks: z.array(block).max(50),
});

export const addExceptionInput = z
  .object({
    providerId: uuid("Provider"),
    locationId: uuid("Location").nullish(),
    date: localDate("Date"),
    kind: z.enum(["HOLIDAY", "SICK", "BLOCKED", "EXTRA"], { error: "Kind must be holiday, sick, blocked or extra clinic" }),
    startTime: localTime("Start time").nullish(),
    endTime: localTime("End time").nullish(),
    reason: z.string().trim().max(200).nullish(),
  })
  .refine((e) => (e.startTime == null) === (e.endTime == null), { path: ["endTime"], message: "Give both start and end time, or neither for the whole day" })
  .refine((e) => !e.startTime || !e.endTime || e.endTime > e.startTime, { path: ["endTime"], message: "End time must be after the start time" })
  .refine((e) => e.kind !== "EXTRA" || (e.startTime && e.locationId), { path: ["startTime"], message: "An extra clinic needs a location and hours" });

// ---------------------------------------------------------------- booking

export const findSlotsInput = z
  .object({
    appointmentTypeId: uuid("Appointment type"),
    locationId: uuid("Location"),
    providerId: uuid("Provider").optional(),
    from: localDate("From"),
    to: localDate("To").optional(),
    limit: z.number().int().min(1).max(200).default(20),
  })
  .refine((v) => !v.to || v.to >= v.from, { path: ["to"], message: "To must be on or after From" });

export const slotOutput = z.object({ providerId: z.string(), providerName: z.string(), start: z.date(), end: z.date() });

export const bookInput = z.object({
  patientId: uuid("Patient"),
  providerId: uuid("Provider"),
  locationId: uuid("Location"),
  appointmentTypeId: uuid("Appointment type"),
  start: z.coerce.date({ error: "Start must be a date and time" }),
  reason: z.string().trim().max(200).nullish(),
  /** Book outside the provider's hours: needs schedule:override and is audited. */
  overrideAvailability: z.boolean().default(false),
});

export const rescheduleInput = z.object({
  appointmentId: uuid("Appointment"),
  version,
  start: z.coerce.date({ error: "Start must be a date and time" }),
  providerId: uuid("Provider").optional(),
  overrideAvailability: z.boolean().default(false),
});

export const cancelInput = z.object({
  appointmentId: uuid("Appointment"),
  reason: z.string().trim().min(1, "A reason is required to cancel").max(200),
});

export const appointmentIdInput = z.object({ appointmentId: uuid("Appointment") });
export const roomInput = z.object({ appointmentId: uuid("Appointment"), room: z.string().trim().min(1, "Room is required").max(40) });

export const dayInput = z
  .object({ date: localDate("Date"), providerId: uuid("Provider").optional(), locationId: uuid("Location").optional() })
  .refine((v) => v.providerId || v.locationId, { path: ["locationId"], message: "Choose a provider or a location" });

export const boardInput = z.object({ locationId: uuid("Location") });

export const pairScreenInput = z.object({
  locationId: uuid("Location"),
  name: z
    .string({ error: "Screen name is required" })
    .trim()
    .min(1, "Screen name is required")
    .max(80, "Screen name is too long (80 characters at most)"),
});

export const pairScreenByCodeInput = pairScreenInput.extend({
  code: z
    .string({ error: "Pairing code is required" })
    .trim()
    .min(1, "Pairing code is required")
    .max(20, "A pairing code is 8 letters and digits, like ABCD-EFGH")
    .refine((v) => v.toUpperCase().replace(/[^A-Z0-9]/g, "").length === 8, "A pairing code is 8 letters and digits, like ABCD-EFGH"),
});

export const screenIdInput = z.object({ screenId: uuid("Screen") });

export const screenRow = z.object({
  id: z.string(),
  name: z.string(),
  pairedBy: z.string().nullable(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  revokedAt: z.date().nullable(),
});

const person = z.object({ id: z.string(), name: z.string() });

export const appointmentOutput = z.object({
  id: z.string(),
  patient: z.object({ id: z.string(), mrn: z.string(), name: z.string() }),
  provider: person,
  location: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
  appointmentType: z.object({ id: z.string(), name: z.string(), color: z.string() }),
  start: z.date(),
  end: z.date(),
  status: statusSchema,
  room: z.string().nullable(),
  ticket: z.number().nullable(),
  reason: z.string().nullable(),
  cancelReason: z.string().nullable(),
  arrivedAt: z.date().nullable(),
  outsideAvailability: z.boolean(),
  version: z.number().int(),
});

export const boardRow = z.object({
  appointmentId: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  providerName: z.string(),
  status: statusSchema,
  room: z.string().nullable(),
  ticket: z.number().nullable(),
  start: z.date(),
  arrivedAt: z.date().nullable(),
  version: z.number().int(),
});

/** The waiting-room screen: no PHI, only a ticket, initials and where to go. */
export const publicBoardRow = z.object({ ticket: z.number().nullable(), initials: z.string(), status: statusSchema, room: z.string().nullable() });
