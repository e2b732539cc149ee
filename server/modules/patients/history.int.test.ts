import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor as appCallerFor, createClinic, createPatient, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";
import { DomainError } from "../../errors.ts";
import { conditionOutput, familyHistoryOutput } from "./history-schemas.ts";

// The history procedures, as patients.history.* on the real app router, acting as a user.
const callerFor = async (userId: string) => (await appCallerFor(userId)).patients.history;

/** "field: message" for every problem an error reports, from zod (input) or from the service. */
function problems(error: unknown): string[] {
  expect(error).toBeInstanceOf(TRPCError);
  const cause = (error as TRPCError).cause as unknown;
  if (cause instanceof DomainError) return Object.entries(cause.fieldErrors ?? {}).flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`));
  return (cause as { issues: { path: string[]; message: string }[] }).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

const thisYear = new Date().getUTCFullYear();

let fixture: ClinicFixture;
let nurse: Awaited<ReturnType<typeof callerFor>>;
let physician: Awaited<ReturnType<typeof callerFor>>;
beforeAll(async () => {
  fixture = await createClinic();
  nurse = await callerFor(fixture.users.NURSE.id);
  physician = await callerFor(fixture.users.PHYSICIAN.id);
});

describe("past conditions", () => {
  it("adds by code (description from the code) or as free text, and lists them newest first", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const coded = await nurse.addCondition({ patientId: patient.id, icd10Code: "e11.9", onsetYear: 2015 });
    expect(coded).toMatchObject({
      icd10Code: "E119",
      icd10CodeDotted: "E11.9",
      description: "Type 2 diabetes mellitus without complications",
      onsetYear: 2015,
      resolved: false,
      note: null,
      version: 1,
      recordedBy: { id: fixture.users.NURSE.id, name: fixture.users.NURSE.name },
    });
    const free = await nurse.addCondition({ patientId: patient.id, description: "Childhood asthma", resolved: true, note: "  " });
    expect(free).toMatchObject({ icd10Code: null, icd10CodeDotted: null, description: "Childhood asthma", resolved: true, note: null });

    const history = await physician.get({ patientId: patient.id });
    expect(history.conditions.map((c) => c.id)).toEqual([free.id, coded.id]);
    expect(history).toMatchObject({ patientId: patient.id, surgeries: [], familyHistory: [], socialHistory: null });
  });

  it("updates fields; a description that was only the code's text follows a new code", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const added = await nurse.addCondition({ patientId: patient.id, icd10Code: "I10" });
    const updated = await physician.updateCondition({ id: added.id, version: 1, icd10Code: "I15.0", onsetYear: 2020, note: "renal artery stenosis" });
    expect(updated).toMatchObject({
      icd10Code: "I150",
      description: "Renovascular hypertension",
      onsetYear: 2020,
      note: "renal artery stenosis",
      version: 2,
      recordedBy: { name: fixture.users.PHYSICIAN.name },
    });
    // The clinician's own words stay when the code changes again; null clears.
    const worded = await physician.updateCondition({ id: added.id, version: 2, description: "High blood pressure (kidney)" });
    const recoded = await physician.updateCondition({ id: added.id, version: worded.version, icd10Code: "I10", onsetYear: null });
    expect(recoded).toMatchObject({ icd10Code: "I10", description: "High blood pressure (kidney)", onsetYear: null, version: 4 });
  });

  it("removes softly: gone from the history, row kept with who removed it", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const added = await nurse.addCondition({ patientId: patient.id, description: "Gout" });
    expect(await physician.removeCondition({ id: added.id, version: 1 })).toEqual({ id: added.id, version: 2 });
    expect((await nurse.get({ patientId: patient.id })).conditions).toEqual([]);
    const row = await db.pastCondition.findUniqueOrThrow({ where: { id: added.id } });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(row.recordedById).toBe(fixture.users.PHYSICIAN.id);
    // Editing or removing it again with the version the user had open is a conflict, naming the remover.
    await expect(nurse.updateCondition({ id: added.id, version: 1, note: "x" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `This condition was removed by ${fixture.users.PHYSICIAN.name} since you opened it.`,
    });
  });
});

describe("past surgeries", () => {
  it("adds, updates and removes, with partial dates", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const added = await nurse.addSurgery({ patientId: patient.id, procedure: "Appendectomy", performedOn: "2014" });
    expect(added).toMatchObject({ procedure: "Appendectomy", performedOn: "2014", note: null, version: 1, recordedBy: { name: fixture.users.NURSE.name } });
    const updated = await physician.updateSurgery({ id: added.id, version: 1, performedOn: "2014-06-03", note: "laparoscopic" });
    expect(updated).toMatchObject({ procedure: "Appendectomy", performedOn: "2014-06-03", note: "laparoscopic", version: 2 });
    const cleared = await physician.updateSurgery({ id: added.id, version: 2, performedOn: "" });
    expect(cleared.performedOn).toBeNull();
    expect((await nurse.get({ patientId: patient.id })).surgeries.map((s) => s.id)).toEqual([added.id]);
    await nurse.removeSurgery({ id: added.id, version: 3 });
    expect((await nurse.get({ patientId: patient.id })).surgeries).toEqual([]);
  });
});

describe("family history", () => {
  it("adds by code or words, updates and removes", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const coded = await nurse.addFamilyHistory({ patientId: patient.id, relative: "Mother", icd10Code: "C50.919", ageAtOnset: 52 });
    expect(coded).toMatchObject({
      relative: "Mother",
      icd10Code: "C50919",
      icd10CodeDotted: "C50.919",
      condition: "Malignant neoplasm of unspecified site of unspecified female breast",
      ageAtOnset: 52,
      version: 1,
    });
    const words = await nurse.addFamilyHistory({ patientId: patient.id, relative: "Maternal grandfather", condition: "Heart attack" });
    expect(words).toMatchObject({ icd10Code: null, condition: "Heart attack", ageAtOnset: null });
    const updated = await physician.updateFamilyHistory({ id: words.id, version: 1, icd10Code: "I21.9", ageAtOnset: 60 });
    // The clinician's words stay; the code is attached.
    expect(updated).toMatchObject({ condition: "Heart attack", icd10Code: "I219", icd10CodeDotted: "I21.9", ageAtOnset: 60, version: 2 });
    await physician.removeFamilyHistory({ id: coded.id, version: 1 });
    expect((await nurse.get({ patientId: patient.id })).familyHistory.map((f) => f.id)).toEqual([words.id]);
  });
});

describe("social history", () => {
  it("is created once, then updated whole with the version rule", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const created = await nurse.saveSocialHistory({ patientId: patient.id, tobaccoStatus: "FORMER", packYears: 12.25, alcohol: "2 drinks a week" });
    expect(created).toMatchObject({
      patientId: patient.id,
      tobaccoStatus: "FORMER",
      packYears: 12.3,
      alcohol: "2 drinks a week",
      substances: null,
      occupation: null,
      version: 1,
      recordedBy: { name: fixture.users.NURSE.name },
    });
    const updated = await physician.saveSocialHistory({ patientId: patient.id, version: 1, tobaccoStatus: "NEVER", occupation: "Teacher" });
    // Saved whole: alcohol, left out, is now empty.
    expect(updated).toMatchObject({ tobaccoStatus: "NEVER", packYears: null, alcohol: null, occupation: "Teacher", version: 2 });
    expect((await nurse.get({ patientId: patient.id })).socialHistory).toMatchObject({ version: 2, occupation: "Teacher" });
  });

  it("refuses a second create and a stale update, naming who saved", async () => {
    const patient = await createPatient(fixture.clinic.id);
    await nurse.saveSocialHistory({ patientId: patient.id, tobaccoStatus: "UNKNOWN" });
    await expect(physician.saveSocialHistory({ patientId: patient.id, tobaccoStatus: "NEVER" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(fixture.users.NURSE.name),
    });
    await nurse.saveSocialHistory({ patientId: patient.id, version: 1, tobaccoStatus: "CURRENT_EVERY_DAY", packYears: 5 });
    await expect(physician.saveSocialHistory({ patientId: patient.id, version: 1, tobaccoStatus: "NEVER" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(fixture.users.NURSE.name),
    });
    expect((await db.socialHistory.findUniqueOrThrow({ where: { patientId: patient.id } })).tobaccoStatus).toBe("CURRENT_EVERY_DAY");
  });
});

describe("version conflicts", () => {
  it("refuses a stale edit and names who saved in between", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const added = await physician.addCondition({ patientId: patient.id, description: "Migraine" });
    await nurse.updateCondition({ id: added.id, version: 1, onsetYear: 2001 });
    const error = await physician.updateCondition({ id: added.id, version: 1, onsetYear: 1999 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "CONFLICT",
      message: `This condition was changed by ${fixture.users.NURSE.name} since you opened it. Review their change and save again.`,
    });
    // The conflict carries the condition as the history list shows it, and nothing more.
    const details = ((error as TRPCError).cause as DomainError).details!;
    expect(details).toEqual({ currentVersion: 2, changedBy: fixture.users.NURSE.name, changedAt: expect.any(String), current: expect.any(Object) });
    expect(details.current).toEqual(conditionOutput.parse((await physician.get({ patientId: patient.id })).conditions[0]));
    expect(details.current).toMatchObject({ id: added.id, onsetYear: 2001, version: 2, recordedBy: { name: fixture.users.NURSE.name } });
    expect(details.current).not.toHaveProperty("patientId");
    expect(await db.pastCondition.findUniqueOrThrow({ where: { id: added.id } })).toMatchObject({ onsetYear: 2001, version: 2 });

    const surgery = await physician.addSurgery({ patientId: patient.id, procedure: "Tonsillectomy" });
    await nurse.updateSurgery({ id: surgery.id, version: 1, note: "age 7" });
    await expect(physician.removeSurgery({ id: surgery.id, version: 1 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(fixture.users.NURSE.name),
    });
  });
});

describe("resolving a conflict", () => {
  const historyReads = (patientId: string) => db.auditEvent.count({ where: { patientId, action: "patients.history.get" } });
  const detailsOf = (error: unknown) => ((error as TRPCError).cause as DomainError).details as { currentVersion: number; current: { version: number } | null; removed?: boolean };

  it("saves mine over theirs from the conflict alone: no re-read of the history, no read-audit row", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const surgery = await physician.addSurgery({ patientId: patient.id, procedure: "Cholecystectomy" });
    await nurse.updateSurgery({ id: surgery.id, version: 1, performedOn: "2019" });
    const refused = detailsOf(await physician.updateSurgery({ id: surgery.id, version: 1, note: "laparoscopic" }).catch((e: unknown) => e));
    expect(refused.current).toMatchObject({ id: surgery.id, performedOn: "2019", version: 2 });
    const saved = await physician.updateSurgery({ id: surgery.id, version: refused.currentVersion, note: "laparoscopic" });
    expect(saved).toMatchObject({ performedOn: "2019", note: "laparoscopic", version: 3 });
    expect(await historyReads(patient.id)).toBe(0);
  });

  it("carries the current family history entry and social history too; a removed item has none to save over", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const entry = await physician.addFamilyHistory({ patientId: patient.id, relative: "Father", condition: "Stroke" });
    await nurse.updateFamilyHistory({ id: entry.id, version: 1, ageAtOnset: 70 });
    const family = detailsOf(await physician.updateFamilyHistory({ id: entry.id, version: 1, note: "x" }).catch((e: unknown) => e));
    // Exactly the output shape: parsing it through the schema drops nothing.
    expect(familyHistoryOutput.parse(family.current)).toEqual(family.current);
    expect(family.current).toMatchObject({ id: entry.id, ageAtOnset: 70, version: 2, icd10CodeDotted: null });

    await nurse.saveSocialHistory({ patientId: patient.id, tobaccoStatus: "NEVER" });
    const social = detailsOf(await physician.saveSocialHistory({ patientId: patient.id, tobaccoStatus: "FORMER" }).catch((e: unknown) => e));
    expect(social.current).toMatchObject({ patientId: patient.id, tobaccoStatus: "NEVER", version: 1, recordedBy: { name: fixture.users.NURSE.name } });

    await nurse.removeFamilyHistory({ id: entry.id, version: 2 });
    const removed = detailsOf(await physician.updateFamilyHistory({ id: entry.id, version: 2, note: "y" }).catch((e: unknown) => e));
    expect(removed).toMatchObject({ currentVersion: 3, current: null, removed: true });
    expect(await historyReads(patient.id)).toBe(0);
  });
});

describe("bad input: BAD_REQUEST naming the field, nothing written", () => {
  let patientId: string;
  beforeAll(async () => {
    patientId = (await createPatient(fixture.clinic.id, { dateOfBirth: "1980-05-01" })).id;
  });
  const nothingWritten = async () => {
    expect(await db.pastCondition.count({ where: { patientId } })).toBe(0);
    expect(await db.pastSurgery.count({ where: { patientId } })).toBe(0);
    expect(await db.familyHistoryItem.count({ where: { patientId } })).toBe(0);
    expect(await db.socialHistory.count({ where: { patientId } })).toBe(0);
    expect(await db.auditEvent.count({ where: { patientId, action: { startsWith: "patients.history.add" } } })).toBe(0);
  };

  it.each([
    ["a future onset year", { onsetYear: thisYear + 1, description: "Gout" }, ["onsetYear: Onset year cannot be in the future"]],
    ["an onset year before 1900", { onsetYear: 1850, description: "Gout" }, ["onsetYear: Onset year cannot be before 1900"]],
    ["neither words nor a code", { note: "?" }, ["description: Describe the condition or choose an ICD-10 code"]],
    ["a malformed code", { icd10Code: "diabetes" }, ["icd10Code: ICD-10 code must look like E11.9"]],
  ])("condition with %s", async (_name, fields, expected) => {
    const error = await nurse.addCondition({ patientId, ...fields }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(problems(error)).toEqual(expected);
    await nothingWritten();
  });

  it("condition with a code that does not exist", async () => {
    const error = await nurse.addCondition({ patientId, icd10Code: "E11.999" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: "ICD-10 code E11.999 does not exist" });
    expect(problems(error)).toEqual(["icd10Code: ICD-10 code E11.999 does not exist"]);
    await nothingWritten();
  });

  it("condition with an onset before the patient was born", async () => {
    const error = await nurse.addCondition({ patientId, description: "Gout", onsetYear: 1979 }).catch((e: unknown) => e);
    expect(problems(error)).toEqual(["onsetYear: Onset year cannot be before the patient was born (1980)"]);
    await nothingWritten();
  });

  it.each([
    ["a future date", `${thisYear + 1}`, "Date performed cannot be in the future"],
    ["a future month", `${thisYear + 1}-01`, "Date performed cannot be in the future"],
    ["an impossible date", "2023-02-30", "Date performed is not a real date"],
    ["another format", "03/06/2014", "Date performed must look like 2014, 2014-06 or 2014-06-03"],
  ])("surgery with %s", async (_name, performedOn, message) => {
    const error = await nurse.addSurgery({ patientId, procedure: "Appendectomy", performedOn }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(problems(error)).toEqual([`performedOn: ${message}`]);
    await nothingWritten();
  });

  it("family history with a code that does not exist and a negative age", async () => {
    const bad = await nurse.addFamilyHistory({ patientId, relative: "Father", icd10Code: "Z99.999" }).catch((e: unknown) => e);
    expect(problems(bad)).toEqual(["icd10Code: ICD-10 code Z99.999 does not exist"]);
    const age = await nurse.addFamilyHistory({ patientId, relative: "Father", condition: "Stroke", ageAtOnset: -1 }).catch((e: unknown) => e);
    expect(problems(age)).toEqual(["ageAtOnset: Age at onset cannot be negative"]);
    await nothingWritten();
  });

  it.each([
    ["NEVER", { tobaccoStatus: "NEVER", packYears: 5 }, "packYears: Pack-years applies only to former or current smokers"],
    ["UNKNOWN", { packYears: 5 }, "packYears: Pack-years applies only to former or current smokers"],
    ["negative", { tobaccoStatus: "FORMER", packYears: -1 }, "packYears: Pack-years cannot be negative"],
  ] as const)("social history with pack-years and %s", async (_name, fields, message) => {
    const error = await nurse.saveSocialHistory({ patientId, ...fields }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(problems(error)).toEqual([message]);
    await nothingWritten();
  });

  it("an update with a future onset year or an unknown code changes nothing", async () => {
    const other = await createPatient(fixture.clinic.id);
    const added = await nurse.addCondition({ patientId: other.id, icd10Code: "I10" });
    const future = await nurse.updateCondition({ id: added.id, version: 1, onsetYear: thisYear + 1 }).catch((e: unknown) => e);
    expect(problems(future)).toEqual(["onsetYear: Onset year cannot be in the future"]);
    const unknown = await nurse.updateCondition({ id: added.id, version: 1, icd10Code: "I99.999" }).catch((e: unknown) => e);
    expect(problems(unknown)).toEqual(["icd10Code: ICD-10 code I99.999 does not exist"]);
    expect(await db.pastCondition.findUniqueOrThrow({ where: { id: added.id } })).toMatchObject({ version: 1, icd10Code: "I10", onsetYear: null });
  });
});

describe("who may", () => {
  it("lets a nurse and a physician read and write", async () => {
    const patient = await createPatient(fixture.clinic.id);
    await nurse.addCondition({ patientId: patient.id, description: "Eczema" });
    await physician.addSurgery({ patientId: patient.id, procedure: "Cholecystectomy" });
    const history = await nurse.get({ patientId: patient.id });
    expect([history.conditions.length, history.surgeries.length]).toEqual([1, 1]);
  });

  it.each(["BILLING", "RECEPTIONIST", "ADMIN", "MANAGER"] as const)("refuses %s reads and writes (FORBIDDEN), writing nothing", async (role) => {
    const patient = await createPatient(fixture.clinic.id);
    const caller = await callerFor(fixture.users[role].id);
    await expect(caller.get({ patientId: patient.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.addCondition({ patientId: patient.id, description: "Eczema" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.saveSocialHistory({ patientId: patient.id, tobaccoStatus: "NEVER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.pastCondition.count({ where: { patientId: patient.id } })).toBe(0);
    const denied = await db.auditEvent.findFirst({ where: { userId: fixture.users[role].id, action: "patients.history.addCondition", outcome: "DENIED" } });
    expect(denied?.reason).toBe("missing history:write");
  });

  it("treats another clinic's patient and items as not found", async () => {
    const other = await createClinic();
    const foreign = await createPatient(other.clinic.id);
    const foreignNurse = await callerFor(other.users.NURSE.id);
    const item = await foreignNurse.addCondition({ patientId: foreign.id, description: "Gout" });

    await expect(nurse.get({ patientId: foreign.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Patient was not found." });
    await expect(nurse.addCondition({ patientId: foreign.id, description: "Gout" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(nurse.saveSocialHistory({ patientId: foreign.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(nurse.updateCondition({ id: item.id, version: 1, note: "x" })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Condition was not found." });
    await expect(nurse.removeCondition({ id: item.id, version: 1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.pastCondition.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ version: 1, deletedAt: null, note: null });
  });

  it("sends users of a merged record to the survivor", async () => {
    const survivor = await createPatient(fixture.clinic.id);
    const merged = await createPatient(fixture.clinic.id);
    const item = await nurse.addSurgery({ patientId: merged.id, procedure: "Hernia repair" });
    await db.patient.update({ where: { id: merged.id }, data: { status: "MERGED", mergedIntoId: survivor.id } });
    const message = `This record was merged into MRN ${survivor.mrn}; open that record.`;
    await expect(nurse.get({ patientId: merged.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message });
    await expect(nurse.addCondition({ patientId: merged.id, description: "Gout" })).rejects.toMatchObject({ code: "BAD_REQUEST", message });
    await expect(nurse.updateSurgery({ id: item.id, version: 1, note: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST", message });
  });
});

describe("audit", () => {
  it("records every read and write with actor, resource and patient", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const condition = await nurse.addCondition({ patientId: patient.id, description: "Psoriasis" });
    await nurse.updateCondition({ id: condition.id, version: 1, resolved: true });
    await nurse.removeCondition({ id: condition.id, version: 2 });
    const surgery = await nurse.addSurgery({ patientId: patient.id, procedure: "Knee arthroscopy" });
    await nurse.updateSurgery({ id: surgery.id, version: 1, performedOn: "2019" });
    await nurse.removeSurgery({ id: surgery.id, version: 2 });
    const family = await nurse.addFamilyHistory({ patientId: patient.id, relative: "Sister", condition: "Lupus" });
    await nurse.updateFamilyHistory({ id: family.id, version: 1, ageAtOnset: 30 });
    await nurse.removeFamilyHistory({ id: family.id, version: 2 });
    await nurse.saveSocialHistory({ patientId: patient.id, tobaccoStatus: "NEVER" });
    await physician.get({ patientId: patient.id });

    const rows = await db.auditEvent.findMany({ where: { patientId: patient.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.action, r.resourceType, r.resourceId])).toEqual([
      ["patients.history.addCondition", "PastCondition", condition.id],
      ["patients.history.updateCondition", "PastCondition", condition.id],
      ["patients.history.removeCondition", "PastCondition", condition.id],
      ["patients.history.addSurgery", "PastSurgery", surgery.id],
      ["patients.history.updateSurgery", "PastSurgery", surgery.id],
      ["patients.history.removeSurgery", "PastSurgery", surgery.id],
      ["patients.history.addFamilyHistory", "FamilyHistoryItem", family.id],
      ["patients.history.updateFamilyHistory", "FamilyHistoryItem", family.id],
      ["patients.history.removeFamilyHistory", "FamilyHistoryItem", family.id],
      ["patients.history.saveSocialHistory", "SocialHistory", patient.id],
      ["patients.history.get", "Patient", patient.id],
    ]);
    expect(rows.slice(0, -1).every((r) => r.userId === fixture.users.NURSE.id && r.role === "NURSE" && r.outcome === "SUCCESS")).toBe(true);
    expect(rows.at(-1)).toMatchObject({ userId: fixture.users.PHYSICIAN.id, clinicId: fixture.clinic.id, ip: "127.0.0.1", outcome: "SUCCESS" });
    expect(rows.every((r) => r.sessionId)).toBe(true);
  });
});
