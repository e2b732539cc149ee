/**
 * The problem list (ICD-10-CM), allergies (with the patient's explicit allergy status) and the
 * medication list. Every write: patient in scope and not merged (adds) or the row in scope
 * (edits, locked FOR UPDATE and version-checked), the audit row in the same transaction, the
 * live event after commit to the chart's room.
 */
import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { dottedCode } from "../../codes/format.ts";
import { db, type Db, type Prisma, type Tx } from "../../db.ts";
import { DomainError } from "../../errors.ts";
import { announce, dayToDate, isoDay, people, personOrNull, todayDay, type People } from "./format.ts";
import { drugAllergyWarnings, type AllergyWarning } from "./drug-allergies.ts";
import { chartRootOf, chartScope, checkVersion, lockRow, openChart, refusalsMapped, sectionTurn, userName, writablePatient } from "./guards.ts";
import type {
  addAllergyInput,
  addMedicationInput,
  addProblemInput,
  listInput,
  updateAllergyInput,
  updateMedicationInput,
  updateProblemInput,
} from "./schemas.ts";

type In<T extends z.ZodType> = z.output<T>;

// ================================================================ problems

const problemSelect = {
  id: true,
  patientId: true,
  icd10Code: true,
  description: true,
  onsetDate: true,
  status: true,
  resolvedAt: true,
  notes: true,
  deletedAt: true,
  version: true,
  updatedAt: true,
  updatedById: true,
  createdById: true,
} satisfies Prisma.ProblemSelect;
type ProblemRow = Prisma.ProblemGetPayload<{ select: typeof problemSelect }>;

const problemOut = (names: People, row: ProblemRow) => ({
  id: row.id,
  patientId: row.patientId,
  icd10Code: row.icd10Code,
  icd10CodeDotted: dottedCode(row.icd10Code),
  description: row.description,
  onsetDate: isoDay(row.onsetDate),
  status: row.status,
  resolvedAt: isoDay(row.resolvedAt),
  notes: row.notes,
  enteredInError: row.deletedAt !== null,
  version: row.version,
  updatedAt: row.updatedAt,
  updatedBy: personOrNull(names, row.updatedById ?? row.createdById),
});

async function problemById(client: Db, id: string) {
  const row = await client.problem.findUniqueOrThrow({ where: { id }, select: problemSelect });
  return problemOut(await people(client, [row.updatedById ?? row.createdById]), row);
}

async function checkIcd10(tx: Tx, code: string) {
  const row = await tx.icd10Code.findUnique({ where: { code }, select: { code: true, description: true } });
  if (!row) {
    const message = `ICD-10 code ${dottedCode(code)} does not exist`;
    throw new DomainError("BAD_REQUEST", message, { icd10Code: [message] });
  }
  return row;
}

function checkOnset(field: string, day: string | null | undefined, dateOfBirth: Date) {
  if (day && day < dateOfBirth.toISOString().slice(0, 10)) {
    const message = `${field === "onsetDate" ? "Onset date" : "Start date"} cannot be before the patient was born`;
    throw new DomainError("BAD_REQUEST", message, { [field]: [message] });
  }
}

async function refuseDuplicateProblem(tx: Tx, patientIds: string[], code: string, exceptId?: string) {
  const existing = await tx.problem.findFirst({
    where: { patientId: { in: patientIds }, icd10Code: code, status: "ACTIVE", deletedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (existing) {
    const message = `${dottedCode(code)} is already an active problem on this chart`;
    throw new DomainError("CONFLICT", message, { icd10Code: [message] }, { existingId: existing.id });
  }
}

export async function listProblems(actor: ScopedActor, input: In<typeof listInput>) {
  const scope = await openChart(actor, input.patientId);
  const rows = await db.problem.findMany({
    where: { patientId: { in: scope.patientIds }, deletedAt: null, ...(input.includeInactive ? {} : { status: "ACTIVE" }) },
    select: problemSelect,
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
  });
  const names = await people(db, rows.map((r) => r.updatedById ?? r.createdById));
  return rows.map((r) => problemOut(names, r));
}

export async function addProblem(actor: ScopedActor, input: In<typeof addProblemInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const patient = await writablePatient(tx, actor, input.patientId);
      const code = await checkIcd10(tx, input.icd10Code);
      checkOnset("onsetDate", input.onsetDate, patient.dateOfBirth);
      await sectionTurn(tx, "problems", patient.id);
      const scope = await chartScope(tx, actor.clinicId, patient.id);
      await refuseDuplicateProblem(tx, scope.patientIds, code.code);
      const row = await tx.problem.create({
        data: {
          clinicId: actor.clinicId,
          patientId: patient.id,
          icd10Code: code.code,
          description: input.description ?? code.description,
          onsetDate: dayToDate(input.onsetDate) ?? null,
          notes: input.notes ?? null,
          createdById: actor.userId,
          updatedById: actor.userId,
        },
        select: { id: true },
      });
      await audit(tx, actor, { action: "charts.addProblem", resourceType: "Problem", resourceId: row.id, patientId: patient.id });
      return { out: await problemById(tx, row.id), rootId: patient.id };
    }),
  );
  announce("problems", { patientId: saved.rootId, problemId: saved.out.id, version: saved.out.version });
  return saved.out;
}

