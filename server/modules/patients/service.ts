import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Db } from "../../db.ts";
import { notFound, staleVersion } from "../../errors.ts";
import { publish } from "../../realtime/publish.ts";
import type { registerInput, updateInput } from "./schemas.ts";

const patientSelect = {
  id: true,
  mrn: true,
  givenName: true,
  familyName: true,
  dateOfBirth: true,
  sex: true,
  status: true,
  version: true,
  updatedAt: true,
} as const;

type PatientRow = { dateOfBirth: Date } & Record<string, unknown>;
const toOutput = <T extends PatientRow>(row: T) => ({ ...row, dateOfBirth: row.dateOfBirth.toISOString().slice(0, 10) });

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
async function nextMrn(tx: Db): Promise<string> {
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('patient_mrn_seq') AS n`;
  return withCheckDigit(String(row!.n));
}

export async function register(actor: ScopedActor, input: z.infer<typeof registerInput>) {
  const created = await db.$transaction(async (tx) => {
    const patient = await tx.patient.create({
      data: {
        clinicId: actor.clinicId,
        mrn: await nextMrn(tx),
        givenName: input.givenName,
        familyName: input.familyName,
        dateOfBirth: new Date(`${input.dateOfBirth}T00:00:00Z`),
        sex: input.sex,
        updatedById: actor.userId,
      },
      select: patientSelect,
    });
    await audit(tx, actor, { action: "patients.register", resourceType: "Patient", resourceId: patient.id, patientId: patient.id });
    return patient;
  });
  publish("patients.patient.registered", { patientId: created.id }, [`clinic:${actor.clinicId}`]);
  return toOutput(created);
}

/** Reads are audited: who looked at which patient, when. */
export async function get(actor: ScopedActor, id: string) {
  const patient = await db.patient.findFirst({ where: { id, clinicId: actor.clinicId }, select: patientSelect });
  if (!patient) throw notFound("Patient");
  await audit(db, actor, { action: "patients.get", resourceType: "Patient", resourceId: id, patientId: id });
  return toOutput(patient);
}

export async function update(actor: ScopedActor, input: z.infer<typeof updateInput>) {
  const { id, version, dateOfBirth, ...fields } = input;
  const updated = await db.$transaction(async (tx) => {
    const { count } = await tx.patient.updateMany({
      where: { id, clinicId: actor.clinicId, version },
      data: {
        ...fields,
        ...(dateOfBirth ? { dateOfBirth: new Date(`${dateOfBirth}T00:00:00Z`) } : {}),
        version: { increment: 1 },
        updatedById: actor.userId,
      },
    });
    if (count === 0) {
      const current = await tx.patient.findFirst({ where: { id, clinicId: actor.clinicId }, select: { version: true, updatedById: true } });
      if (!current) throw notFound("Patient");
      const by = current.updatedById ? await tx.user.findUnique({ where: { id: current.updatedById }, select: { name: true } }) : null;
      throw staleVersion("This patient's record", by?.name ?? null, current.version);
    }
    await audit(tx, actor, { action: "patients.update", resourceType: "Patient", resourceId: id, patientId: id });
    return tx.patient.findUniqueOrThrow({ where: { id }, select: patientSelect });
  });
  publish("patients.patient.updated", { patientId: id, version: updated.version }, [`patient:${id}`]);
  return toOutput(updated);
}
