/**
 * Vital signs: recorded metric (imperial entry converted by the input schema), BMI computed by the
 * database, abnormal values flagged on the way out (ranges.ts). A mistyped set is corrected
 * (updateVitals: version-checked, checked like recording, audited) or marked entered in error
 * (hidden from lists, trends and the summary; the row stays for the record).
 */
import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Db, type Prisma } from "../../db.ts";
import { DomainError } from "../../errors.ts";
import { announce, num, people, person, type People } from "./format.ts";
import { chartRootOf, checkVersion, lockRow, openChart, refusalsMapped, writablePatient } from "./guards.ts";
import { vitalFlags } from "./ranges.ts";
import type { recordVitalsInput, updateVitalsInput, vitalsInput } from "./schemas.ts";

export const vitalsSelect = {
  id: true,
  patientId: true,
  encounterId: true,
  takenAt: true,
  systolicMmHg: true,
  diastolicMmHg: true,
  heartRatePerMin: true,
  respiratoryRatePerMin: true,
  temperatureC: true,
  spo2Percent: true,
  heightCm: true,
  weightKg: true,
  bmi: true,
  painScore: true,
  note: true,
  recordedById: true,
  enteredInErrorAt: true,
  version: true,
} satisfies Prisma.VitalsSelect;

/** Sets that count: those marked entered in error are kept for the record but left out of every read. */
export const currentVitals = { enteredInErrorAt: null } satisfies Prisma.VitalsWhereInput;
export type VitalsRow = Prisma.VitalsGetPayload<{ select: typeof vitalsSelect }>;

export function vitalsValues(row: VitalsRow) {
  const values = {
    systolicMmHg: row.systolicMmHg,
    diastolicMmHg: row.diastolicMmHg,
    heartRatePerMin: row.heartRatePerMin,
    respiratoryRatePerMin: row.respiratoryRatePerMin,
    temperatureC: num(row.temperatureC),
    spo2Percent: row.spo2Percent,
    heightCm: num(row.heightCm),
    weightKg: num(row.weightKg),
    bmi: num(row.bmi),
    painScore: row.painScore,
  };
  return {
    id: row.id,
    patientId: row.patientId,
    encounterId: row.encounterId,
    takenAt: row.takenAt,
    ...values,
    note: row.note,
    flags: vitalFlags(values),
    enteredInError: row.enteredInErrorAt !== null,
    version: row.version,
  };
}

export const vitalsOut = (names: People, row: VitalsRow) => ({ ...vitalsValues(row), recordedBy: person(names, row.recordedById) });

export async function vitalsSeries(client: Db, patientIds: string[], options: { from?: Date; to?: Date; limit: number; encounterId?: string }) {
  const rows = await client.vitals.findMany({
    where: {
      patientId: { in: patientIds },
      ...currentVitals,
      ...(options.encounterId ? { encounterId: options.encounterId } : {}),
      ...(options.from || options.to ? { takenAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lte: options.to } : {}) } } : {}),
    },
    select: vitalsSelect,
    orderBy: [{ takenAt: "desc" }, { id: "desc" }],
    take: options.limit,
  });
  rows.reverse();
  const names = await people(client, rows.map((r) => r.recordedById));
  return rows.map((r) => vitalsOut(names, r));
}

/** The most recent sets in the window, oldest first (trend lines read left to right). */
export async function listVitals(actor: ScopedActor, input: z.output<typeof vitalsInput>) {
  const scope = await openChart(actor, input.patientId);
  return { items: await vitalsSeries(db, scope.patientIds, input) };
}

export async function recordVitals(actor: ScopedActor, input: z.output<typeof recordVitalsInput>) {
  const { patientId, encounterId, takenAt, ...values } = input;
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const patient = await writablePatient(tx, actor, patientId);
      if (encounterId) {
        const encounter = await tx.encounter.findFirst({ where: { id: encounterId, clinicId: actor.clinicId }, select: { patientId: true } });
        if (!encounter || encounter.patientId !== patient.id) {
          throw new DomainError("BAD_REQUEST", "That encounter is not one of this patient's", { encounterId: ["not an encounter of this patient"] });
        }
      }
      const when = takenAt ?? new Date();
      if (when < patient.dateOfBirth) throw new DomainError("BAD_REQUEST", "Time taken cannot be before the patient was born", { takenAt: ["before date of birth"] });
      const row = await tx.vitals.create({
        data: {
          clinicId: actor.clinicId,
          patientId: patient.id,
          encounterId: encounterId ?? null,
          takenAt: when,
          recordedById: actor.userId,
          createdById: actor.userId,
          updatedById: actor.userId,
          ...values,
        },
        select: vitalsSelect,
      });
      await audit(tx, actor, { action: "charts.recordVitals", resourceType: "Vitals", resourceId: row.id, patientId: patient.id });
      return { row, names: await people(tx, [row.recordedById]) };
    }),
  );
  announce("vitals", { patientId: saved.row.patientId, vitalsId: saved.row.id, version: saved.row.version });
  return vitalsOut(saved.names, saved.row);
}

async function vitalsById(client: Db, id: string) {
  const row = await client.vitals.findUniqueOrThrow({ where: { id }, select: vitalsSelect });
  return vitalsOut(await people(client, [row.recordedById]), row);
}

/**
 * Corrects a set (the whole set as it should read) or marks it entered in error. Locked FOR
 * UPDATE and version-checked; the database CHECKs still hold (a refusal names the field); the
 * audit row in the same transaction; the same live event as recording.
 */
export async function updateVitals(actor: ScopedActor, input: z.output<typeof updateVitalsInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const locked = await lockRow(tx, "vitals", actor.clinicId, input.id);
      await checkVersion(tx, "This set of vitals", locked, input.version, () => vitalsById(tx, input.id));
      const current = await tx.vitals.findUniqueOrThrow({ where: { id: input.id }, select: { enteredInErrorAt: true, patient: { select: { dateOfBirth: true } } } });
      if (current.enteredInErrorAt) throw new DomainError("BAD_REQUEST", "This set of vitals was entered in error and removed; record the vitals again if needed.");
      let data: Prisma.VitalsUncheckedUpdateInput;
      if (input.enteredInError) {
        data = { enteredInErrorAt: new Date() };
      } else {
        const { id: _id, version: _version, enteredInError: _eie, takenAt, ...values } = input;
        if (takenAt && takenAt < current.patient.dateOfBirth) throw new DomainError("BAD_REQUEST", "Time taken cannot be before the patient was born", { takenAt: ["before date of birth"] });
        data = { ...values, ...(takenAt ? { takenAt } : {}) };
      }
      await tx.vitals.update({ where: { id: input.id }, data: { ...data, version: { increment: 1 }, updatedById: actor.userId } });
      await audit(tx, actor, {
        action: "charts.updateVitals",
        resourceType: "Vitals",
        resourceId: input.id,
        patientId: locked.patientId,
        reason: input.enteredInError ? "entered in error" : undefined,
      });
      return { out: await vitalsById(tx, input.id), rootId: await chartRootOf(tx, actor.clinicId, locked.patientId) };
    }),
  );
  announce("vitals", { patientId: saved.rootId, vitalsId: saved.out.id, version: saved.out.version });
  return saved.out;
}