async function scopeIds(tx: Tx, actor: ScopedActor, patientId: string) {
  return (await chartScope(tx, actor.clinicId, patientId)).patientIds;
}

export async function updateProblem(actor: ScopedActor, input: In<typeof updateProblemInput>) {
  const { id, version, icd10Code, description, onsetDate, status, resolvedAt, notes, enteredInError } = input;
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const locked = await lockRow(tx, "problem", actor.clinicId, id);
      await checkVersion(tx, "This problem", locked, version, () => problemById(tx, id));
      const current = await tx.problem.findUniqueOrThrow({
        where: { id },
        select: { description: true, icd10: { select: { description: true } }, status: true, deletedAt: true, patient: { select: { dateOfBirth: true } } },
      });
      if (current.deletedAt) throw new DomainError("BAD_REQUEST", "This problem was entered in error and removed; add it again if needed.");
      const code = icd10Code ? await checkIcd10(tx, icd10Code) : null;
      checkOnset("onsetDate", onsetDate, current.patient.dateOfBirth);
      const nextStatus = status ?? current.status;
      if (nextStatus === "ACTIVE" && (code || status === "ACTIVE")) {
        const scope = await chartScope(tx, actor.clinicId, locked.patientId);
        await sectionTurn(tx, "problems", scope.rootId);
        await refuseDuplicateProblem(tx, scope.patientIds, code?.code ?? (await tx.problem.findUniqueOrThrow({ where: { id }, select: { icd10Code: true } })).icd10Code, id);
      }
      if (resolvedAt && nextStatus !== "RESOLVED") {
        throw new DomainError("BAD_REQUEST", "Only a resolved problem has a resolved date", { resolvedAt: ["set status to resolved, or leave the date empty"] });
      }
      // Text that was only the old code's description follows a new code; the clinician's own wording stays.
      const followsCode = code && description === undefined && current.description === current.icd10.description;
      const data: Prisma.ProblemUncheckedUpdateInput = {
        ...(code ? { icd10Code: code.code } : {}),
        ...(description !== undefined ? { description } : followsCode ? { description: code.description } : {}),
        ...(onsetDate !== undefined ? { onsetDate: dayToDate(onsetDate) } : {}),
        ...(notes !== undefined ? { notes } : {}),
        ...(status === "ACTIVE" ? { status, resolvedAt: null } : {}),
        ...(nextStatus === "RESOLVED" && (status === "RESOLVED" || resolvedAt !== undefined)
          ? { status: "RESOLVED" as const, resolvedAt: dayToDate(resolvedAt ?? todayDay()) }
          : {}),
        ...(enteredInError ? { deletedAt: new Date() } : {}),
        version: { increment: 1 },
        updatedById: actor.userId,
      };
      await tx.problem.update({ where: { id }, data });
      await audit(tx, actor, {
        action: "charts.updateProblem",
        resourceType: "Problem",
        resourceId: id,
        patientId: locked.patientId,
        reason: enteredInError ? "entered in error" : status ? status.toLowerCase() : undefined,
      });
      return { out: await problemById(tx, id), rootId: await chartRootOf(tx, actor.clinicId, locked.patientId) };
    }),
  );
  announce("problems", { patientId: saved.rootId, problemId: id, version: saved.out.version });
  return saved.out;
}

