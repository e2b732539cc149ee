/**
 * Lab orders (LOINC-coded) and results. The abnormal flag is computed here from the value and the
 * reference range (ranges.ts), never typed in. Acknowledgement ("I have seen this result") is by
 * the ordering clinician or any physician (a covering colleague); results that arrived without an
 * order, by a physician. Once every result of an order is acknowledged the order is ACKNOWLEDGED.
 */
import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Db, type Prisma, type Tx } from "../../db.ts";
import { DomainError } from "../../errors.ts";
import { can } from "../../permissions/registry.ts";
import { announce, num, people, person, personOrNull, type People } from "./format.ts";
import { chartRootOf, checkVersion, lockRow, openChart, refusalsMapped, userName, writablePatient } from "./guards.ts";
import { labFlag } from "./ranges.ts";
import type { acknowledgeResultInput, cancelLabOrderInput, labsInput, labTrendInput, orderLabInput, recordLabResultInput } from "./schemas.ts";

type In<T extends z.ZodType> = z.output<T>;

const resultSelect = {
  id: true,
  patientId: true,
  labOrderId: true,
  loincCode: true,
  loinc: { select: { longCommonName: true } },
  valueNumeric: true,
  valueText: true,
  unit: true,
  referenceLow: true,
  referenceHigh: true,
  referenceText: true,
  abnormalFlag: true,
  resultedAt: true,
  acknowledgedAt: true,
  acknowledgedById: true,
  version: true,
} satisfies Prisma.LabResultSelect;
type ResultRow = Prisma.LabResultGetPayload<{ select: typeof resultSelect }>;

const orderSelect = {
  id: true,
  patientId: true,
  encounterId: true,
  loincCode: true,
  loinc: { select: { longCommonName: true } },
  orderedAt: true,
  orderedById: true,
  status: true,
  cancelReason: true,
  notes: true,
  version: true,
} satisfies Prisma.LabOrderSelect;
type OrderRow = Prisma.LabOrderGetPayload<{ select: typeof orderSelect }>;

const resultOut = (names: People, r: ResultRow) => ({
  id: r.id,
  patientId: r.patientId,
  labOrderId: r.labOrderId,
  loincCode: r.loincCode,
  testName: r.loinc.longCommonName,
  valueNumeric: num(r.valueNumeric),
  valueText: r.valueText,
  unit: r.unit,
  referenceLow: num(r.referenceLow),
  referenceHigh: num(r.referenceHigh),
  referenceText: r.referenceText,
  abnormalFlag: r.abnormalFlag,
  resultedAt: r.resultedAt,
  acknowledgedAt: r.acknowledgedAt,
  acknowledgedBy: personOrNull(names, r.acknowledgedById),
  version: r.version,
});

const orderOut = (names: People, o: OrderRow, results: ResultRow[]) => ({
  id: o.id,
  patientId: o.patientId,
  encounterId: o.encounterId,
  loincCode: o.loincCode,
  testName: o.loinc.longCommonName,
  orderedAt: o.orderedAt,
  orderedBy: person(names, o.orderedById),
  status: o.status,
  cancelReason: o.cancelReason,
  notes: o.notes,
  version: o.version,
  results: results.map((r) => resultOut(names, r)),
});

async function orderById(client: Db, id: string) {
  const order = await client.labOrder.findUniqueOrThrow({ where: { id }, select: { ...orderSelect, results: { select: resultSelect, orderBy: { resultedAt: "asc" } } } });
  const names = await people(client, [order.orderedById, ...order.results.map((r) => r.acknowledgedById)]);
  return orderOut(names, order, order.results);
}

async function resultById(client: Db, id: string) {
  const row = await client.labResult.findUniqueOrThrow({ where: { id }, select: resultSelect });
  return resultOut(await people(client, [row.acknowledgedById]), row);
}

async function checkLoinc(tx: Tx, code: string) {
  const row = await tx.loincCode.findUnique({ where: { code }, select: { code: true } });
  if (!row) {
    const message = `LOINC code ${code} is not in the code set; choose the test from the list`;
    throw new DomainError("BAD_REQUEST", message, { loincCode: [message] });
  }
}

async function checkEncounter(tx: Tx, actor: ScopedActor, encounterId: string, patientId: string) {
  const encounter = await tx.encounter.findFirst({ where: { id: encounterId, clinicId: actor.clinicId }, select: { patientId: true } });
  if (!encounter || encounter.patientId !== patientId) {
    throw new DomainError("BAD_REQUEST", "That encounter is not one of this patient's", { encounterId: ["not an encounter of this patient"] });
  }
}

// ---------------------------------------------------------------- reads

