/**
 * A patient's medical history: past conditions, past surgeries, family history (lists of items
 * that are added, edited and soft-deleted) and social history (one record per patient).
 *
 * Rules shared by every function: the patient must be in the actor's clinic (otherwise NOT_FOUND,
 * never FORBIDDEN: out of scope is indistinguishable from absent) and must not be a merged
 * tombstone; edits carry the version the user read; every write and its audit row commit together,
 * and the live event goes out only after the commit.
 */
import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { dottedCode } from "../../codes/format.ts";
import { db, type Db, type Prisma, type Tx } from "../../db.ts";
import { DomainError, notFound, staleVersion } from "../../errors.ts";
import { publish } from "../../realtime/publish.ts";
import {
  conditionOutput,
  familyHistoryOutput,
  socialHistoryOutput,
  surgeryOutput,
  type addConditionInput,
  type addFamilyHistoryInput,
  type addSurgeryInput,
  type removeConditionInput,
  type removeFamilyHistoryInput,
  type removeSurgeryInput,
  type saveSocialHistoryInput,
  type updateConditionInput,
  type updateFamilyHistoryInput,
  type updateSurgeryInput,
} from "./history-schemas.ts";

type Input<T extends z.ZodType> = z.infer<T>;

// --- guards -----------------------------------------------------------------------------------

const patientGuardSelect = { id: true, clinicId: true, status: true, mergedIntoId: true, dateOfBirth: true } as const;
type PatientGuard = { id: string; clinicId: string; status: string; mergedIntoId: string | null; dateOfBirth: Date };

/** The facts every item edit checks before writing. */
const itemGuardSelect = {
  patientId: true,
  version: true,
  deletedAt: true,
  recordedById: true,
  recordedAt: true,
  patient: { select: patientGuardSelect },
} as const;
type ItemGuard = { patientId: string; version: number; deletedAt: Date | null; recordedById: string; recordedAt: Date; patient: PatientGuard };

/** A merged record is a tombstone: its history moved to the survivor, so send the user there. */
async function refuseMerged(client: Db, patient: PatientGuard): Promise<void> {
  if (patient.status !== "MERGED") return;
  const survivor = patient.mergedIntoId
    ? await client.patient.findUnique({ where: { id: patient.mergedIntoId }, select: { mrn: true } })
    : null;
  throw new DomainError(
    "BAD_REQUEST",
    `This record was merged into MRN ${survivor?.mrn ?? "(unknown)"}; open that record.`,
    undefined,
    { mergedIntoId: patient.mergedIntoId },
  );
}

async function loadPatient(client: Db, actor: ScopedActor, patientId: string): Promise<PatientGuard> {
  const patient = await client.patient.findFirst({ where: { id: patientId, clinicId: actor.clinicId }, select: patientGuardSelect });
  if (!patient) throw notFound("Patient");
  await refuseMerged(client, patient);
  return patient;
}

/** An item of another clinic's patient reads as absent, like the patient itself. */
async function checkItem<T extends ItemGuard>(tx: Tx, actor: ScopedActor, item: T | null, what: string): Promise<T> {
  if (!item || item.patient.clinicId !== actor.clinicId) throw notFound(what);
  await refuseMerged(tx, item.patient);
  return item;
}

/**
 * `updateMany({ where: { id, version, deletedAt: null } })` matched nothing: someone saved or removed
 * it after this user read it. Re-read (the first read may predate their commit) and name them.
 * The conflict carries the item as the history list shows it (`read`), so the form can show theirs
 * beside the user's values without reading (and auditing) the whole history again; a removed item
 * has no current version to save over (`removed`).
 */
async function refuseStale(
  tx: Tx,
  what: string,
  found: { version: number; recordedById: string; recordedAt: Date; deletedAt?: Date | null } | null,
  read: () => Promise<unknown>,
): Promise<never> {
  if (!found) throw notFound(what);
  const by = await tx.user.findUnique({ where: { id: found.recordedById }, select: { name: true } });
  if (found.deletedAt) {
    throw new DomainError("CONFLICT", `This ${what.toLowerCase()} was removed by ${by?.name ?? "someone else"} since you opened it.`, undefined, {
      currentVersion: found.version,
      changedBy: by?.name ?? null,
      changedAt: found.recordedAt.toISOString(),
      current: null,
      removed: true,
    });
  }
  throw staleVersion(`This ${what.toLowerCase()}`, by?.name ?? null, found.version, { current: await read(), changedAt: found.recordedAt });
}