// ================================================================ allergies

const allergySelect = {
  id: true,
  patientId: true,
  substance: true,
  category: true,
  reaction: true,
  severity: true,
  status: true,
  onsetDate: true,
  rxcui: true,
  drugClass: true,
  notes: true,
  version: true,
  updatedAt: true,
  updatedById: true,
  createdById: true,
} satisfies Prisma.AllergySelect;
type AllergyRow = Prisma.AllergyGetPayload<{ select: typeof allergySelect }>;

const allergyOut = (names: People, row: AllergyRow) => ({
  id: row.id,
  patientId: row.patientId,
  substance: row.substance,
  category: row.category,
  reaction: row.reaction,
  severity: row.severity,
  status: row.status,
  onsetDate: isoDay(row.onsetDate),
  rxcui: row.rxcui,
  drugClass: row.drugClass,
  notes: row.notes,
  version: row.version,
  updatedAt: row.updatedAt,
  updatedBy: personOrNull(names, row.updatedById ?? row.createdById),
});

async function allergyById(client: Db, id: string) {
  const row = await client.allergy.findUniqueOrThrow({ where: { id }, select: allergySelect });
  return allergyOut(await people(client, [row.updatedById ?? row.createdById]), row);
}

/**
 * What the chart shows as the allergy status: HAS_ALLERGIES whenever an allergy is active (also
 * one filed under a record merged into this one); NO_KNOWN_ALLERGIES only when recorded explicitly
 * and none is active; otherwise NOT_RECORDED, never "none".
 */
export function displayedAllergyStatus(stored: string, activeCount: number): "NOT_RECORDED" | "NO_KNOWN_ALLERGIES" | "HAS_ALLERGIES" {
  if (activeCount > 0) return "HAS_ALLERGIES";
  return stored === "NO_KNOWN_ALLERGIES" ? "NO_KNOWN_ALLERGIES" : "NOT_RECORDED";
}

/**
 * Keeps Patient.allergyStatus true to the list: HAS_ALLERGIES while any allergy is active. When
 * the last active one goes (inactive, entered in error), the status returns to NOT_RECORDED: the
 * banner asks again rather than claiming "no known allergies" nobody recorded.
 */
async function syncAllergyStatus(tx: Tx, actor: ScopedActor, patientId: string) {
  const active = await tx.allergy.count({ where: { patientId, status: "ACTIVE" } });
  const patient = await tx.patient.findUniqueOrThrow({ where: { id: patientId }, select: { allergyStatus: true } });
  const next = active > 0 ? "HAS_ALLERGIES" : patient.allergyStatus === "HAS_ALLERGIES" ? "NOT_RECORDED" : patient.allergyStatus;
  if (next !== patient.allergyStatus) {
    await tx.patient.updateMany({ where: { id: patientId }, data: { allergyStatus: next, allergyStatusAt: new Date(), allergyStatusById: actor.userId } });
  }
}

export async function listAllergies(actor: ScopedActor, input: In<typeof listInput>) {
  const scope = await openChart(actor, input.patientId);
  const rows = await db.allergy.findMany({
    where: { patientId: { in: scope.patientIds }, ...(input.includeInactive ? { status: { not: "ENTERED_IN_ERROR" } } : { status: "ACTIVE" }) },
    select: allergySelect,
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
  });
  const active = input.includeInactive ? rows.filter((r) => r.status === "ACTIVE").length : rows.length;
  const names = await people(db, [...rows.map((r) => r.updatedById ?? r.createdById), scope.allergyStatusById]);
  return {
    patientId: scope.rootId,
    status: displayedAllergyStatus(scope.allergyStatus, active),
    statusRecordedAt: scope.allergyStatusAt,
    statusRecordedBy: personOrNull(names, scope.allergyStatusById),
    items: rows.map((r) => allergyOut(names, r)),
  };
}

async function refuseDuplicateAllergy(tx: Tx, patientIds: string[], substance: string, exceptId?: string) {
  const existing = await tx.allergy.findFirst({
    where: {
      patientId: { in: patientIds },
      status: "ACTIVE",
      substance: { equals: substance, mode: "insensitive" },
      ...(exceptId ? { id: { not: exceptId } } : {}),
    },
    select: { id: true },
  });
  if (existing) {
    const message = `An active allergy to ${substance} is already recorded`;
    throw new DomainError("CONFLICT", message, { substance: [message] }, { existingId: existing.id });
  }
}

