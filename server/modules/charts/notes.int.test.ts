import * as Y from "yjs";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, createAppointment, createClinic, createPatient, createScheduling, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";
import { noteContentHash } from "./encounters.ts";
import { appendNoteUpdate, loadNoteDoc, noteTexts } from "./note-doc.ts";
import { BUILT_IN_TEMPLATES } from "./templates.ts";
import { failure } from "../../../tests/helpers/failure.ts";

/**
 * Encounters and notes: opening (from an appointment, once; ad hoc), templates, the plain save
 * with its version check, signing (nurses cannot; the converged live text is what is signed; the
 * database refuses every later change) and addenda.
 */

let fixture: ClinicFixture;
let setup: Awaited<ReturnType<typeof createScheduling>>;
let physician: Awaited<ReturnType<typeof callerFor>>;
let nurse: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  fixture = await createClinic();
  setup = await createScheduling(fixture);
  [physician, nurse] = await Promise.all([callerFor(fixture.users.PHYSICIAN.id), callerFor(fixture.users.NURSE.id)]);
});

async function openAdHoc(patientId: string, type: "ACUTE" | "OFFICE_VISIT" | "FOLLOW_UP" = "ACUTE") {
  const { encounter } = await nurse.charts.openEncounter({ patientId, providerId: setup.provider.id, type, reasonForVisit: "Sore throat" });
  return encounter;
}

describe("opening an encounter", () => {
  it("from an arrived appointment: once (a second open returns it), with the type's template as the note", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const appointment = await createAppointment(fixture, setup, patient.id, { status: "ROOMED", reason: "Knee pain" });
    const first = await nurse.charts.openEncounter({ appointmentId: appointment.id, type: "FOLLOW_UP" });
    expect(first).toMatchObject({
      created: true,
      encounter: { patientId: patient.id, appointmentId: appointment.id, type: "FOLLOW_UP", reasonForVisit: "Knee pain", status: "OPEN", provider: { id: setup.provider.id, name: fixture.users.PHYSICIAN.name }, location: { id: setup.location.id } },
    });
    const again = await physician.charts.openEncounter({ appointmentId: appointment.id });
    expect(again).toMatchObject({ created: false, encounter: { id: first.encounter.id } });
    expect(await db.encounter.count({ where: { appointmentId: appointment.id } })).toBe(1);

    const detail = await physician.charts.encounter({ encounterId: first.encounter.id });
    expect(detail.note).toMatchObject({ id: first.encounter.noteId, subjective: BUILT_IN_TEMPLATES.FOLLOW_UP.subjective, plan: BUILT_IN_TEMPLATES.FOLLOW_UP.plan, version: 1, live: false, signedAt: null });
    expect(await db.auditEvent.count({ where: { action: "charts.openEncounter", resourceId: first.encounter.id } })).toBe(1);
  });

  it("refuses an appointment the patient has not arrived for, and one of another clinic", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const booked = await createAppointment(fixture, setup, patient.id, { status: "BOOKED" });
    const error = await failure(nurse.charts.openEncounter({ appointmentId: booked.id }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("once the patient has arrived") });
    expect(Object.keys(error.cause!.fieldErrors!)).toEqual(["appointmentId"]);

    const other = await createClinic();
    const otherSetup = await createScheduling(other);
    const foreign = await createAppointment(other, otherSetup, (await createPatient(other.clinic.id)).id);
    expect((await failure(nurse.charts.openEncounter({ appointmentId: foreign.id }))).code).toBe("NOT_FOUND");
    expect(await db.encounter.count({ where: { appointmentId: { in: [booked.id, foreign.id] } } })).toBe(0);
  });

  it("ad hoc: names each missing field; refuses another clinic's provider", async () => {
    const error = await failure(nurse.charts.openEncounter({}));
    expect(error.code).toBe("BAD_REQUEST");
    expect((error.cause?.issues ?? []).map((i) => i.path.join(".")).sort()).toEqual(["patientId", "providerId", "type"]);
    const patient = await createPatient(fixture.clinic.id);
    const other = await createScheduling(await createClinic());
    const foreign = await failure(nurse.charts.openEncounter({ patientId: patient.id, providerId: other.provider.id, type: "ACUTE" }));
    expect(foreign).toMatchObject({ code: "BAD_REQUEST", cause: { fieldErrors: { providerId: expect.any(Array) } } });
    expect(await db.encounter.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("the timeline pages encounters newest first", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await openAdHoc(patient.id)).id);
    const first = await physician.charts.timeline({ patientId: patient.id, limit: 2 });
    expect(first.items.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toBeTruthy();
    const second = await physician.charts.timeline({ patientId: patient.id, limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
    expect((await failure(physician.charts.timeline({ patientId: patient.id, cursor: "garbage" }))).code).toBe("BAD_REQUEST");
  });
});

describe("at the same time", () => {
  it("ten simultaneous opens of one appointment make one encounter", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const appointment = await createAppointment(fixture, setup, patient.id, { status: "IN_VISIT" });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? nurse : physician).charts.openEncounter({ appointmentId: appointment.id })));
    expect(new Set(results.map((r) => r.encounter.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.note.count({ where: { patientId: patient.id } })).toBe(1);
  });

  it("of ten simultaneous saves of one version, one wins and nine are told who won", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const encounter = await openAdHoc(patient.id);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => physician.charts.saveNote({ noteId: encounter.noteId!, version: 1, plan: `Plan ${i}` })));
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof physician.charts.saveNote>>> => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as { code: string; message: string });
    expect(lost.map((e) => e.code)).toEqual(Array(9).fill("CONFLICT"));
    expect(lost.every((e) => e.message.includes(fixture.users.PHYSICIAN.name))).toBe(true);
    expect(await db.note.findUniqueOrThrow({ where: { id: encounter.noteId! }, select: { plan: true, version: true } })).toEqual({ plan: won[0]!.value.plan, version: 2 });
  });
});

