/**
 * Vital signs: recorded metric (imperial entry converted by the input schema), BMI computed by the
 * database, abnormal values flagged on the way out (ranges.ts). Recorded sets are not edited:
 * a wrong set is recorded again (the trend keeps both; the note says why).
 */
import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Db, type Prisma } from "../../db.ts";
import { DomainError } from "../../errors.ts";
import { announce, num, people, person, type People } from "./format.ts";
import { openChart, refusalsMapped, writablePatient } from "./guards.ts";
import { vitalFlags } from "./ranges.ts";
import type { recordVitalsInput, vitalsInput } from "./schemas.ts";

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
  version: true,
} satisfies Prisma.VitalsSelect;
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
    version: row.version,
  };
}

export const vitalsOut = (names: People, row: VitalsRow) => ({ ...vitalsValues(row), recordedBy: person(names, row.recordedById) });

export async function vitalsSeries(client: Db, patientIds: string[], options: { from?: Date; to?: Date; limit: number; encounterId?: string }) {
  const rows = await client.vitals.findMany({
    where: {
      patientId: { in: patientIds },
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