/** A class allergy must name a class the medication check knows, or it would silently match nothing. */
async function checkDrugClass(tx: Tx, drugClass: string | null | undefined) {
  if (!drugClass) return;
  const known = await tx.drugClassMember.findFirst({ where: { drugClass }, select: { drugClass: true } });
  if (!known) {
    const message = `Drug class "${drugClass}" is not one we know; pick it from the list or leave it empty`;
    throw new DomainError("BAD_REQUEST", message, { drugClass: [message] });
  }
}

export async function addAllergy(actor: ScopedActor, input: In<typeof addAllergyInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const patient = await writablePatient(tx, actor, input.patientId);
      checkOnset("onsetDate", input.onsetDate, patient.dateOfBirth);
      await sectionTurn(tx, "allergies", patient.id);
      await refuseDuplicateAllergy(tx, await scopeIds(tx, actor, patient.id), input.substance);
      await checkDrugClass(tx, input.drugClass);
      const row = await tx.allergy.create({
        data: {
          clinicId: actor.clinicId,
          patientId: patient.id,
          substance: input.substance,
          category: input.category,
          reaction: input.reaction ?? null,
          severity: input.severity ?? null,
          onsetDate: dayToDate(input.onsetDate) ?? null,
          rxcui: input.rxcui ?? null,
          drugClass: input.drugClass ?? null,
          notes: input.notes ?? null,
          createdById: actor.userId,
          updatedById: actor.userId,
        },
        select: { id: true },
      });
      await syncAllergyStatus(tx, actor, patient.id);
      await audit(tx, actor, { action: "charts.addAllergy", resourceType: "Allergy", resourceId: row.id, patientId: patient.id });
      return { out: await allergyById(tx, row.id), rootId: patient.id };
    }),
  );
  announce("allergies", { patientId: saved.rootId, allergyId: saved.out.id, version: saved.out.version });
  return saved.out;
}

export async function updateAllergy(actor: ScopedActor, input: In<typeof updateAllergyInput>) {
  const { id, version, onsetDate, ...fields } = input;
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const peek = await tx.allergy.findFirst({ where: { id, clinicId: actor.clinicId }, select: { patientId: true } });
      // The section turn comes before the row lock, in the same order as addAllergy and
      // setNoKnownAllergies, so the three never wait for each other in a circle.
      // The turn is the chart's (the surviving record's), as in addAllergy and setNoKnownAllergies.
      if (peek) await sectionTurn(tx, "allergies", await chartRootOf(tx, actor.clinicId, peek.patientId));
      const locked = await lockRow(tx, "allergy", actor.clinicId, id);
      await checkVersion(tx, "This allergy", locked, version, () => allergyById(tx, id));
      const current = await tx.allergy.findUniqueOrThrow({ where: { id }, select: { status: true, substance: true, patient: { select: { dateOfBirth: true } } } });
      checkOnset("onsetDate", onsetDate, current.patient.dateOfBirth);
      if (current.status === "ENTERED_IN_ERROR") throw new DomainError("BAD_REQUEST", "This allergy was entered in error; record it again if needed.");
      await checkDrugClass(tx, fields.drugClass);
      if ((fields.status ?? current.status) === "ACTIVE" && (fields.substance || fields.status === "ACTIVE")) {
        await refuseDuplicateAllergy(tx, await scopeIds(tx, actor, locked.patientId), fields.substance ?? current.substance, id);
      }
      const data: Prisma.AllergyUncheckedUpdateInput = { version: { increment: 1 }, updatedById: actor.userId };
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) (data as Record<string, unknown>)[key] = value;
      if (onsetDate !== undefined) data.onsetDate = dayToDate(onsetDate);
      await tx.allergy.update({ where: { id }, data });
      await syncAllergyStatus(tx, actor, locked.patientId);
      await audit(tx, actor, { action: "charts.updateAllergy", resourceType: "Allergy", resourceId: id, patientId: locked.patientId, reason: fields.status?.toLowerCase() });
      return { out: await allergyById(tx, id), rootId: await chartRootOf(tx, actor.clinicId, locked.patientId) };
    }),
  );
  announce("allergies", { patientId: saved.rootId, allergyId: id, version: saved.out.version });
  return saved.out;
}