/** Codes are optional; a given one must exist. Returns its row for the description default. */
async function checkCode(tx: Tx, code: string) {
  const row = await tx.icd10Code.findUnique({ where: { code }, select: { code: true, codeDotted: true, description: true } });
  if (!row) {
    const message = `ICD-10 code ${dottedCode(code)} does not exist`;
    throw new DomainError("BAD_REQUEST", message, { icd10Code: [message] });
  }
  return row;
}

function checkOnsetYear(patient: PatientGuard, onsetYear: number | null | undefined): void {
  const born = patient.dateOfBirth.getUTCFullYear();
  if (onsetYear != null && onsetYear < born) {
    const message = `Onset year cannot be before the patient was born (${born})`;
    throw new DomainError("BAD_REQUEST", message, { onsetYear: [message] });
  }
}

/** Every write records who saved the current version and when; conflicts name that person. */
const stamp = (actor: ScopedActor) => ({ recordedById: actor.userId, recordedAt: new Date() });
const bump = (actor: ScopedActor) => ({ ...stamp(actor), version: { increment: 1 } });

function announce(patientId: string): void {
  publish("patients.history.changed", { patientId }, [`patient:${patientId}`]);
}

// --- output shaping ---------------------------------------------------------------------------

const conditionSelect = {
  id: true,
  patientId: true,
  icd10Code: true,
  icd10: { select: { codeDotted: true } },
  description: true,
  onsetYear: true,
  resolved: true,
  note: true,
  version: true,
  recordedById: true,
  recordedAt: true,
} as const;

const surgerySelect = {
  id: true,
  patientId: true,
  procedure: true,
  performedOn: true,
  note: true,
  version: true,
  recordedById: true,
  recordedAt: true,
} as const;

const familySelect = {
  id: true,
  patientId: true,
  relative: true,
  condition: true,
  icd10Code: true,
  ageAtOnset: true,
  note: true,
  version: true,
  recordedById: true,
  recordedAt: true,
} as const;

const socialSelect = {
  patientId: true,
  tobaccoStatus: true,
  packYears: true,
  alcohol: true,
  substances: true,
  occupation: true,
  version: true,
  recordedById: true,
  recordedAt: true,
} as const;

type Recorders = Map<string, { id: string; name: string }>;

/** One query for the names of everyone who recorded any of the rows. */
async function recorders(client: Db, ...rows: { recordedById: string }[][]): Promise<Recorders> {
  const ids = [...new Set(rows.flat().map((r) => r.recordedById))];
  const users = ids.length ? await client.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  return new Map(users.map((u) => [u.id, u]));
}

// recordedById has no foreign key (audit-style attribution); a missing user should not break a chart.
const recordedBy = (names: Recorders, id: string) => names.get(id) ?? { id, name: "Unknown user" };

// The output schemas (history-schemas.ts) drop what is not theirs (patientId, recordedById).
const conditionOut = (names: Recorders, { icd10, ...row }: Prisma.PastConditionGetPayload<{ select: typeof conditionSelect }>) => ({
  ...row,
  icd10CodeDotted: icd10?.codeDotted ?? null,
  recordedBy: recordedBy(names, row.recordedById),
});

const surgeryOut = (names: Recorders, row: Prisma.PastSurgeryGetPayload<{ select: typeof surgerySelect }>) => ({
  ...row,
  recordedBy: recordedBy(names, row.recordedById),
});

// family_history_item.icd10_code has no foreign key (no relation to join), so the dotted form is derived.
const familyOut = (names: Recorders, row: Prisma.FamilyHistoryItemGetPayload<{ select: typeof familySelect }>) => ({
  ...row,
  icd10CodeDotted: row.icd10Code ? dottedCode(row.icd10Code) : null,
  recordedBy: recordedBy(names, row.recordedById),
});

const socialOut = (names: Recorders, { packYears, ...row }: Prisma.SocialHistoryGetPayload<{ select: typeof socialSelect }>) => ({
  ...row,
  packYears: packYears === null ? null : packYears.toNumber(),
  recordedBy: recordedBy(names, row.recordedById),
});

// One item as a save answers with it and a conflict carries it. Conflict details skip the router's
// output schema, so the schema is applied here: what leaves the server is the same either way.
const asListed = async <R extends { recordedById: string }, O>(client: Db, row: R, out: (names: Recorders, row: R) => unknown, schema: z.ZodType<O>) =>
  schema.parse(out(await recorders(client, [row]), row));
