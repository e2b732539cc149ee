import type { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.ts";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Tx } from "../../db.ts";
import { DomainError, notFound, staleVersion } from "../../errors.ts";
import { lookupHash, open, seal } from "../../crypto/field-encryption.ts";
import { publish } from "../../realtime/publish.ts";
import { can } from "../../permissions/registry.ts";
import { displayedAllergyStatus } from "../charts/index.ts";
import { patientOutput, type duplicatesInput, type identifierInput, type registerInput, type setStatusInput, type updateInput } from "./schemas.ts";

type Identifier = z.output<typeof identifierInput>;

const patientSelect = {
  id: true,
  mrn: true,
  givenName: true,
  middleName: true,
  familyName: true,
  preferredName: true,
  dateOfBirth: true,
  sex: true,
  genderIdentity: true,
  pronouns: true,
  phoneMobile: true,
  phoneHome: true,
  email: true,
  addressLine1: true,
  addressLine2: true,
  city: true,
  region: true,
  postalCode: true,
  country: true,
  preferredLanguage: true,
  maritalStatus: true,
  primaryCareProvider: { select: { id: true, name: true } },
  allowSms: true,
  allowEmail: true,
  alerts: true,
  status: true,
  deceasedOn: true,
  mergedIntoId: true,
  emergencyContacts: { select: { id: true, name: true, relation: true, phone: true }, orderBy: { position: "asc" } },
  identifiers: { select: { kind: true, issuer: true, last4: true }, orderBy: { kind: "asc" } },
  version: true,
  updatedAt: true,
  updatedById: true,
} satisfies Prisma.PatientSelect;

type PatientRow = Prisma.PatientGetPayload<{ select: typeof patientSelect }>;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayToDate = (day: string) => new Date(`${day}T00:00:00Z`);

async function toOutput(row: PatientRow, tx: Tx | typeof db = db) {
  const { mergedIntoId, updatedById, ...rest } = row;
  const [mergedInto, updatedBy] = await Promise.all([
    mergedIntoId ? tx.patient.findUnique({ where: { id: mergedIntoId }, select: { id: true, mrn: true } }) : null,
    updatedById ? tx.user.findUnique({ where: { id: updatedById }, select: { id: true, name: true } }) : null,
  ]);
  return { ...rest, dateOfBirth: isoDay(row.dateOfBirth), deceasedOn: row.deceasedOn ? isoDay(row.deceasedOn) : null, mergedInto, updatedBy };
}

/** Luhn check digit, so a mistyped MRN is caught instead of opening someone else's chart. */
export function withCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

/** MRNs come from a database sequence: unique and never reused, even after a rollback. */
async function nextMrn(tx: Tx): Promise<string> {
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('patient_mrn_seq') AS n`;
  return withCheckDigit(String(row!.n));
}

const identifierContext = (patientId: string, kind: string) => `patient:${patientId}:${kind}`;

async function writeIdentifiers(tx: Tx, patientId: string, identifiers: Identifier[]) {
  for (const identifier of identifiers) {
    const sealed = seal(identifier.value, identifierContext(patientId, identifier.kind));
    const data = {
      issuer: identifier.issuer,
      keyId: sealed.keyId,
      ciphertext: sealed.ciphertext,
      last4: identifier.value.slice(-4),
      lookupHash: lookupHash(identifier.kind, identifier.value),
    };
    await tx.patientIdentifier.upsert({
      where: { patientId_kind: { patientId, kind: identifier.kind } },
      create: { patientId, kind: identifier.kind, ...data },
      update: data,
    });
  }
}

/** A patient in the actor's clinic, or NOT_FOUND. Locks the row when given a transaction. */
async function lockPatient(tx: Tx, clinicId: string, id: string) {
  const rows = await tx.$queryRaw<{ id: string; status: string; version: number; updated_by_id: string | null; merged_into_id: string | null }[]>`
    SELECT id, status::text, version, updated_by_id, merged_into_id FROM patient WHERE id = ${id}::uuid AND clinic_id = ${clinicId}::uuid FOR UPDATE`;
  if (!rows[0]) throw notFound("Patient");
  return rows[0];
}

/**
 * The locked record is newer than the version the user read: name who saved it and send the
 * record as it is now (as `get` answers, through its output schema, since error details skip the
 * router's), so the form shows theirs beside the user's values without reading it again.
 */
async function refuseStale(tx: Tx, locked: { id: string; version: number; updated_by_id: string | null }): Promise<never> {
  const by = locked.updated_by_id ? await tx.user.findUnique({ where: { id: locked.updated_by_id }, select: { name: true } }) : null;
  const row = await tx.patient.findUniqueOrThrow({ where: { id: locked.id }, select: patientSelect });
  throw staleVersion("This patient's record", by?.name ?? null, locked.version, { current: patientOutput.parse(await toOutput(row, tx)), changedAt: row.updatedAt });
}

async function refuseTombstone(tx: Tx, patient: { status: string; merged_into_id: string | null }) {
  if (patient.status !== "MERGED") return;
  const survivor = patient.merged_into_id ? await tx.patient.findUnique({ where: { id: patient.merged_into_id }, select: { mrn: true } }) : null;
  throw new DomainError("BAD_REQUEST", `This record was merged into MRN ${survivor?.mrn ?? "another record"}; open that record instead.`, undefined, {
    mergedIntoId: patient.merged_into_id,
  });
}

// ---------------------------------------------------------------- duplicates

type DuplicateQuery = Pick<z.output<typeof duplicatesInput>, "givenName" | "familyName" | "dateOfBirth" | "excludeId"> & {
  phones: string[];
  identifiers: Identifier[];
};

/**
 * Likely matches for a registration: same date of birth with a similar name, the same phone, or
 * the same identifier (compared by keyed hash, never decrypted). Uses the DOB, phone-digit and
 * identifier-hash indexes; merged tombstones are never candidates.
 */
export async function findDuplicates(clinicId: string, query: DuplicateQuery) {
  const name = `${query.givenName} ${query.familyName}`;
  const phones = query.phones.map((p) => p.replace(/\D/g, "").slice(-10));
  const hashes = query.identifiers.map((i) => lookupHash(i.kind, i.value));
  const rows = await db.$queryRaw<
    { id: string; mrn: string; given_name: string; family_name: string; date_of_birth: Date; by_name: boolean; by_phone: boolean; by_identifier: boolean }[]
  >`
    WITH candidates AS (
      SELECT p.id,
             (p.date_of_birth = ${query.dateOfBirth}::date AND similarity(p.name_search, carelane_fold(${name})) >= 0.35) AS by_name,
             (p.phone_mobile_digits = ANY(${phones}::text[]) OR p.phone_home_digits = ANY(${phones}::text[])) AS by_phone,
             EXISTS (SELECT 1 FROM patient_identifier i WHERE i.patient_id = p.id AND i.lookup_hash = ANY(${hashes}::text[])) AS by_identifier
        FROM patient p
       WHERE p.clinic_id = ${clinicId}::uuid
         AND p.status <> 'MERGED'
         AND p.id IS DISTINCT FROM ${query.excludeId ?? null}::uuid
         AND (p.date_of_birth = ${query.dateOfBirth}::date
              OR p.phone_mobile_digits = ANY(${phones}::text[])
              OR p.phone_home_digits = ANY(${phones}::text[])
              OR p.id IN (SELECT patient_id FROM patient_identifier WHERE lookup_hash = ANY(${hashes}::text[])))
    )
    SELECT p.id, p.mrn, p.given_name, p.family_name, p.date_of_birth, c.by_name, c.by_phone, c.by_identifier
      FROM candidates c JOIN patient p ON p.id = c.id
     WHERE c.by_name OR c.by_phone OR c.by_identifier
     ORDER BY c.by_identifier DESC, c.by_name DESC, p.family_name, p.given_name
     LIMIT 10`;
  return rows.map((r) => ({
    id: r.id,
    mrn: r.mrn,
    givenName: r.given_name,
    familyName: r.family_name,
    dateOfBirth: isoDay(r.date_of_birth),
    reasons: [
      ...(r.by_identifier ? (["same identifier"] as const) : []),
      ...(r.by_name ? (["same date of birth and similar name"] as const) : []),
      ...(r.by_phone ? (["same phone"] as const) : []),
    ],
  }));
}

export async function checkDuplicates(actor: ScopedActor, input: z.output<typeof duplicatesInput>) {
  const phones = [input.phoneMobile, input.phoneHome].filter((p): p is string => !!p);
  return findDuplicates(actor.clinicId, { ...input, phones });
}

// ---------------------------------------------------------------- register / read / update

async function checkProvider(tx: Tx, clinicId: string, providerId: string | null | undefined) {
  if (!providerId) return;
  const found = await tx.user.count({ where: { id: providerId, clinicId, role: "PHYSICIAN", active: true } });
  if (!found) throw new DomainError("BAD_REQUEST", "Primary care provider must be an active physician of this clinic.", { primaryCareProviderId: ["not a physician of this clinic"] });
}

export async function register(actor: ScopedActor, input: z.output<typeof registerInput>) {
  const { emergencyContacts, identifiers, confirmDuplicate, dateOfBirth, ...fields } = input;
  if (!confirmDuplicate) {
    const phones = [fields.phoneMobile, fields.phoneHome].filter((p): p is string => !!p);
    const duplicates = await findDuplicates(actor.clinicId, { givenName: fields.givenName, familyName: fields.familyName, dateOfBirth, phones, identifiers });
    if (duplicates.length) {
      throw new DomainError(
        "CONFLICT",
        `This may be a patient we already have (${duplicates.map((d) => `MRN ${d.mrn}`).join(", ")}). Open the existing record, or confirm to register a new one.`,
        undefined,
        { duplicates },
      );
    }
  }
  const created = await db.$transaction(async (tx) => {
    await checkProvider(tx, actor.clinicId, fields.primaryCareProviderId);
    const patient = await tx.patient.create({
      data: {
        ...fields,
        clinicId: actor.clinicId,
        mrn: await nextMrn(tx),
        dateOfBirth: dayToDate(dateOfBirth),
        createdById: actor.userId,
        updatedById: actor.userId,
        emergencyContacts: { create: emergencyContacts.map((c, position) => ({ ...c, phone: c.phone!, position })) },
      },
      select: { id: true },
    });
    await writeIdentifiers(tx, patient.id, identifiers);
    await audit(tx, actor, {
      action: "patients.register",
      resourceType: "Patient",
      resourceId: patient.id,
      patientId: patient.id,
      reason: confirmDuplicate ? "registered despite likely duplicate" : undefined,
    });
    return toOutput(await tx.patient.findUniqueOrThrow({ where: { id: patient.id }, select: patientSelect }), tx);
  });
  publish("patients.patient.registered", { patientId: created.id }, [`clinic:${actor.clinicId}`]);
  return created;
}

/** Reads are audited: who looked at which patient, when. A merged record still opens (as a tombstone). */
export async function get(actor: ScopedActor, id: string) {
  const patient = await db.patient.findFirst({ where: { id, clinicId: actor.clinicId }, select: patientSelect });
  if (!patient) throw notFound("Patient");
  await audit(db, actor, { action: "patients.get", resourceType: "Patient", resourceId: id, patientId: id });
  return toOutput(patient);
}

export async function update(actor: ScopedActor, input: z.output<typeof updateInput>) {
  const { id, version, dateOfBirth, emergencyContacts, identifiers, ...fields } = input;
  const updated = await db.$transaction(async (tx) => {
    const current = await lockPatient(tx, actor.clinicId, id);
    await refuseTombstone(tx, current);
    if (current.version !== version) await refuseStale(tx, current);
    await checkProvider(tx, actor.clinicId, fields.primaryCareProviderId);
    await tx.patient.update({
      where: { id },
      data: {
        ...fields,
        ...(dateOfBirth ? { dateOfBirth: dayToDate(dateOfBirth) } : {}),
        version: { increment: 1 },
        updatedById: actor.userId,
      },
    });
    if (emergencyContacts) {
      await tx.emergencyContact.deleteMany({ where: { patientId: id } });
      await tx.emergencyContact.createMany({ data: emergencyContacts.map((c, position) => ({ ...c, phone: c.phone!, patientId: id, position })) });
    }
    if (identifiers) await writeIdentifiers(tx, id, identifiers);
    await audit(tx, actor, { action: "patients.update", resourceType: "Patient", resourceId: id, patientId: id });
    return toOutput(await tx.patient.findUniqueOrThrow({ where: { id }, select: patientSelect }), tx);
  });
  publish("patients.patient.updated", { patientId: id, version: updated.version }, [`patient:${id}`]);
  return updated;
}

/** Deactivate, reactivate or record a death. Nothing is ever hard-deleted. */
export async function setStatus(actor: ScopedActor, input: z.output<typeof setStatusInput>) {
  const updated = await db.$transaction(async (tx) => {
    const current = await lockPatient(tx, actor.clinicId, input.id);
    await refuseTombstone(tx, current);
    if (current.version !== input.version) await refuseStale(tx, current);
    await tx.patient.update({
      where: { id: input.id },
      data: {
        status: input.status,
        deceasedOn: input.status === "DECEASED" ? dayToDate(input.deceasedOn!) : null,
        version: { increment: 1 },
        updatedById: actor.userId,
      },
    });
    await audit(tx, actor, { action: "patients.setStatus", resourceType: "Patient", resourceId: input.id, patientId: input.id, reason: input.status });
    return toOutput(await tx.patient.findUniqueOrThrow({ where: { id: input.id }, select: patientSelect }), tx);
  });
  publish("patients.patient.updated", { patientId: input.id, version: updated.version }, [`patient:${input.id}`]);
  return updated;
}

/** The full identifier, for roles allowed to see it; every reveal is audited. */
export async function revealIdentifier(actor: ScopedActor, patientId: string, kind: Identifier["kind"]) {
  const row = await db.patientIdentifier.findFirst({
    where: { patientId, kind, patient: { clinicId: actor.clinicId } },
    select: { id: true, keyId: true, ciphertext: true, issuer: true },
  });
  if (!row) throw notFound("Identifier");
  const value = open({ keyId: row.keyId, ciphertext: row.ciphertext }, identifierContext(patientId, kind));
  await audit(db, actor, { action: "patients.revealIdentifier", resourceType: "PatientIdentifier", resourceId: row.id, patientId, reason: kind });
  return { kind, issuer: row.issuer, value };
}

// ---------------------------------------------------------------- banner

function ageOn(dateOfBirth: Date, on: Date): number {
  const age = on.getUTCFullYear() - dateOfBirth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < dateOfBirth.getUTCMonth() || (on.getUTCMonth() === dateOfBirth.getUTCMonth() && on.getUTCDate() < dateOfBirth.getUTCDate());
  return beforeBirthday ? age - 1 : age;
}

/**
 * What every patient page shows at the top. Allergies come from the chart: NOT_RECORDED until
 * someone records an allergy or "no known allergies" (never "none" by default). The substances
 * are clinical content: only roles that read charts get them; others see the state alone.
 */
export async function banner(actor: ScopedActor, id: string) {
  const p = await db.patient.findFirst({
    where: { id, clinicId: actor.clinicId },
    select: {
      id: true, mrn: true, givenName: true, familyName: true, preferredName: true, dateOfBirth: true, deceasedOn: true, sex: true, pronouns: true, status: true, alerts: true,
      allergyStatus: true,
    },
  });
  if (!p) throw notFound("Patient");
  // Active allergies of this record and of records merged into it (the chart reads them together).
  const active = await db.allergy.findMany({
    where: { status: "ACTIVE", patient: { OR: [{ id }, { mergedIntoId: id }] } },
    select: { substance: true },
    orderBy: { createdAt: "asc" },
    take: 20,
  });
  const state = displayedAllergyStatus(p.allergyStatus, active.length);
  await audit(db, actor, { action: "patients.banner", resourceType: "Patient", resourceId: id, patientId: id });
  return {
    id: p.id,
    mrn: p.mrn,
    displayName: `${p.familyName}, ${p.givenName}${p.preferredName ? ` (${p.preferredName})` : ""}`,
    dateOfBirth: isoDay(p.dateOfBirth),
    age: ageOn(p.dateOfBirth, p.deceasedOn ?? new Date()),
    sex: p.sex,
    pronouns: p.pronouns,
    status: p.status,
    alerts: p.alerts,
    allergies: {
      state: state === "HAS_ALLERGIES" ? ("RECORDED" as const) : state,
      items: can(actor.role, "chart:read") ? active.map((a) => a.substance) : [],
    },
  };
}

/** Physicians of the clinic, for the primary-care-provider picker. */
export async function careProviders(actor: ScopedActor) {
  return db.user.findMany({ where: { clinicId: actor.clinicId, role: "PHYSICIAN", active: true }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}
