import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createClinic, createPatient, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";
import { failure } from "../../../tests/helpers/failure.ts";

/** Lab orders (LOINC), results with computed flags, acknowledgement rules, trends. */

let fixture: ClinicFixture;
let physician: Awaited<ReturnType<typeof callerFor>>;
let nurse: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  fixture = await createClinic();
  [physician, nurse] = await Promise.all([callerFor(fixture.users.PHYSICIAN.id), callerFor(fixture.users.NURSE.id)]);
});

describe("orders and results", () => {
  it("orders a LOINC test, records results with computed flags, and the order follows", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const order = await physician.charts.orderLab({ patientId: patient.id, loincCode: "2823-3" });
    expect(order).toMatchObject({ loincCode: "2823-3", testName: "Potassium [Moles/volume] in Serum or Plasma", status: "ORDERED", orderedBy: { name: fixture.users.PHYSICIAN.name }, results: [] });
    expect(await db.auditEvent.count({ where: { action: "charts.orderLab", resourceId: order.id } })).toBe(1);

    const flagOf = async (value: Record<string, unknown>) =>
      (await nurse.charts.recordLabResult({ labOrderId: order.id, unit: "mmol/L", referenceLow: 3.5, referenceHigh: 5.1, ...value })).abnormalFlag;
    expect(await flagOf({ valueNumeric: 4.2 })).toBe("N");
    expect(await flagOf({ valueNumeric: 5.6 })).toBe("H");
    expect(await flagOf({ valueNumeric: 3.1 })).toBe("L");
    expect(await flagOf({ valueNumeric: 6.8 })).toBe("HH"); // at or past the critical limit (6.2 mmol/L)
    expect(await flagOf({ valueNumeric: 2.5 })).toBe("LL");

    const labs = await physician.charts.labs({ patientId: patient.id });
    expect(labs.orders).toHaveLength(1);
    expect(labs.orders[0]).toMatchObject({ id: order.id, status: "RESULTED" });
    expect(labs.orders[0]!.results.map((r) => r.abnormalFlag)).toEqual(["N", "H", "L", "HH", "LL"]);
    expect(labs.unacknowledgedCount).toBe(5);
    expect((await physician.charts.summary({ patientId: patient.id })).unacknowledgedResults).toBe(5);
  });

  it("flags text results against a text reference, and numeric ones against a bound like <200", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const text = await nurse.charts.recordLabResult({ patientId: patient.id, loincCode: "5811-5", valueText: "Positive", referenceText: "Negative" });
    expect(text).toMatchObject({ abnormalFlag: "A", labOrderId: null });
    const normalText = await nurse.charts.recordLabResult({ patientId: patient.id, loincCode: "5811-5", valueText: "negative", referenceText: "Negative" });
    expect(normalText.abnormalFlag).toBe("N");
    const cholesterol = await nurse.charts.recordLabResult({ patientId: patient.id, loincCode: "2093-3", valueNumeric: 245, unit: "mg/dL", referenceText: "<200" });
    expect(cholesterol.abnormalFlag).toBe("H");
    expect((await physician.charts.labs({ patientId: patient.id })).unorderedResults).toHaveLength(3);
  });

  it("refuses an unknown LOINC code and bad values, naming the field, writing nothing", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const unknown = await failure(physician.charts.orderLab({ patientId: patient.id, loincCode: "99999-9" }));
    expect(unknown).toMatchObject({ code: "BAD_REQUEST", cause: { fieldErrors: { loincCode: expect.any(Array) } } });
    expect((await failure(physician.charts.orderLab({ patientId: patient.id, loincCode: "A1C" }))).code).toBe("BAD_REQUEST");
    const noValue = await failure(nurse.charts.recordLabResult({ patientId: patient.id, loincCode: "2345-7", referenceLow: 110, referenceHigh: 70 }));
    expect((noValue.cause?.issues ?? []).map((i) => i.path.join(".")).sort()).toEqual(["referenceLow", "valueNumeric"]);
    expect(await db.labOrder.count({ where: { patientId: patient.id } })).toBe(0);
    expect(await db.labResult.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("a cancelled order takes no result; an order with results cannot be cancelled", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const order = await nurse.charts.orderLab({ patientId: patient.id, loincCode: "4548-4" });
    const cancelled = await nurse.charts.cancelLabOrder({ labOrderId: order.id, version: 1, reason: "Duplicate order" });
    expect(cancelled).toMatchObject({ status: "CANCELLED", cancelReason: "Duplicate order", version: 2 });
    expect((await failure(nurse.charts.recordLabResult({ labOrderId: order.id, valueNumeric: 6.1 }))).code).toBe("BAD_REQUEST");
    const other = await nurse.charts.orderLab({ patientId: patient.id, loincCode: "4548-4" });
    await nurse.charts.recordLabResult({ labOrderId: other.id, valueNumeric: 6.1, unit: "%", referenceHigh: 5.6 });
    expect((await failure(nurse.charts.cancelLabOrder({ labOrderId: other.id, version: 2, reason: "x" }))).code).toBe("BAD_REQUEST");
  });
});