const readCondition = async (client: Db, id: string) =>
  asListed(client, await client.pastCondition.findUniqueOrThrow({ where: { id }, select: conditionSelect }), conditionOut, conditionOutput);
const readSurgery = async (client: Db, id: string) =>
  asListed(client, await client.pastSurgery.findUniqueOrThrow({ where: { id }, select: surgerySelect }), surgeryOut, surgeryOutput);
const readFamilyHistory = async (client: Db, id: string) =>
  asListed(client, await client.familyHistoryItem.findUniqueOrThrow({ where: { id }, select: familySelect }), familyOut, familyHistoryOutput);
const readSocialHistory = async (client: Db, patientId: string) =>
  asListed(client, await client.socialHistory.findUniqueOrThrow({ where: { patientId }, select: socialSelect }), socialOut, socialHistoryOutput);

// --- reading ----------------------------------------------------------------------------------

/** The whole history, current items only, newest first. Audited as a read of the patient's data. */
export async function getHistory(actor: ScopedActor, patientId: string) {
  await loadPatient(db, actor, patientId);
  const live = { patientId, deletedAt: null };
  const newestFirst = [{ recordedAt: "desc" as const }, { id: "desc" as const }];
  const [conditions, surgeries, familyHistory, socialHistory] = await Promise.all([
    db.pastCondition.findMany({ where: live, select: conditionSelect, orderBy: newestFirst }),
    db.pastSurgery.findMany({ where: live, select: surgerySelect, orderBy: newestFirst }),
    db.familyHistoryItem.findMany({ where: live, select: familySelect, orderBy: newestFirst }),
    db.socialHistory.findUnique({ where: { patientId }, select: socialSelect }),
  ]);
  await audit(db, actor, { action: "patients.history.get", resourceType: "Patient", resourceId: patientId, patientId });
  const names = await recorders(db, conditions, surgeries, familyHistory, socialHistory ? [socialHistory] : []);
  return {
    patientId,
    conditions: conditions.map((row) => conditionOut(names, row)),
    surgeries: surgeries.map((row) => surgeryOut(names, row)),
    familyHistory: familyHistory.map((row) => familyOut(names, row)),
    socialHistory: socialHistory ? socialOut(names, socialHistory) : null,
  };
}

// --- past conditions --------------------------------------------------------------------------

export async function addCondition(actor: ScopedActor, input: Input<typeof addConditionInput>) {
  const { patientId, icd10Code, description, ...fields } = input;
  const saved = await db.$transaction(async (tx) => {
    const patient = await loadPatient(tx, actor, patientId);
    const code = icd10Code ? await checkCode(tx, icd10Code) : null;
    checkOnsetYear(patient, fields.onsetYear);
    const row = await tx.pastCondition.create({
      data: {
        patientId,
        icd10Code: code?.code ?? null,
        // The schema guarantees a description or a code.
        description: description ?? code!.description,
        onsetYear: fields.onsetYear ?? null,
        resolved: fields.resolved,
        note: fields.note ?? null,
        ...stamp(actor),
      },
      select: conditionSelect,
    });
    await audit(tx, actor, { action: "patients.history.addCondition", resourceType: "PastCondition", resourceId: row.id, patientId });
    return { row, names: await recorders(tx, [row]) };
  });
  announce(patientId);
  return conditionOut(saved.names, saved.row);
}

export async function updateCondition(actor: ScopedActor, input: Input<typeof updateConditionInput>) {
  const { id, version, icd10Code, description, ...fields } = input;
  const saved = await db.$transaction(async (tx) => {
    const find = () =>
      tx.pastCondition.findUnique({
        where: { id },
        select: { ...itemGuardSelect, description: true, icd10: { select: { description: true } } },
      });
    const current = await checkItem(tx, actor, await find(), "Condition");
    checkOnsetYear(current.patient, fields.onsetYear);
    const code = icd10Code ? await checkCode(tx, icd10Code) : null;
    // A description that was only the old code's text follows the new code; one the clinician
    // wrote stays. An explicit description always wins.
    const followsCode = code && description === undefined && current.description === current.icd10?.description;
    const { count } = await tx.pastCondition.updateMany({
      where: { id, version, deletedAt: null },
      data: {
        ...fields,
        ...(icd10Code !== undefined ? { icd10Code } : {}),
        ...(description !== undefined ? { description } : followsCode ? { description: code.description } : {}),
        ...bump(actor),
      },
    });
    if (count === 0) await refuseStale(tx, "Condition", await find(), () => readCondition(tx, id));
    await audit(tx, actor, { action: "patients.history.updateCondition", resourceType: "PastCondition", resourceId: id, patientId: current.patientId });
    return { patientId: current.patientId, item: await readCondition(tx, id) };
  });
  announce(saved.patientId);
  return saved.item;
}