export async function listLabs(actor: ScopedActor, input: In<typeof labsInput>) {
  const scope = await openChart(actor, input.patientId);
  const where = { patientId: { in: scope.patientIds } };
  const [orders, unordered, unacknowledgedCount] = await Promise.all([
    db.labOrder.findMany({
      where,
      select: { ...orderSelect, results: { select: resultSelect, orderBy: { resultedAt: "asc" } } },
      orderBy: [{ orderedAt: "desc" }, { id: "desc" }],
      take: input.limit,
    }),
    db.labResult.findMany({ where: { ...where, labOrderId: null }, select: resultSelect, orderBy: [{ resultedAt: "desc" }, { id: "desc" }], take: input.limit }),
    db.labResult.count({ where: { ...where, acknowledgedAt: null } }),
  ]);
  const names = await people(db, [...orders.flatMap((o) => [o.orderedById, ...o.results.map((r) => r.acknowledgedById)]), ...unordered.map((r) => r.acknowledgedById)]);
  return {
    orders: orders.map((o) => orderOut(names, o, o.results)),
    unorderedResults: unordered.map((r) => resultOut(names, r)),
    unacknowledgedCount,
  };
}

/** Numeric results of one test over time, oldest first, for a trend chart. */
export async function labTrend(actor: ScopedActor, input: In<typeof labTrendInput>) {
  const scope = await openChart(actor, input.patientId);
  const [rows, available, loinc] = await Promise.all([
    db.labResult.findMany({
      where: {
        patientId: { in: scope.patientIds },
        loincCode: input.loincCode,
        valueNumeric: { not: null },
        ...(input.from || input.to ? { resultedAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } } : {}),
      },
      select: { id: true, resultedAt: true, valueNumeric: true, unit: true, referenceLow: true, referenceHigh: true, abnormalFlag: true },
      orderBy: [{ resultedAt: "desc" }, { id: "desc" }],
      take: input.limit,
    }),
    db.$queryRaw<{ loinc_code: string; test_name: string; n: number }[]>`
      SELECT r.loinc_code, l.long_common_name AS test_name, count(*)::int AS n
        FROM lab_result r JOIN loinc_code l ON l.code = r.loinc_code
       WHERE r.patient_id = ANY(${scope.patientIds}::uuid[]) AND r.value_numeric IS NOT NULL
       GROUP BY r.loinc_code, l.long_common_name
       ORDER BY count(*) DESC, l.long_common_name
       LIMIT 100`,
    db.loincCode.findUnique({ where: { code: input.loincCode }, select: { longCommonName: true } }),
  ]);
  rows.reverse();
  return {
    loincCode: input.loincCode,
    testName: loinc?.longCommonName ?? input.loincCode,
    points: rows.map((r) => ({
      resultId: r.id,
      resultedAt: r.resultedAt,
      value: num(r.valueNumeric)!,
      unit: r.unit,
      referenceLow: num(r.referenceLow),
      referenceHigh: num(r.referenceHigh),
      abnormalFlag: r.abnormalFlag,
    })),
    available: available.map((a) => ({ loincCode: a.loinc_code, testName: a.test_name, count: a.n })),
  };
}

// ---------------------------------------------------------------- writes

export async function orderLab(actor: ScopedActor, input: In<typeof orderLabInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const patient = await writablePatient(tx, actor, input.patientId);
      await checkLoinc(tx, input.loincCode);
      if (input.encounterId) await checkEncounter(tx, actor, input.encounterId, patient.id);
      const row = await tx.labOrder.create({
        data: {
          clinicId: actor.clinicId,
          patientId: patient.id,
          encounterId: input.encounterId ?? null,
          loincCode: input.loincCode,
          orderedById: actor.userId,
          notes: input.notes ?? null,
          createdById: actor.userId,
          updatedById: actor.userId,
        },
        select: { id: true },
      });
      await audit(tx, actor, { action: "charts.orderLab", resourceType: "LabOrder", resourceId: row.id, patientId: patient.id, reason: input.loincCode });
      return orderById(tx, row.id);
    }),
  );
  announce("labs", { patientId: saved.patientId, labOrderId: saved.id, labResultId: null, version: saved.version });
  return saved;
}

export async function recordLabResult(actor: ScopedActor, input: In<typeof recordLabResultInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      let patientId: string;
      let loincCode: string;
      let order: { id: string; status: string; version: number } | null = null;
      if (input.labOrderId) {
        const locked = await lockRow(tx, "lab_order", actor.clinicId, input.labOrderId);
        const row = await tx.labOrder.findUniqueOrThrow({ where: { id: locked.id }, select: { patientId: true, loincCode: true, status: true, version: true } });
        if (row.status === "CANCELLED") {
          throw new DomainError("BAD_REQUEST", "This lab order was cancelled; record the result without an order or re-order the test.", { labOrderId: ["order cancelled"] });
        }
        if (input.patientId && input.patientId !== row.patientId) {
          throw new DomainError("BAD_REQUEST", "That lab order belongs to another patient", { labOrderId: ["order of another patient"] });
        }
        patientId = row.patientId;
        loincCode = input.loincCode ?? row.loincCode;
        order = { id: locked.id, status: row.status, version: row.version };
      } else {
        patientId = (await writablePatient(tx, actor, input.patientId!)).id;
        loincCode = input.loincCode!;
      }
      await checkLoinc(tx, loincCode);
      const flag = labFlag({ ...input, loincCode });
      const result = await tx.labResult.create({
        data: {
          clinicId: actor.clinicId,
          patientId,
          labOrderId: order?.id ?? null,
          loincCode,
          valueNumeric: input.valueNumeric ?? null,
          valueText: input.valueText ?? null,
          unit: input.unit ?? null,
          referenceLow: input.referenceLow ?? null,
          referenceHigh: input.referenceHigh ?? null,
          referenceText: input.referenceText ?? null,
          abnormalFlag: flag,
          resultedAt: input.resultedAt ?? new Date(),
          createdById: actor.userId,
          updatedById: actor.userId,
        },
        select: { id: true, version: true },
      });
      // A new result reopens review: an acknowledged order is RESULTED again until this one is seen.
      if (order && order.status !== "RESULTED") {
        await tx.labOrder.update({ where: { id: order.id }, data: { status: "RESULTED", version: { increment: 1 }, updatedById: actor.userId } });
      }
      await audit(tx, actor, { action: "charts.recordLabResult", resourceType: "LabResult", resourceId: result.id, patientId, reason: flag ?? undefined });
      return { out: await resultById(tx, result.id), rootId: await chartRootOf(tx, actor.clinicId, patientId) };
    }),
  );
  announce("labs", { patientId: saved.rootId, labOrderId: saved.out.labOrderId, labResultId: saved.out.id, version: saved.out.version });
  return saved.out;
}