describe("acknowledging results", () => {
  it("by the ordering clinician or a physician; not by another nurse; once; the order becomes ACKNOWLEDGED", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const order = await physician.charts.orderLab({ patientId: patient.id, loincCode: "718-7" });
    const result = await nurse.charts.recordLabResult({ labOrderId: order.id, valueNumeric: 10.1, unit: "g/dL", referenceLow: 12, referenceHigh: 16 });
    const refused = await failure(nurse.charts.acknowledgeResult({ resultId: result.id, version: 1 }));
    expect(refused).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining(fixture.users.PHYSICIAN.name) });

    const acknowledged = await physician.charts.acknowledgeResult({ resultId: result.id, version: 1 });
    expect(acknowledged).toMatchObject({ acknowledgedBy: { name: fixture.users.PHYSICIAN.name }, version: 2 });
    expect(await db.labOrder.findUniqueOrThrow({ where: { id: order.id }, select: { status: true } })).toEqual({ status: "ACKNOWLEDGED" });
    const twice = await failure(physician.charts.acknowledgeResult({ resultId: result.id, version: 2 }));
    expect(twice).toMatchObject({ code: "CONFLICT", message: expect.stringContaining(`already acknowledged by ${fixture.users.PHYSICIAN.name}`) });
    expect(await db.auditEvent.count({ where: { action: "charts.acknowledgeResult", resourceId: result.id } })).toBe(1);

    // A nurse acknowledges results of her own orders.
    const own = await nurse.charts.orderLab({ patientId: patient.id, loincCode: "718-7" });
    const ownResult = await nurse.charts.recordLabResult({ labOrderId: own.id, valueNumeric: 13, unit: "g/dL", referenceLow: 12, referenceHigh: 16 });
    expect(await nurse.charts.acknowledgeResult({ resultId: ownResult.id, version: 1 })).toMatchObject({ acknowledgedBy: { name: fixture.users.NURSE.name } });
  });
});

describe("trends", () => {
  it("returns one test's numeric results oldest first, and the tests available", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const day = 86_400_000;
    for (const [i, value] of [7.9, 7.4, 6.8, 6.5].entries()) {
      await nurse.charts.recordLabResult({ patientId: patient.id, loincCode: "4548-4", valueNumeric: value, unit: "%", referenceHigh: 5.6, resultedAt: new Date(Date.now() - (4 - i) * 90 * day) });
    }
    await nurse.charts.recordLabResult({ patientId: patient.id, loincCode: "2345-7", valueNumeric: 132, unit: "mg/dL", referenceLow: 70, referenceHigh: 99 });
    const trend = await physician.charts.labTrend({ patientId: patient.id, loincCode: "4548-4" });
    expect(trend.testName).toBe("Hemoglobin A1c/Hemoglobin.total in Blood");
    expect(trend.points.map((p) => p.value)).toEqual([7.9, 7.4, 6.8, 6.5]);
    expect(trend.points.every((p) => p.abnormalFlag === "H")).toBe(true);
    expect(trend.available).toEqual([
      { loincCode: "4548-4", testName: "Hemoglobin A1c/Hemoglobin.total in Blood", count: 4 },
      { loincCode: "2345-7", testName: "Glucose [Mass/volume] in Serum or Plasma", count: 1 },
    ]);
  });

  it("LOINC search finds tests by abbreviation, words or code, quickly", async () => {
    const search = (q: string, labOnly?: boolean) => physician.charts.loincSearch({ q, limit: 5, labOnly });
    expect((await search("a1c"))[0]).toMatchObject({ code: "4548-4" });
    expect((await search("tsh"))[0]).toMatchObject({ code: "3016-3" });
    expect((await search("potassium serum"))[0]).toMatchObject({ code: "2823-3" });
    expect((await search("4548"))[0]).toMatchObject({ code: "4548-4" });
    expect((await search("body weight", true)).map((r) => r.code)).not.toContain("29463-7");
    const started = performance.now();
    for (const q of ["glucose", "hemoglobin", "ldl", "creat", "2345-7"]) await search(q);
    expect((performance.now() - started) / 5).toBeLessThan(50);
  });
});