export async function removeCondition(actor: ScopedActor, input: Input<typeof removeConditionInput>) {
  return remove(actor, input, {
    what: "Condition",
    resourceType: "PastCondition",
    action: "patients.history.removeCondition",
    find: (tx) => tx.pastCondition.findUnique({ where: { id: input.id }, select: itemGuardSelect }),
    read: (tx) => readCondition(tx, input.id),
    write: (tx, data) => tx.pastCondition.updateMany({ where: { id: input.id, version: input.version, deletedAt: null }, data }),
  });
}

// --- past surgeries ---------------------------------------------------------------------------

export async function addSurgery(actor: ScopedActor, input: Input<typeof addSurgeryInput>) {
  const { patientId, ...fields } = input;
  const saved = await db.$transaction(async (tx) => {
    await loadPatient(tx, actor, patientId);
    const row = await tx.pastSurgery.create({
      data: { patientId, procedure: fields.procedure, performedOn: fields.performedOn ?? null, note: fields.note ?? null, ...stamp(actor) },
      select: surgerySelect,
    });
    await audit(tx, actor, { action: "patients.history.addSurgery", resourceType: "PastSurgery", resourceId: row.id, patientId });
    return { row, names: await recorders(tx, [row]) };
  });
  announce(patientId);
  return surgeryOut(saved.names, saved.row);
}

export async function updateSurgery(actor: ScopedActor, input: Input<typeof updateSurgeryInput>) {
  const { id, version, ...fields } = input;
  const saved = await db.$transaction(async (tx) => {
    const find = () => tx.pastSurgery.findUnique({ where: { id }, select: itemGuardSelect });
    const current = await checkItem(tx, actor, await find(), "Surgery");
    const { count } = await tx.pastSurgery.updateMany({ where: { id, version, deletedAt: null }, data: { ...fields, ...bump(actor) } });
    if (count === 0) await refuseStale(tx, "Surgery", await find(), () => readSurgery(tx, id));
    await audit(tx, actor, { action: "patients.history.updateSurgery", resourceType: "PastSurgery", resourceId: id, patientId: current.patientId });
    return { patientId: current.patientId, item: await readSurgery(tx, id) };
  });
  announce(saved.patientId);
  return saved.item;
}

export async function removeSurgery(actor: ScopedActor, input: Input<typeof removeSurgeryInput>) {
  return remove(actor, input, {
    what: "Surgery",
    resourceType: "PastSurgery",
    action: "patients.history.removeSurgery",
    find: (tx) => tx.pastSurgery.findUnique({ where: { id: input.id }, select: itemGuardSelect }),
    read: (tx) => readSurgery(tx, input.id),
    write: (tx, data) => tx.pastSurgery.updateMany({ where: { id: input.id, version: input.version, deletedAt: null }, data }),
  });
}

// --- family history ---------------------------------------------------------------------------

export async function addFamilyHistory(actor: ScopedActor, input: Input<typeof addFamilyHistoryInput>) {
  const { patientId, icd10Code, condition, ...fields } = input;
  const saved = await db.$transaction(async (tx) => {
    await loadPatient(tx, actor, patientId);
    const code = icd10Code ? await checkCode(tx, icd10Code) : null;
    const row = await tx.familyHistoryItem.create({
      data: {
        patientId,
        relative: fields.relative,
        icd10Code: code?.code ?? null,
        // The schema guarantees a condition or a code.
        condition: condition ?? code!.description,
        ageAtOnset: fields.ageAtOnset ?? null,
        note: fields.note ?? null,
        ...stamp(actor),
      },
      select: familySelect,
    });
    await audit(tx, actor, { action: "patients.history.addFamilyHistory", resourceType: "FamilyHistoryItem", resourceId: row.id, patientId });
    return { row, names: await recorders(tx, [row]) };
  });
  announce(patientId);
  return familyOut(saved.names, saved.row);
}