describe("saving a note", () => {
  it("saves sections, and refuses a stale save naming who, with both versions and their text", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const encounter = await openAdHoc(patient.id);
    const saved = await nurse.charts.saveNote({ noteId: encounter.noteId!, version: 1, subjective: "Sore throat for 2 days, no fever." });
    expect(saved).toMatchObject({ subjective: "Sore throat for 2 days, no fever.", version: 2, updatedBy: { name: fixture.users.NURSE.name } });
    const stale = await failure(physician.charts.saveNote({ noteId: encounter.noteId!, version: 1, subjective: "Cough." }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toContain(fixture.users.NURSE.name);
    expect(stale.cause?.details).toMatchObject({ currentVersion: 2, yourVersion: 1, changedBy: fixture.users.NURSE.name, current: { subjective: "Sore throat for 2 days, no fever.", version: 2 } });
    expect(await db.auditEvent.count({ where: { action: "charts.saveNote", resourceId: encounter.noteId! } })).toBe(1);
  });

  it("feeds a save into the live document, keeping what editors typed elsewhere", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const encounter = await openAdHoc(patient.id);
    const noteId = encounter.noteId!;
    // An editor opens the note (seeding its document) and types into the plan.
    const editor = await loadNoteDoc(db, noteId);
    const before = Y.encodeStateVector(editor);
    editor.getText("plan").insert(0, "Rapid strep test. ");
    await appendNoteUpdate(db, noteId, Y.encodeStateAsUpdate(editor, before));
    // Someone without the live editor saves the subjective.
    await physician.charts.saveNote({ noteId, version: 1, subjective: "Fever 38.5 since yesterday." });
    const converged = noteTexts(await loadNoteDoc(db, noteId));
    expect(converged.subjective).toBe("Fever 38.5 since yesterday.");
    expect(converged.plan.startsWith("Rapid strep test. ")).toBe(true);
    const detail = await physician.charts.encounter({ encounterId: encounter.id });
    expect(detail.note).toMatchObject({ live: true, subjective: "Fever 38.5 since yesterday.", plan: converged.plan });
  });
});

