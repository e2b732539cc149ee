import { Prisma } from "../../generated/prisma/client.ts";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Tx } from "../../db.ts";
import { DomainError, notFound } from "../../errors.ts";
import { open, seal } from "../../crypto/field-encryption.ts";
import { publish } from "../../realtime/publish.ts";

/**
 * Tables whose rows belong to a patient through `patient_id` and move to the survivor on a merge.
 * Later modules (appointments, encounters, claims…) add their tables here; the merge records the
 * ids it moved so an unmerge moves exactly those back.
 */
const MOVABLE_TABLES = ["emergency_contact", "past_condition", "past_surgery", "family_history_item", "appointment"] as const;

type Moved = Record<string, string[]>;

const context = (patientId: string, kind: string) => `patient:${patientId}:${kind}`;

/** Identifiers are sealed to their patient (AAD), so moving one means re-sealing it. */
async function moveIdentifiers(tx: Tx, fromId: string, toId: string, onlyIds?: string[]) {
  const rows = await tx.patientIdentifier.findMany({
    where: { patientId: fromId, ...(onlyIds ? { id: { in: onlyIds } } : {}) },
    select: { id: true, kind: true, keyId: true, ciphertext: true },
  });
  const taken = new Set((await tx.patientIdentifier.findMany({ where: { patientId: toId }, select: { kind: true } })).map((r) => r.kind));
  const moved: string[] = [];
  for (const row of rows) {
    if (taken.has(row.kind)) continue; // the survivor's own identifier wins; the other stays on the tombstone
    const value = open({ keyId: row.keyId, ciphertext: row.ciphertext }, context(fromId, row.kind));
    const sealed = seal(value, context(toId, row.kind));
    await tx.patientIdentifier.update({ where: { id: row.id }, data: { patientId: toId, keyId: sealed.keyId, ciphertext: sealed.ciphertext } });
    moved.push(row.id);
  }
  return moved;
}

async function lockBoth(tx: Tx, clinicId: string, ids: string[]) {
  const rows = await tx.$queryRaw<{ id: string; status: string; mrn: string; merged_into_id: string | null }[]>`
    SELECT id, status::text, mrn, merged_into_id FROM patient
     WHERE clinic_id = ${clinicId}::uuid AND id = ANY(${ids}::uuid[])
     ORDER BY id FOR UPDATE`;
  return new Map(rows.map((r) => [r.id, r]));
}

export async function merge(actor: ScopedActor, survivorId: string, mergedId: string) {
  const result = await db.$transaction(async (tx) => {
    const rows = await lockBoth(tx, actor.clinicId, [survivorId, mergedId]);
    const survivor = rows.get(survivorId);
    const merged = rows.get(mergedId);
    if (!survivor || !merged) throw notFound("Patient");
    if (survivor.status === "MERGED" || merged.status === "MERGED") {
      throw new DomainError("BAD_REQUEST", "One of these records is already merged; unmerge it first.", { mergedId: ["already merged"] });
    }
    const moved: Moved = {};
    for (const table of MOVABLE_TABLES) {
      const ids = await tx.$queryRaw<{ id: string }[]>`
        UPDATE ${Prisma.raw(`"${table}"`)} SET patient_id = ${survivorId}::uuid WHERE patient_id = ${mergedId}::uuid RETURNING id`;
      moved[table] = ids.map((r) => r.id);
    }
    moved.patient_identifier = await moveIdentifiers(tx, mergedId, survivorId);
    const survivorHasSocial = await tx.socialHistory.count({ where: { patientId: survivorId } });
    if (!survivorHasSocial && (await tx.socialHistory.count({ where: { patientId: mergedId } }))) {
      await tx.socialHistory.update({ where: { patientId: mergedId }, data: { patientId: survivorId } });
      moved.social_history = [mergedId];
    }
    const record = await tx.patientMerge.create({
      data: { clinicId: actor.clinicId, survivorId, mergedId, moved, priorStatus: merged.status as "ACTIVE", mergedById: actor.userId },
      select: { id: true },
    });
    await tx.patient.update({ where: { id: mergedId }, data: { status: "MERGED", mergedIntoId: survivorId, version: { increment: 1 }, updatedById: actor.userId } });
    await tx.patient.update({ where: { id: survivorId }, data: { version: { increment: 1 }, updatedById: actor.userId } });
    await audit(tx, actor, { action: "patients.merge", resourceType: "PatientMerge", resourceId: record.id, patientId: survivorId });
    await audit(tx, actor, { action: "patients.merge", resourceType: "PatientMerge", resourceId: record.id, patientId: mergedId });
    const versions = await tx.patient.findMany({ where: { id: { in: [survivorId, mergedId] } }, select: { id: true, version: true } });
    return { mergeId: record.id, survivorId, mergedId, survivorMrn: survivor.mrn, mergedMrn: merged.mrn, versions };
  });
  for (const { id, version } of result.versions) publish("patients.patient.updated", { patientId: id, version }, [`patient:${id}`]);
  const { versions: _versions, ...summary } = result;
  return summary;
}

/** Undo the latest merge of a tombstone: exactly the rows that moved go back. */
export async function unmerge(actor: ScopedActor, mergedId: string) {
  const result = await db.$transaction(async (tx) => {
    const record = await tx.patientMerge.findFirst({
      where: { clinicId: actor.clinicId, mergedId, undoneAt: null },
      orderBy: { mergedAt: "desc" },
    });
    if (!record) throw notFound("Merge of this record");
    const rows = await lockBoth(tx, actor.clinicId, [record.survivorId, mergedId]);
    if (rows.get(mergedId)?.status !== "MERGED") throw new DomainError("BAD_REQUEST", "This record is not merged.");
    const moved = record.moved as Moved;
    for (const table of MOVABLE_TABLES) {
      const ids = moved[table] ?? [];
      if (ids.length) {
        await tx.$executeRaw`
          UPDATE ${Prisma.raw(`"${table}"`)} SET patient_id = ${mergedId}::uuid
           WHERE id = ANY(${ids}::uuid[]) AND patient_id = ${record.survivorId}::uuid`;
      }
    }
    if (moved.patient_identifier?.length) await moveIdentifiers(tx, record.survivorId, mergedId, moved.patient_identifier);
    if (moved.social_history?.length && !(await tx.socialHistory.count({ where: { patientId: mergedId } }))) {
      await tx.socialHistory.updateMany({ where: { patientId: record.survivorId }, data: { patientId: mergedId } });
    }
    await tx.patient.update({
      where: { id: mergedId },
      data: { status: record.priorStatus, mergedIntoId: null, version: { increment: 1 }, updatedById: actor.userId },
    });
    await tx.patient.update({ where: { id: record.survivorId }, data: { version: { increment: 1 }, updatedById: actor.userId } });
    await tx.patientMerge.update({ where: { id: record.id }, data: { undoneAt: new Date(), undoneById: actor.userId } });
    await audit(tx, actor, { action: "patients.unmerge", resourceType: "PatientMerge", resourceId: record.id, patientId: mergedId });
    await audit(tx, actor, { action: "patients.unmerge", resourceType: "PatientMerge", resourceId: record.id, patientId: record.survivorId });
    return tx.patient.findMany({ where: { id: { in: [record.survivorId, mergedId] } }, select: { id: true, version: true } });
  });
  for (const { id, version } of result) publish("patients.patient.updated", { patientId: id, version }, [`patient:${id}`]);
  return { mergedId, restored: true };
}