export async function updateFamilyHistory(actor: ScopedActor, input: Input<typeof updateFamilyHistoryInput>) {
  const { id, version, icd10Code, condition, ...fields } = input;
  const saved = await db.$transaction(async (tx) => {
    const find = () => tx.familyHistoryItem.findUnique({ where: { id }, select: { ...itemGuardSelect, condition: true, icd10Code: true } });
    const current = await checkItem(tx, actor, await find(), "Family history entry");
    const code = icd10Code ? await checkCode(tx, icd10Code) : null;
    // Same rule as conditions: text that was only the old code's description follows the new code.
    const oldCodeText = current.icd10Code ? (await tx.icd10Code.findUnique({ where: { code: current.icd10Code }, select: { description: true } }))?.description : undefined;
    const followsCode = code && condition === undefined && current.condition === oldCodeText;
    const { count } = await tx.familyHistoryItem.updateMany({
      where: { id, version, deletedAt: null },
      data: {
        ...fields,
        ...(icd10Code !== undefined ? { icd10Code } : {}),
        ...(condition !== undefined ? { condition } : followsCode ? { condition: code.description } : {}),
        ...bump(actor),
      },
    });
    if (count === 0) await refuseStale(tx, "Family history entry", await find(), () => readFamilyHistory(tx, id));
    await audit(tx, actor, { action: "patients.history.updateFamilyHistory", resourceType: "FamilyHistoryItem", resourceId: id, patientId: current.patientId });
    return { patientId: current.patientId, item: await readFamilyHistory(tx, id) };
  });
  announce(saved.patientId);
  return saved.item;
}

export async function removeFamilyHistory(actor: ScopedActor, input: Input<typeof removeFamilyHistoryInput>) {
  return remove(actor, input, {
    what: "Family history entry",
    resourceType: "FamilyHistoryItem",
    action: "patients.history.removeFamilyHistory",
    find: (tx) => tx.familyHistoryItem.findUnique({ where: { id: input.id }, select: itemGuardSelect }),
    read: (tx) => readFamilyHistory(tx, input.id),
    write: (tx, data) => tx.familyHistoryItem.updateMany({ where: { id: input.id, version: input.version, deletedAt: null }, data }),
  });
}

/**
 * Soft delete, with the same version rule as an edit (removing something another user just
 * changed would discard their change unseen). The row keeps who removed it and when.
 */
async function remove(
  actor: ScopedActor,
  input: { id: string; version: number },
  kind: {
    what: string;
    resourceType: string;
    action: string;
    find: (tx: Tx) => Promise<ItemGuard | null>;
    read: (tx: Tx) => Promise<unknown>;
    write: (tx: Tx, data: { deletedAt: Date; recordedById: string; recordedAt: Date; version: { increment: number } }) => Promise<{ count: number }>;
  },
) {
  const patientId = await db.$transaction(async (tx) => {
    const current = await checkItem(tx, actor, await kind.find(tx), kind.what);
    const { count } = await kind.write(tx, { deletedAt: new Date(), ...bump(actor) });
    if (count === 0) await refuseStale(tx, kind.what, await kind.find(tx), () => kind.read(tx));
    await audit(tx, actor, { action: kind.action, resourceType: kind.resourceType, resourceId: input.id, patientId: current.patientId });
    return current.patientId;
  });
  announce(patientId);
  return { id: input.id, version: input.version + 1 };
}

// --- social history ---------------------------------------------------------------------------

export async function saveSocialHistory(actor: ScopedActor, input: Input<typeof saveSocialHistoryInput>) {
  const { patientId, version, ...fields } = input;
  // Saved whole: a field left out is saved empty.
  const data = {
    tobaccoStatus: fields.tobaccoStatus,
    packYears: fields.packYears ?? null,
    alcohol: fields.alcohol ?? null,
    substances: fields.substances ?? null,
    occupation: fields.occupation ?? null,
  };
  const saved = await db.$transaction(async (tx) => {
    await loadPatient(tx, actor, patientId);
    const find = () => tx.socialHistory.findUnique({ where: { patientId }, select: { version: true, recordedById: true, recordedAt: true } });
    const read = () => readSocialHistory(tx, patientId);
    if (version === undefined) {
      // ON CONFLICT DO NOTHING: two people creating at once must not both win.
      const { count } = await tx.socialHistory.createMany({ data: [{ patientId, ...data, ...stamp(actor) }], skipDuplicates: true });
      if (count === 0) await refuseStale(tx, "Patient's social history", await find(), read);
    } else {
      const { count } = await tx.socialHistory.updateMany({ where: { patientId, version }, data: { ...data, ...bump(actor) } });
      if (count === 0) await refuseStale(tx, "Patient's social history", await find(), read);
    }
    await audit(tx, actor, { action: "patients.history.saveSocialHistory", resourceType: "SocialHistory", resourceId: patientId, patientId });
    return read();
  });
  announce(patientId);
  return saved;
}