describe("signing", () => {
  it("a nurse cannot sign (FORBIDDEN, audited); a physician signs the converged live text", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const encounter = await openAdHoc(patient.id);
    const noteId = encounter.noteId!;
    expect((await failure(nurse.charts.signNote({ noteId, version: 1 }))).code).toBe("FORBIDDEN");
    expect(await db.auditEvent.count({ where: { userId: fixture.users.NURSE.id, action: "charts.signNote", outcome: "DENIED" } })).toBeGreaterThan(0);

    const editor = await loadNoteDoc(db, noteId);
    const before = Y.encodeStateVector(editor);
    editor.getText("assessment").insert(0, "Streptococcal pharyngitis.");
    await appendNoteUpdate(db, noteId, Y.encodeStateAsUpdate(editor, before));

    const signed = await physician.charts.signNote({ noteId, version: 1 });
    expect(signed).toMatchObject({ assessment: "Streptococcal pharyngitis.", signedBy: { name: fixture.users.PHYSICIAN.name }, contentHashValid: true, version: 2 });
    const row = await db.note.findUniqueOrThrow({ where: { id: noteId } });
    expect(row.assessment).toBe("Streptococcal pharyngitis.");
    expect(row.contentHash).toBe(noteContentHash({ ...row, signedById: row.signedById!, signedAt: row.signedAt! }));
    expect(await db.encounter.findUniqueOrThrow({ where: { id: encounter.id }, select: { status: true, signedById: true } })).toEqual({
      status: "SIGNED",
      signedById: fixture.users.PHYSICIAN.id,
    });
    expect(await db.auditEvent.count({ where: { action: "charts.signNote", resourceId: noteId, outcome: "SUCCESS" } })).toBe(1);
  });

  it("after signing: saves and re-signing are refused with a clear message; the database refuses a direct UPDATE; addenda are taken", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const encounter = await openAdHoc(patient.id);
    const noteId = encounter.noteId!;
    const addendumTooEarly = await failure(physician.charts.addAddendum({ noteId, text: "Too early." }));
    expect(addendumTooEarly).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("only for signed notes") });

    await physician.charts.saveNote({ noteId, version: 1, assessment: "Viral pharyngitis." });
    await physician.charts.signNote({ noteId, version: 2 });

    const save = await failure(nurse.charts.saveNote({ noteId, version: 3, plan: "Antibiotics." }));
    expect(save).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("This note is signed; add an addendum") });
    expect(save.message).toContain(fixture.users.PHYSICIAN.name);
    expect((await failure(physician.charts.signNote({ noteId, version: 3 }))).code).toBe("CONFLICT");

    // Not only the service: the database itself refuses, whatever the client.
    await expect(db.note.update({ where: { id: noteId }, data: { plan: "Antibiotics." } })).rejects.toThrow(/signed note is immutable/);
    await expect(db.$executeRaw`UPDATE note SET assessment = 'changed' WHERE id = ${noteId}::uuid`).rejects.toThrow(/signed note is immutable/);
    await expect(db.note.delete({ where: { id: noteId } })).rejects.toThrow(/signed note is immutable/);
    expect((await db.note.findUniqueOrThrow({ where: { id: noteId } })).assessment).toBe("Viral pharyngitis.");

    const addendum = await nurse.charts.addAddendum({ noteId, text: "Rapid strep came back negative." });
    expect(addendum).toMatchObject({ noteId, author: { name: fixture.users.NURSE.name }, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const detail = await physician.charts.encounter({ encounterId: encounter.id });
    expect(detail).toMatchObject({ encounter: { status: "SIGNED" }, note: { contentHashValid: true, assessment: "Viral pharyngitis." }, addenda: [{ id: addendum.id, text: "Rapid strep came back negative." }] });
    expect(await db.auditEvent.count({ where: { action: "charts.addAddendum", resourceId: addendum.id } })).toBe(1);
    expect((await failure(nurse.charts.addAddendum({ noteId, text: "   " }))).code).toBe("BAD_REQUEST");
  });

  it("refuses to sign an empty note", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const { encounter } = await nurse.charts.openEncounter({ patientId: patient.id, providerId: setup.provider.id, type: "OTHER" });
    const error = await failure(physician.charts.signNote({ noteId: encounter.noteId!, version: 1 }));
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("empty") });
    expect((await db.note.findUniqueOrThrow({ where: { id: encounter.noteId! } })).signedAt).toBeNull();
  });
});