export async function acknowledgeResult(actor: ScopedActor, input: In<typeof acknowledgeResultInput>) {
  const saved = await db.$transaction(async (tx) => {
    const locked = await lockRow(tx, "lab_result", actor.clinicId, input.resultId);
    const row = await tx.labResult.findUniqueOrThrow({
      where: { id: locked.id },
      select: { labOrderId: true, acknowledgedAt: true, acknowledgedById: true, labOrder: { select: { orderedById: true } } },
    });
    if (row.acknowledgedAt) {
      const by = await userName(tx, row.acknowledgedById);
      throw new DomainError("CONFLICT", `This result was already acknowledged by ${by ?? "someone else"}.`, undefined, {
        currentVersion: locked.version,
        changedBy: by,
        current: await resultById(tx, locked.id),
      });
    }
    await checkVersion(tx, "This result", locked, input.version, () => resultById(tx, locked.id));
    const orderedBy = row.labOrder?.orderedById ?? null;
    if (orderedBy !== actor.userId && !can(actor.role, "chart:sign")) {
      const name = await userName(tx, orderedBy);
      throw new DomainError(
        "FORBIDDEN",
        orderedBy
          ? `Only the ordering clinician (${name ?? "unknown"}) or a physician may acknowledge this result.`
          : "Only a physician may acknowledge a result that arrived without an order.",
      );
    }
    await tx.labResult.update({ where: { id: locked.id }, data: { acknowledgedAt: new Date(), acknowledgedById: actor.userId, version: { increment: 1 }, updatedById: actor.userId } });
    if (row.labOrderId) {
      const pending = await tx.labResult.count({ where: { labOrderId: row.labOrderId, acknowledgedAt: null } });
      if (pending === 0) {
        await tx.labOrder.updateMany({ where: { id: row.labOrderId, status: "RESULTED" }, data: { status: "ACKNOWLEDGED", version: { increment: 1 }, updatedById: actor.userId } });
      }
    }
    await audit(tx, actor, { action: "charts.acknowledgeResult", resourceType: "LabResult", resourceId: locked.id, patientId: locked.patientId });
    return { out: await resultById(tx, locked.id), rootId: await chartRootOf(tx, actor.clinicId, locked.patientId) };
  });
  announce("labs", { patientId: saved.rootId, labOrderId: saved.out.labOrderId, labResultId: saved.out.id, version: saved.out.version });
  return saved.out;
}

/** A test ordered in error or no longer wanted; refused once a result is in. */
export async function cancelLabOrder(actor: ScopedActor, input: In<typeof cancelLabOrderInput>) {
  const saved = await db.$transaction(async (tx) => {
    const locked = await lockRow(tx, "lab_order", actor.clinicId, input.labOrderId);
    await checkVersion(tx, "This lab order", locked, input.version, () => orderById(tx, locked.id));
    const row = await tx.labOrder.findUniqueOrThrow({ where: { id: locked.id }, select: { status: true } });
    if (row.status !== "ORDERED") {
      throw new DomainError("BAD_REQUEST", row.status === "CANCELLED" ? "This lab order is already cancelled." : "This lab order has results; it can no longer be cancelled.");
    }
    await tx.labOrder.update({
      where: { id: locked.id },
      data: { status: "CANCELLED", cancelledAt: new Date(), cancelReason: input.reason, version: { increment: 1 }, updatedById: actor.userId },
    });
    await audit(tx, actor, { action: "charts.cancelLabOrder", resourceType: "LabOrder", resourceId: locked.id, patientId: locked.patientId });
    return { out: await orderById(tx, locked.id), rootId: await chartRootOf(tx, actor.clinicId, locked.patientId) };
  });
  announce("labs", { patientId: saved.rootId, labOrderId: saved.out.id, labResultId: null, version: saved.out.version });
  return saved.out;
}
