import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { createWebServer, type WebServer } from "../../app.ts";
import { callerFor, createClinic, createPatient, createScheduling, DEMO_PASSWORD, type ClinicFixture } from "../../../tests/factories/index.ts";
import { connected, HttpClient, subscribe } from "../../../tests/helpers/http.ts";
import { db } from "../../db.ts";
import { failure, fieldsOf } from "../../../tests/helpers/failure.ts";

/**
 * Note templates managed by those with template:manage (admins, physicians): add, edit
 * (version-checked), archive and unarchive, one default per clinic and encounter type held by the
 * database, a live event to the clinic's room with ids only, and a new note from the default.
 */

let fixture: ClinicFixture;
let physician: Awaited<ReturnType<typeof callerFor>>;
let admin: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  fixture = await createClinic();
  [physician, admin] = await Promise.all([callerFor(fixture.users.PHYSICIAN.id), callerFor(fixture.users.ADMIN.id)]);
});

let counter = 0;
const uniqueName = (base: string) => `${base} ${++counter}-${Math.random().toString(36).slice(2, 7)}`;

describe("note templates", () => {
  it("adds a template for any type, lists it for the picker, audits, names the field on bad input", async () => {
    const name = uniqueName("Diabetes review");
    const added = await physician.charts.addTemplate({ name, subjective: "Glucose log:", plan: "A1c in 3 months" });
    expect(added).toMatchObject({ name, encounterType: null, subjective: "Glucose log:", objective: "", active: true, isDefault: false, version: 1, updatedBy: { name: fixture.users.PHYSICIAN.name } });
    expect(await db.auditEvent.count({ where: { action: "charts.addTemplate", resourceId: added.id } })).toBe(1);

    // A type-less template is offered for every type; the built-ins are there too.
    const forFollowUp = await physician.charts.templates({ encounterType: "FOLLOW_UP" });
    expect(forFollowUp.map((t) => t.name)).toEqual(expect.arrayContaining([name, "Follow-up"]));

    const blank = await failure(physician.charts.addTemplate({ name: "  " }));
    expect(blank.code).toBe("BAD_REQUEST");
    expect(fieldsOf(blank)).toContain("name");
    const typelessDefault = await failure(physician.charts.addTemplate({ name: uniqueName("x"), isDefault: true }));
    expect(fieldsOf(typelessDefault)).toContain("isDefault");
    const duplicate = await failure(physician.charts.addTemplate({ name }));
    expect(duplicate.code).toBe("CONFLICT");
    expect(fieldsOf(duplicate)).toContain("name");
  });

  it("updates with the version read; a stale version is refused naming who changed it", async () => {
    const added = await admin.charts.addTemplate({ name: uniqueName("Knee injection"), encounterType: "PROCEDURE", objective: "Procedure:" });
    const first = await physician.charts.updateTemplate({ id: added.id, version: 1, objective: "Procedure: knee injection" });
    expect(first).toMatchObject({ version: 2, objective: "Procedure: knee injection", updatedBy: { name: fixture.users.PHYSICIAN.name } });

    const stale = await failure(admin.charts.updateTemplate({ id: added.id, version: 1, plan: "Ice" }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toContain(fixture.users.PHYSICIAN.name);
    expect(stale.cause?.details).toMatchObject({ currentVersion: 2, yourVersion: 1, changedBy: fixture.users.PHYSICIAN.name, current: { objective: "Procedure: knee injection" } });
    expect((await db.noteTemplate.findUniqueOrThrow({ where: { id: added.id } })).plan).toBe("");

    // Another clinic's template reads as not found.
    const other = await createClinic();
    const stranger = await callerFor(other.users.PHYSICIAN.id);
    expect((await failure(stranger.charts.updateTemplate({ id: added.id, version: 2, plan: "x" }))).code).toBe("NOT_FOUND");
  });

  it("archives and unarchives (no delete); archived templates leave the picker; archiving drops the default", async () => {
    const added = await physician.charts.addTemplate({ name: uniqueName("Wound check"), encounterType: "ACUTE", isDefault: true });
    expect(added.isDefault).toBe(true);
    const archived = await physician.charts.updateTemplate({ id: added.id, version: added.version, active: false });
    expect(archived).toMatchObject({ active: false, isDefault: false });
    expect((await physician.charts.templates({ encounterType: "ACUTE" })).map((t) => t.id)).not.toContain(added.id);
    expect((await physician.charts.allTemplates({})).find((t) => t.id === added.id)).toMatchObject({ active: false });
    expect(await db.auditEvent.findFirst({ where: { action: "charts.updateTemplate", resourceId: added.id }, select: { reason: true } })).toMatchObject({ reason: "archived" });

    const defaultWhileArchived = await failure(physician.charts.updateTemplate({ id: added.id, version: archived.version, isDefault: true }));
    expect(fieldsOf(defaultWhileArchived)).toContain("isDefault");

    const back = await physician.charts.updateTemplate({ id: added.id, version: archived.version, active: true });
    expect(back).toMatchObject({ active: true, isDefault: false });
    expect((await physician.charts.templates({ encounterType: "ACUTE" })).map((t) => t.id)).toContain(added.id);
  });

  it("one default per clinic and type: a new default replaces the old one, and a new note starts from it", async () => {
    const clinic = await createClinic();
    const doctor = await callerFor(clinic.users.PHYSICIAN.id);
    const builtIn = (await doctor.charts.templates({ encounterType: "TELEHEALTH" })).find((t) => t.isDefault)!;
    expect(builtIn.name).toBe("Telehealth visit");

    const mine = await doctor.charts.addTemplate({ name: "Video follow-up", encounterType: "TELEHEALTH", subjective: "Camera on:", isDefault: true });
    const all = await doctor.charts.allTemplates({});
    expect(all.filter((t) => t.encounterType === "TELEHEALTH" && t.isDefault).map((t) => t.id)).toEqual([mine.id]);
    expect(all.find((t) => t.id === builtIn.id)).toMatchObject({ isDefault: false, version: builtIn.version + 1 });

    const setup = await createScheduling(clinic);
    const patient = await createPatient(clinic.clinic.id);
    const { encounter } = await doctor.charts.openEncounter({ patientId: patient.id, providerId: setup.provider.id, type: "TELEHEALTH" });
    const detail = await doctor.charts.encounter({ encounterId: encounter.id });
    expect(detail.note).toMatchObject({ templateId: mine.id, subjective: "Camera on:" });

    // Applying the built-in one from the picker records it on the note; an archived one is refused.
    const applied = await doctor.charts.saveNote({ noteId: detail.note!.id, version: detail.note!.version, templateId: builtIn.id, subjective: "Video visit." });
    expect(applied).toMatchObject({ templateId: builtIn.id, subjective: "Video visit." });
    const spare = await doctor.charts.addTemplate({ name: "Spare", encounterType: "TELEHEALTH", plan: "Spare plan" });
    await doctor.charts.updateTemplate({ id: spare.id, version: spare.version, active: false });
    await expect(doctor.charts.saveNote({ noteId: applied.id, version: applied.version, templateId: spare.id, plan: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "That note template is not available",
    });
    expect((await doctor.charts.encounter({ encounterId: encounter.id })).note).toMatchObject({ templateId: builtIn.id, plan: detail.note!.plan });
  });

  it("the database refuses a second default even when saves race", async () => {
    const clinic = await createClinic();
    const doctor = await callerFor(clinic.users.PHYSICIAN.id);
    await doctor.charts.templates({});
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => doctor.charts.addTemplate({ name: `Race ${i}`, encounterType: "ANNUAL_PHYSICAL", isDefault: true })),
    );
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("CONFLICT");
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    expect(await db.noteTemplate.count({ where: { clinicId: clinic.clinic.id, encounterType: "ANNUAL_PHYSICAL", isDefault: true } })).toBe(1);

    // Written past the service: the partial unique index refuses it.
    await expect(
      db.noteTemplate.create({ data: { clinicId: clinic.clinic.id, encounterType: "ANNUAL_PHYSICAL", name: "Sneaky default", isDefault: true } }),
    ).rejects.toThrow(/note_template_one_default|Unique constraint/);
    // And a default needs a type and must be active (CHECK).
    await expect(db.noteTemplate.create({ data: { clinicId: clinic.clinic.id, encounterType: null, name: "Typeless default", isDefault: true } })).rejects.toThrow(
      /note_template_default_check/,
    );
  });

  it("nurses, receptionists and others without template:manage are refused", async () => {
    const nurse = await callerFor(fixture.users.NURSE.id);
    expect((await failure(nurse.charts.addTemplate({ name: uniqueName("Nurse") }))).code).toBe("FORBIDDEN");
    const receptionist = await callerFor(fixture.users.RECEPTIONIST.id);
    expect((await failure(receptionist.charts.allTemplates({}))).code).toBe("FORBIDDEN");
  });
});

describe("template events", () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await createWebServer({ port: 0, host: "127.0.0.1", remix: "none" });
  });
  afterAll(() => server.close());

  it("announce each change to the clinic's room, ids and versions only", async () => {
    const clinic = await createClinic();
    const watcher = new HttpClient(server.url);
    await watcher.signIn(clinic.users.ADMIN.email, DEMO_PASSWORD);
    const socket: Socket = watcher.socket();
    await connected(socket);
    expect(await subscribe(socket, `clinic:${clinic.clinic.id}`)).toMatchObject({ ok: true });
    const received: Record<string, unknown>[] = [];
    socket.on("charts.templates.changed", (payload: Record<string, unknown>) => received.push(payload));

    const doctor = await callerFor(clinic.users.PHYSICIAN.id);
    const added = await doctor.charts.addTemplate({ name: "Secret text template", subjective: "PRIVATE WORDS" });
    await failure(doctor.charts.updateTemplate({ id: added.id, version: 9, plan: "x" }));
    const updated = await doctor.charts.updateTemplate({ id: added.id, version: 1, plan: "y" });

    const deadline = Date.now() + 5_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toEqual([
      { clinicId: clinic.clinic.id, templateId: added.id, version: 1 },
      { clinicId: clinic.clinic.id, templateId: added.id, version: updated.version },
    ]);
    expect(JSON.stringify(received)).not.toContain("PRIVATE");
    socket.disconnect();
  });
});