/** "No known allergies", recorded explicitly with who and when; refused while any allergy is active. */
export async function setNoKnownAllergies(actor: ScopedActor, input: { patientId: string }) {
  const saved = await db.$transaction(async (tx) => {
    const patient = await writablePatient(tx, actor, input.patientId);
    await sectionTurn(tx, "allergies", patient.id);
    const ids = await scopeIds(tx, actor, patient.id);
    const active = await tx.allergy.findMany({ where: { patientId: { in: ids }, status: "ACTIVE" }, select: { substance: true, updatedById: true, createdById: true }, take: 3 });
    if (active.length) {
      const by = await userName(tx, active[0]!.updatedById ?? active[0]!.createdById);
      throw new DomainError(
        "CONFLICT",
        `Active allergies are recorded (${active.map((a) => a.substance).join(", ")}${by ? `, last recorded by ${by}` : ""}); mark them inactive or entered in error first.`,
        { patientId: ["active allergies are recorded"] },
      );
    }
    await tx.patient.updateMany({ where: { id: patient.id }, data: { allergyStatus: "NO_KNOWN_ALLERGIES", allergyStatusAt: new Date(), allergyStatusById: actor.userId } });
    await audit(tx, actor, { action: "charts.setNoKnownAllergies", resourceType: "Patient", resourceId: patient.id, patientId: patient.id });
    return { rootId: patient.id };
  });
  announce("allergies", { patientId: saved.rootId, allergyId: null, version: null });
  return listAllergiesUnaudited(actor, saved.rootId);
}

/** The list after a write by the same user: their chart is already open, no second open row. */
async function listAllergiesUnaudited(actor: ScopedActor, patientId: string) {
  const scope = await chartScope(db, actor.clinicId, patientId);
  const rows = await db.allergy.findMany({ where: { patientId: { in: scope.patientIds }, status: "ACTIVE" }, select: allergySelect, orderBy: { createdAt: "desc" } });
  const names = await people(db, [...rows.map((r) => r.updatedById ?? r.createdById), scope.allergyStatusById]);
  return {
    patientId: scope.rootId,
    status: displayedAllergyStatus(scope.allergyStatus, rows.length),
    statusRecordedAt: scope.allergyStatusAt,
    statusRecordedBy: personOrNull(names, scope.allergyStatusById),
    items: rows.map((r) => allergyOut(names, r)),
  };
}

// ================================================================ medications

const medicationSelect = {
  id: true,
  clinicId: true,
  patientId: true,
  drugName: true,
  rxcui: true,
  dose: true,
  route: true,
  frequency: true,
  startDate: true,
  stopDate: true,
  status: true,
  source: true,
  notes: true,
  deletedAt: true,
  version: true,
  updatedAt: true,
  updatedById: true,
  createdById: true,
} satisfies Prisma.MedicationStatementSelect;
type MedicationRow = Prisma.MedicationStatementGetPayload<{ select: typeof medicationSelect }>;

const medicationOut = (names: People, row: MedicationRow, allergyWarnings: AllergyWarning[]) => ({
  id: row.id,
  patientId: row.patientId,
  drugName: row.drugName,
  rxcui: row.rxcui,
  dose: row.dose,
  route: row.route,
  frequency: row.frequency,
  startDate: isoDay(row.startDate),
  stopDate: isoDay(row.stopDate),
  status: row.status,
  source: row.source,
  notes: row.notes,
  enteredInError: row.deletedAt !== null,
  /** the patient's active drug allergies this medication runs into (never for a stopped one) */
  allergyWarnings: row.status === "ACTIVE" && row.deletedAt === null ? allergyWarnings : [],
  version: row.version,
  updatedAt: row.updatedAt,
  updatedBy: personOrNull(names, row.updatedById ?? row.createdById),
});

async function medicationById(client: Db, id: string) {
  const row = await client.medicationStatement.findUniqueOrThrow({ where: { id }, select: medicationSelect });
  const scope = await chartScope(client, row.clinicId, row.patientId);
  const [names, [warnings]] = await Promise.all([people(client, [row.updatedById ?? row.createdById]), drugAllergyWarnings(client, scope.patientIds, [row])]);
  return medicationOut(names, row, warnings!);
}

