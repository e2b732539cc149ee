import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { NoteCollab } from "../../app/lib/collab.ts";
import { db } from "../../server/db.ts";
import { isDatabaseBusy } from "../../server/errors.ts";
import { compactNoteDoc, loadNoteDoc, materializeNoteDoc, noteTexts, NOTE_FIELDS, type NoteField } from "../../server/modules/charts/note-doc.ts";
import type { PresenceListAck } from "../../server/realtime/presence.ts";
import { createClinic, createPatient, createScheduling, DEMO_PASSWORD, type ClinicFixture } from "../factories/index.ts";
import { connected, HttpClient, waitFor } from "../helpers/http.ts";
import { freePorts, startProcess, stopProcess } from "../helpers/processes.ts";
import { eventually } from "../helpers/eventually.ts";

/**
 * Live note co-editing and chart presence across two real web processes sharing Redis and
 * PostgreSQL, driven by the browser's own provider (app/lib/collab.ts) over socket.io-client.
 * No assertion is about time: waits only bound how long a broken build may hang.
 */

const [PORT_A, PORT_B] = (await freePorts(2)) as [number, number];
const urlA = `http://127.0.0.1:${PORT_A}`;
const urlB = `http://127.0.0.1:${PORT_B}`;
let webA: ChildProcess;
let webB: ChildProcess;
let fixture: ClinicFixture;
let patientId: string;
let encounterId: string;
const sockets: Socket[] = [];
const collabs: NoteCollab[] = [];

const startWeb = (port: number) => startProcess("tests/helpers/web-process.ts", { PORT: String(port) }, "web process ready");

beforeAll(async () => {
  [webA, webB, fixture] = await Promise.all([startWeb(PORT_A), startWeb(PORT_B), createClinic()]);
  const { provider } = await createScheduling(fixture);
  patientId = (await createPatient(fixture.clinic.id)).id;
  encounterId = (
    await db.encounter.create({
      data: { clinicId: fixture.clinic.id, patientId, providerId: provider.id, type: "OFFICE_VISIT", reasonForVisit: "Cough", createdById: fixture.users.PHYSICIAN.id },
      select: { id: true },
    })
  ).id;
}, 120_000);

afterAll(async () => {
  collabs.forEach((c) => c.destroy());
  sockets.forEach((s) => s.close());
  await Promise.all([webA, webB].filter(Boolean).map(stopProcess));
});

async function newNote(subjective = "") {
  const note = await db.note.create({
    data: { clinicId: fixture.clinic.id, patientId, encounterId, subjective, createdById: fixture.users.PHYSICIAN.id },
    select: { id: true },
  });
  return note.id;
}

const sessions = new Map<string, HttpClient>();
async function signedIn(baseUrl: string, email: string): Promise<HttpClient> {
  const key = `${baseUrl} ${email}`;
  let client = sessions.get(key);
  if (!client) {
    client = new HttpClient(baseUrl);
    const { location } = await client.signIn(email, DEMO_PASSWORD);
    expect(location).not.toMatch(/error/);
    sessions.set(key, client);
  }
  return client;
}

/** A browser-like socket: cookies, and reconnection on (the provider rejoins by itself). */
async function socketFor(baseUrl: string, email: string): Promise<Socket> {
  const client = await signedIn(baseUrl, email);
  const socket = io(baseUrl, {
    transports: ["websocket"],
    extraHeaders: { cookie: client.cookieHeader },
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
  });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

async function editor(baseUrl: string, email: string, noteId: string): Promise<NoteCollab> {
  const collab = new NoteCollab(noteId, { socket: await socketFor(baseUrl, email) });
  collabs.push(collab);
  return collab;
}

async function whenStatus(collab: NoteCollab, status: string) {
  await eventually(() => expect(collab.getSnapshot().status).toBe(status));
}

const textsOf = (collab: NoteCollab) => Object.fromEntries(NOTE_FIELDS.map((f) => [f, collab.text(f).toString()])) as Record<NoteField, string>;

/** Converged: every editor shows the same text, equal to what PostgreSQL holds. */
async function converged(editors: NoteCollab[], noteId: string): Promise<Record<NoteField, string>> {
  await Promise.all(editors.map((e) => e.flushed()));
  let stored: Record<NoteField, string> | undefined;
  await eventually(async () => {
    stored = noteTexts(await loadNoteDoc(db, noteId));
    for (const e of editors) expect(textsOf(e)).toEqual(stored);
  });
  return stored!;
}

let tokenSeq = 0;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Random edits: unique tokens inserted at random places; some of one's own earlier tokens deleted. */
async function typeAway(collab: NoteCollab, count: number, inserted: Set<string>, deleted: Set<string>) {
  const mine: { field: NoteField; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    const field = NOTE_FIELDS[Math.floor(Math.random() * NOTE_FIELDS.length)]!;
    const text = collab.text(field);
    if (mine.length > 3 && Math.random() < 0.2) {
      const victim = mine.splice(Math.floor(Math.random() * mine.length), 1)[0]!;
      const target = collab.text(victim.field);
      const at = target.toString().indexOf(victim.token);
      if (at >= 0) {
        target.delete(at, victim.token.length);
        deleted.add(victim.token);
        inserted.delete(victim.token);
      }
    } else {
      const token = `[t${++tokenSeq}]`;
      // Insert at a token boundary so no token is split by another's insertion.
      const current = text.toString();
      const boundaries = [0, ...[...current.matchAll(/\]/g)].map((m) => m.index! + 1)];
      text.insert(boundaries[Math.floor(Math.random() * boundaries.length)]!, token);
      inserted.add(token);
      mine.push({ field, token });
    }
    if (i % 3 === 0) await pause(Math.random() * 15);
  }
}

