import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createClinic, createPatient, createScheduling, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";
import { auditChartOpen } from "./guards.ts";

/**
 * Who may read and write a chart, and what the audit trail keeps: receptionists and billing staff
 * are refused (and the refusal audited), other clinics' patients do not exist, a chart open is
 * audited once per session and patient (more audit, never less, when Redis is down), and a merged
 * record's chart is read through the surviving record.
 */

let fixture: ClinicFixture;
let setup: Awaited<ReturnType<typeof createScheduling>>;

beforeAll(async () => {
  fixture = await createClinic();
  setup = await createScheduling(fixture);
});

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => "OK",
    (e: { code?: string }) => e.code,
  );
}

describe("roles", () => {
  it.each(["RECEPTIONIST", "BILLING"] as const)("%s cannot read or write clinical content; each attempt is audited", async (role) => {
    const patient = await createPatient(fixture.clinic.id);
    const caller = await callerFor(fixture.users[role].id);
    expect(await codeOf(caller.charts.summary({ patientId: patient.id }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.charts.vitals({ patientId: patient.id }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.charts.recordVitals({ patientId: patient.id, heartRate: 80 }))).toBe("FORBIDDEN");
    const denied = await db.auditEvent.findMany({ where: { userId: fixture.users[role].id, outcome: "DENIED", action: { startsWith: "charts." } }, select: { action: true, reason: true } });
    expect(denied).toEqual(
      expect.arrayContaining([
        { action: "charts.summary", reason: "missing chart:read" },
        { action: "charts.vitals", reason: "missing chart:read" },
        { action: "charts.recordVitals", reason: "missing chart:write" },
      ]),
    );
    expect(await db.vitals.count({ where: { patientId: patient.id } })).toBe(0);
    // The banner shows them whether allergies were recorded, not which.
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    await physician.charts.addAllergy({ patientId: patient.id, substance: "Sulfa drugs", category: "DRUG" });
    expect((await caller.patients.banner({ id: patient.id })).allergies).toEqual({ state: "RECORDED", items: [] });
  });

  it("another clinic's patient, encounter or row reads as not found", async () => {
    const other = await createClinic();
    const foreign = await createPatient(other.clinic.id);
    const theirs = await callerFor(other.users.PHYSICIAN.id);
    const problem = await theirs.charts.addProblem({ patientId: foreign.id, icd10Code: "I10" });
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    expect(await codeOf(physician.charts.summary({ patientId: foreign.id }))).toBe("NOT_FOUND");
    expect(await codeOf(physician.charts.problems({ patientId: foreign.id }))).toBe("NOT_FOUND");
    expect(await codeOf(physician.charts.addAllergy({ patientId: foreign.id, substance: "Latex", category: "ENVIRONMENTAL" }))).toBe("NOT_FOUND");
    expect(await codeOf(physician.charts.updateProblem({ id: problem.id, version: 1, notes: "x" }))).toBe("NOT_FOUND");
    expect(await db.auditEvent.count({ where: { patientId: foreign.id, clinicId: fixture.clinic.id } })).toBe(0);
  });
});

describe("the chart-open audit", () => {
  it("writes one row per session and patient, however many reads; a new session writes another", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const first = await callerFor(fixture.users.NURSE.id);
    await first.charts.summary({ patientId: patient.id });
    await first.charts.vitals({ patientId: patient.id });
    await first.charts.problems({ patientId: patient.id });
    await first.charts.timeline({ patientId: patient.id });
    const opens = () => db.auditEvent.findMany({ where: { action: "charts.open", patientId: patient.id }, select: { sessionId: true, userId: true } });
    expect(await opens()).toHaveLength(1);
    const second = await callerFor(fixture.users.NURSE.id);
    await second.charts.summary({ patientId: patient.id });
    await second.charts.labs({ patientId: patient.id });
    const rows = await opens();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.sessionId)).size).toBe(2);
    expect(rows.every((r) => r.userId === fixture.users.NURSE.id)).toBe(true);
    // Another patient in the same session is another open.
    const other = await createPatient(fixture.clinic.id);
    await second.charts.summary({ patientId: other.id });
    expect(await db.auditEvent.count({ where: { action: "charts.open", patientId: other.id } })).toBe(1);
  });

  it("audits every read when Redis cannot answer (more audit, never less)", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const down = new Redis("redis://127.0.0.1:1/0", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    down.on("error", () => {});
    const actor = { userId: fixture.users.NURSE.id, clinicId: fixture.clinic.id, role: "NURSE" as const, sessionId: crypto.randomUUID(), ip: null };
    await auditChartOpen(actor, patient.id, down);
    await auditChartOpen(actor, patient.id, down);
    expect(await db.auditEvent.count({ where: { action: "charts.open", patientId: patient.id } })).toBe(2);
    down.disconnect();
  });
});

describe("merged records", () => {
  it("a merged record's chart reads through the survivor, including its signed notes; adding to it is refused", async () => {
    const survivor = await createPatient(fixture.clinic.id, { givenName: "Ana" });
    const duplicate = await createPatient(fixture.clinic.id, { givenName: "Anna" });
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    await physician.charts.addProblem({ patientId: survivor.id, icd10Code: "I10" });
    const allergy = await physician.charts.addAllergy({ patientId: duplicate.id, substance: "Codeine", category: "DRUG" });
    const { encounter } = await physician.charts.openEncounter({ patientId: duplicate.id, providerId: setup.provider.id, type: "ACUTE" });
    await physician.charts.saveNote({ noteId: encounter.noteId!, version: 1, assessment: "Migraine." });
    await physician.charts.signNote({ noteId: encounter.noteId!, version: 2 });

    // Signed notes cannot move; the merge leaves chart rows where they are.
    const admin = await callerFor(fixture.users.ADMIN.id);
    await admin.patients.merge({ survivorId: survivor.id, mergedId: duplicate.id });

    for (const id of [survivor.id, duplicate.id]) {
      const summary = await physician.charts.summary({ patientId: id });
      expect(summary.patientId).toBe(survivor.id);
      expect(summary.allergies).toMatchObject({ status: "HAS_ALLERGIES", items: [{ substance: "Codeine" }] });
      expect(summary.problems.map((p) => p.icd10CodeDotted)).toEqual(["I10"]);
    }
    expect((await physician.charts.timeline({ patientId: survivor.id })).items.map((e) => e.id)).toEqual([encounter.id]);

    const refused = await physician.charts.addProblem({ patientId: duplicate.id, icd10Code: "J45909" }).catch((e: { code: string; message: string }) => e);
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining(`merged into MRN ${survivor.mrn}`) });
    // Rows already on it stay editable from the survivor's chart.
    expect(await physician.charts.updateAllergy({ id: allergy.id, version: 1, reaction: "Nausea" })).toMatchObject({ reaction: "Nausea", version: 2 });
  });
});