export async function listMedications(actor: ScopedActor, input: In<typeof listInput>) {
  const scope = await openChart(actor, input.patientId);
  const rows = await db.medicationStatement.findMany({
    where: { patientId: { in: scope.patientIds }, deletedAt: null, ...(input.includeInactive ? {} : { status: "ACTIVE" }) },
    select: medicationSelect,
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
  });
  const [names, warnings] = await Promise.all([people(db, rows.map((r) => r.updatedById ?? r.createdById)), drugAllergyWarnings(db, scope.patientIds, rows)]);
  return rows.map((r, i) => medicationOut(names, r, warnings[i]!));
}

export async function addMedication(actor: ScopedActor, input: In<typeof addMedicationInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const patient = await writablePatient(tx, actor, input.patientId);
      checkOnset("startDate", input.startDate, patient.dateOfBirth);
      const stopped = input.stopDate != null && input.stopDate <= todayDay();
      const row = await tx.medicationStatement.create({
        data: {
          clinicId: actor.clinicId,
          patientId: patient.id,
          drugName: input.drugName,
          rxcui: input.rxcui ?? null,
          dose: input.dose ?? null,
          route: input.route ?? null,
          frequency: input.frequency ?? null,
          startDate: dayToDate(input.startDate) ?? null,
          stopDate: dayToDate(input.stopDate) ?? null,
          status: stopped ? "STOPPED" : "ACTIVE",
          notes: input.notes ?? null,
          createdById: actor.userId,
          updatedById: actor.userId,
        },
        select: { id: true },
      });
      await audit(tx, actor, { action: "charts.addMedication", resourceType: "MedicationStatement", resourceId: row.id, patientId: patient.id });
      return { out: await medicationById(tx, row.id), rootId: patient.id };
    }),
  );
  announce("medications", { patientId: saved.rootId, medicationId: saved.out.id, version: saved.out.version });
  return saved.out;
}

export async function updateMedication(actor: ScopedActor, input: In<typeof updateMedicationInput>) {
  const { id, version, startDate, stopDate, status, enteredInError, ...fields } = input;
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const locked = await lockRow(tx, "medication_statement", actor.clinicId, id);
      await checkVersion(tx, "This medication", locked, version, () => medicationById(tx, id));
      const current = await tx.medicationStatement.findUniqueOrThrow({ where: { id }, select: { deletedAt: true, startDate: true, stopDate: true, patient: { select: { dateOfBirth: true } } } });
      if (current.deletedAt) throw new DomainError("BAD_REQUEST", "This medication was entered in error and removed; add it again if needed.");
      checkOnset("startDate", startDate, current.patient.dateOfBirth);
      const nextStart = startDate !== undefined ? startDate : isoDay(current.startDate);
      const nextStop = status === "ACTIVE" && stopDate === undefined ? null : stopDate !== undefined ? stopDate : status === "STOPPED" ? (isoDay(current.stopDate) ?? todayDay()) : isoDay(current.stopDate);
      if (nextStart && nextStop && nextStop < nextStart) {
        throw new DomainError("BAD_REQUEST", "Stop date cannot be before the start date", { stopDate: ["Stop date cannot be before the start date"] });
      }
      const data: Prisma.MedicationStatementUncheckedUpdateInput = { version: { increment: 1 }, updatedById: actor.userId };
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) (data as Record<string, unknown>)[key] = value;
      if (startDate !== undefined) data.startDate = dayToDate(startDate);
      data.stopDate = dayToDate(nextStop);
      if (status) data.status = status;
      else if (stopDate !== undefined) data.status = nextStop && nextStop <= todayDay() ? "STOPPED" : "ACTIVE";
      if (enteredInError) data.deletedAt = new Date();
      await tx.medicationStatement.update({ where: { id }, data });
      await audit(tx, actor, {
        action: "charts.updateMedication",
        resourceType: "MedicationStatement",
        resourceId: id,
        patientId: locked.patientId,
        reason: enteredInError ? "entered in error" : status?.toLowerCase(),
      });
      return { out: await medicationById(tx, id), rootId: await chartRootOf(tx, actor.clinicId, locked.patientId) };
    }),
  );
  announce("medications", { patientId: saved.rootId, medicationId: id, version: saved.out.version });
  return saved.out;
}