describe("co-editing a note across web processes", () => {
  it("converges concurrent edits from several editors on both processes, losing nothing", async () => {
    const noteId = await newNote("Seed:");
    const editors = await Promise.all([
      editor(urlA, fixture.users.PHYSICIAN.email, noteId),
      editor(urlB, fixture.users.NURSE.email, noteId),
      editor(urlA, fixture.users.NURSE.email, noteId),
      editor(urlB, fixture.users.PHYSICIAN.email, noteId),
    ]);
    await Promise.all(editors.map((e) => e.whenSynced()));
    for (const e of editors) {
      expect(e.getSnapshot()).toMatchObject({ status: "synced", canEdit: true });
      expect(e.text("subjective").toString()).toBe("Seed:"); // seeded once, not once per process
    }
    const inserted = new Set<string>();
    const deleted = new Set<string>();
    // Compaction runs meanwhile, as another process would: folding must never drop an update that
    // commits out of id order.
    let typing = true;
    let folded = 0;
    const compactor = (async () => {
      while (typing) {
        // A database too busy to start the fold on a loaded host is not what this checks.
        folded += await compactNoteDoc(db, noteId).catch((error: unknown) => {
          if (isDatabaseBusy(error)) return 0;
          throw error;
        });
        await pause(40);
      }
    })();
    await Promise.all(editors.map((e) => typeAway(e, 40, inserted, deleted)));
    typing = false;
    await compactor;
    expect(folded).toBeGreaterThan(0);
    const stored = await converged(editors, noteId);
    const all = NOTE_FIELDS.map((f) => stored[f]).join("\n");
    for (const token of inserted) expect(all.split(token).length - 1, token).toBe(1);
    for (const token of deleted) expect(all).not.toContain(token);
    expect(stored.subjective.startsWith("Seed:") || stored.subjective.includes("Seed:")).toBe(true);
  });

  it("shows other editors' cursors under their signed-in names (a client cannot pick another's)", async () => {
    const noteId = await newNote();
    const [a, b] = await Promise.all([editor(urlA, fixture.users.PHYSICIAN.email, noteId), editor(urlB, fixture.users.NURSE.email, noteId)]);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    a.awareness.setLocalStateField("user", { name: "Somebody Else", color: "#000000" });
    a.awareness.setLocalStateField("cursor", { anchor: null, head: null });
    await eventually(() => {
      const state = b.awareness.getStates().get(a.doc.clientID) as { user?: { name: string; id: string } } | undefined;
      expect(state?.user).toMatchObject({ name: fixture.users.PHYSICIAN.name, id: fixture.users.PHYSICIAN.id });
    });
    // Leaving takes the cursor away on the other process too.
    a.destroy();
    await eventually(() => expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false));
  });

  it("survives a web process being killed: edits go on elsewhere, the client resyncs, PostgreSQL has everything", async () => {
    const noteId = await newNote("Before restart.");
    const onA = await editor(urlA, fixture.users.PHYSICIAN.email, noteId);
    const onB = await editor(urlB, fixture.users.NURSE.email, noteId);
    await Promise.all([onA.whenSynced(), onB.whenSynced()]);
    onA.text("subjective").insert(onA.text("subjective").length, " A1.");
    onB.text("plan").insert(0, "B1.");
    await converged([onA, onB], noteId);

    // Process A dies without a goodbye.
    const exited = new Promise((resolve) => webA.once("exit", resolve));
    webA.kill("SIGKILL");
    await exited;
    await whenStatus(onA, "offline");

    // Edits continue on B; A's user keeps typing offline (kept locally).
    onB.text("assessment").insert(0, "B2 while A was down.");
    onA.text("objective").insert(0, "A2 typed offline.");
    await onB.flushed();
    expect(onA.getSnapshot().pending).toBeGreaterThan(0);

    webA = await startWeb(PORT_A);
    await whenStatus(onA, "synced");
    const stored = await converged([onA, onB], noteId);
    expect(stored).toEqual({
      subjective: "Before restart. A1.",
      objective: "A2 typed offline.",
      assessment: "B2 while A was down.",
      plan: "B1.",
    });

    // A newcomer on the restarted process loads the same from PostgreSQL.
    const late = await editor(urlA, fixture.users.PHYSICIAN.email, noteId);
    await late.whenSynced();
    expect(textsOf(late)).toEqual(stored);
  });

  it("turns every editor read-only once the note is signed; the database refuses further updates", async () => {
    const noteId = await newNote("To be signed.");
    const [typist, watcher] = await Promise.all([editor(urlA, fixture.users.PHYSICIAN.email, noteId), editor(urlB, fixture.users.NURSE.email, noteId)]);
    await Promise.all([typist.whenSynced(), watcher.whenSynced()]);
    typist.text("plan").insert(0, "Fluids.");
    await converged([typist, watcher], noteId);

    // Signing as the charts service does it: lock, take the converged text, sign.
    const signedTexts = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM note WHERE id = ${noteId}::uuid FOR UPDATE`;
      const texts = (await materializeNoteDoc(tx, noteId))!;
      await tx.note.update({
        where: { id: noteId },
        data: { ...texts, signedAt: new Date(), signedById: fixture.users.PHYSICIAN.id, contentHash: createHash("sha256").update(JSON.stringify(texts)).digest("hex"), version: { increment: 1 } },
      });
      return texts;
    });
    expect(signedTexts).toMatchObject({ subjective: "To be signed.", plan: "Fluids." });

    // The next keystroke is refused by the database; every editor of the note learns it.
    typist.text("plan").insert(0, "Too late. ");
    await whenStatus(typist, "read-only");
    expect(typist.getSnapshot()).toMatchObject({ signed: true, canEdit: false });
    await whenStatus(watcher, "read-only");
    expect(watcher.getSnapshot().signed).toBe(true);
    expect(noteTexts(await loadNoteDoc(db, noteId)).plan).toBe("Fluids.");

    // Joining later: read-only from the start.
    const later = await editor(urlB, fixture.users.PHYSICIAN.email, noteId);
    await whenStatus(later, "read-only");
    expect(later.text("plan").toString()).toBe("Fluids.");
  });

  it("refuses a receptionist and another clinic's physician, and audits the attempts; opening is audited once per connection", async () => {
    const noteId = await newNote("Private.");
    const reception = await editor(urlA, fixture.users.RECEPTIONIST.email, noteId);
    await whenStatus(reception, "denied");
    expect(reception.text("subjective").toString()).toBe("");

    const other = await createClinic();
    const stranger = await editor(urlB, other.users.PHYSICIAN.email, noteId);
    await whenStatus(stranger, "denied");
    expect(stranger.getSnapshot().message).toBe("note not found");
    expect(stranger.text("subjective").toString()).toBe("");

    // The physician opens it, leaves, and opens it again on the same connection.
    const socket = await socketFor(urlA, fixture.users.PHYSICIAN.email);
    const first = new NoteCollab(noteId, { socket });
    await first.whenSynced();
    first.destroy();
    const second = new NoteCollab(noteId, { socket });
    collabs.push(second);
    await second.whenSynced();

    await eventually(async () => {
      const rows = await db.auditEvent.findMany({ where: { action: "charts.note.open", resourceId: noteId }, select: { userId: true, outcome: true, reason: true, patientId: true } });
      expect(rows).toHaveLength(3);
      expect(rows).toEqual(
        expect.arrayContaining([
          { userId: fixture.users.RECEPTIONIST.id, outcome: "DENIED", reason: "missing chart:read", patientId: null },
          { userId: other.users.PHYSICIAN.id, outcome: "DENIED", reason: "not found", patientId: null },
          { userId: fixture.users.PHYSICIAN.id, outcome: "SUCCESS", reason: null, patientId },
        ]),
      );
    });
  });

  it("refuses malformed and oversized payloads with a reason", async () => {
    const noteId = await newNote();
    const socket = await socketFor(urlA, fixture.users.PHYSICIAN.email);
    expect(await socket.timeout(5_000).emitWithAck("note:join", { noteId: "nope" })).toMatchObject({ ok: false, code: "bad-request" });
    const joined = await socket.timeout(5_000).emitWithAck("note:join", { noteId });
    expect(joined).toMatchObject({ ok: true, canEdit: true });
    expect(await socket.timeout(5_000).emitWithAck("note:update", { noteId, update: new Uint8Array([250, 1, 2]) })).toMatchObject({ ok: false, code: "bad-request" });
    expect(await socket.timeout(5_000).emitWithAck("note:update", { noteId, update: new Uint8Array(300 * 1024) })).toMatchObject({ ok: false, code: "bad-request" });
    expect(await socket.timeout(5_000).emitWithAck("note:update", { noteId, update: "text" })).toMatchObject({ ok: false, code: "bad-request" });
    expect(await db.noteDocUpdate.count({ where: { noteId } })).toBe(1); // the seed only
  });
});

describe("chart presence across web processes", () => {
  const list = (socket: Socket) => socket.timeout(5_000).emitWithAck("presence:list", { patientId }) as Promise<PresenceListAck>;

  it("lists who is in the chart and where, announces joins, moves and leaves", async () => {
    const physician = await socketFor(urlA, fixture.users.PHYSICIAN.email);
    const nurse = await socketFor(urlB, fixture.users.NURSE.email);

    expect(await physician.timeout(5_000).emitWithAck("presence:set", { patientId, section: "note" })).toEqual({ ok: true });
    const nurseSeesJoin = waitFor(physician, "presence:changed");
    expect(await nurse.timeout(5_000).emitWithAck("presence:set", { patientId, section: "vitals" })).toEqual({ ok: true });
    expect(await nurseSeesJoin).toEqual({ patientId });

    await eventually(async () => {
      const ack = await list(nurse);
      expect(ack).toEqual({
        ok: true,
        members: [
          { userId: fixture.users.PHYSICIAN.id, name: fixture.users.PHYSICIAN.name, role: "PHYSICIAN", color: expect.stringMatching(/^#[0-9a-f]{6}$/), section: "note", self: false },
          { userId: fixture.users.NURSE.id, name: fixture.users.NURSE.name, role: "NURSE", color: expect.stringMatching(/^#[0-9a-f]{6}$/), section: "vitals", self: true },
        ],
      });
    });

    const moved = waitFor(nurse, "presence:changed");
    await physician.timeout(5_000).emitWithAck("presence:set", { patientId, section: "labs" });
    await moved;
    await eventually(async () => {
      const ack = await list(nurse);
      expect(ack.ok && ack.members.find((m) => m.userId === fixture.users.PHYSICIAN.id)?.section).toBe("labs");
    });

    const left = waitFor(nurse, "presence:changed");
    physician.close();
    await left;
    await eventually(async () => {
      const ack = await list(nurse);
      expect(ack.ok && ack.members.map((m) => m.userId)).toEqual([fixture.users.NURSE.id]);
    });

    expect(await nurse.timeout(5_000).emitWithAck("presence:leave", { patientId })).toEqual({ ok: true });
    await eventually(async () => {
      const ack = await list(nurse);
      expect(ack.ok && ack.members).toEqual([]);
    });
  });

  it("refuses roles without chart access and patients of another clinic", async () => {
    const reception = await socketFor(urlA, fixture.users.RECEPTIONIST.email);
    expect(await reception.timeout(5_000).emitWithAck("presence:set", { patientId, section: "note" })).toEqual({ ok: false, reason: "chart not found" });
    expect(await list(reception)).toEqual({ ok: false, reason: "chart not found" });
    const other = await createClinic();
    const stranger = await socketFor(urlB, other.users.PHYSICIAN.email);
    expect(await stranger.timeout(5_000).emitWithAck("presence:set", { patientId, section: "note" })).toEqual({ ok: false, reason: "chart not found" });
    expect(await stranger.timeout(5_000).emitWithAck("presence:set", { patientId, section: "<script>" })).toMatchObject({ ok: false });
  });
});
