import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createClinic, createPatient, createScheduling, type ClinicFixture } from "../../../tests/factories/index.ts";
import { db } from "../../db.ts";
import { env } from "../../env.ts";
import { appendNoteUpdate, closeNoteBroadcaster, compactNoteDoc, loadNoteDoc, materializeNoteDoc, noteTexts, replaceNoteText } from "./note-doc.ts";

/** The note document's storage rules, against the real database and its triggers. */

let fixture: ClinicFixture;
let patientId: string;
let encounterId: string;
let physicianId: string;

beforeAll(async () => {
  fixture = await createClinic();
  physicianId = fixture.users.PHYSICIAN.id;
  const { provider } = await createScheduling(fixture);
  patientId = (await createPatient(fixture.clinic.id)).id;
  const encounter = await db.encounter.create({
    data: { clinicId: fixture.clinic.id, patientId, providerId: provider.id, type: "OFFICE_VISIT", reasonForVisit: "Cough", createdById: physicianId },
    select: { id: true },
  });
  encounterId = encounter.id;
});

afterAll(() => closeNoteBroadcaster());

async function newNote(texts: { subjective?: string; plan?: string } = {}) {
  const { id } = await db.note.create({
    data: { clinicId: fixture.clinic.id, patientId, encounterId, createdById: physicianId, ...texts },
    select: { id: true },
  });
  return id;
}

/** A client edit: the update a fresh replica of `base` produces for `edit`. */
function clientEdit(base: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(base));
  const sv = Y.encodeStateVector(replica);
  edit(replica);
  return Y.encodeStateAsUpdate(replica, sv);
}

describe("note document", () => {
  it("is seeded from the text columns exactly once, even when loaded concurrently", async () => {
    const noteId = await newNote({ subjective: "Cough for 3 days.", plan: "Rest." });
    const docs = await Promise.all(Array.from({ length: 6 }, () => loadNoteDoc(db, noteId)));
    for (const doc of docs) expect(noteTexts(doc)).toEqual({ subjective: "Cough for 3 days.", objective: "", assessment: "", plan: "Rest." });
    expect(await db.noteDocUpdate.count({ where: { noteId } })).toBe(1);
    expect(noteTexts(await loadNoteDoc(db, noteId)).subjective).toBe("Cough for 3 days.");
  });

  it("merges concurrent client updates, compacts them, and materialises the converged text", async () => {
    const noteId = await newNote({ subjective: "Cough." });
    const base = await loadNoteDoc(db, noteId);
    const a = clientEdit(base, (d) => d.getText("subjective").insert(6, " Fever."));
    const b = clientEdit(base, (d) => d.getText("assessment").insert(0, "Viral URI"));
    const c = clientEdit(base, (d) => d.getText("subjective").insert(0, "Day 3: "));
    await Promise.all([a, b, c].map((u) => appendNoteUpdate(db, noteId, u)));
    expect(noteTexts(await loadNoteDoc(db, noteId))).toMatchObject({ subjective: "Day 3: Cough. Fever.", assessment: "Viral URI" });

    expect(await compactNoteDoc(db, noteId)).toBe(4);
    expect(await db.noteDocUpdate.count({ where: { noteId } })).toBe(0);
    const d = clientEdit(await loadNoteDoc(db, noteId), (doc) => doc.getText("plan").insert(0, "Fluids."));
    await appendNoteUpdate(db, noteId, d);

    const texts = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM note WHERE id = ${noteId}::uuid FOR UPDATE`;
      return materializeNoteDoc(tx, noteId);
    });
    expect(texts).toEqual({ subjective: "Day 3: Cough. Fever.", objective: "", assessment: "Viral URI", plan: "Fluids." });
    const note = await db.note.findUniqueOrThrow({ where: { id: noteId }, select: { docState: true, docStateUpdateId: true, version: true } });
    expect(note.docState).not.toBeNull();
    expect(note.version).toBe(1); // folding is not an edit
    expect(await db.noteDocUpdate.count({ where: { noteId } })).toBe(0);
  });

  it("keeps an update that queued behind a compaction, though the compaction folded a later one", async () => {
    const noteId = await newNote({ subjective: "Cough." });
    const base = await loadNoteDoc(db, noteId);
    const waiting = clientEdit(base, (d) => d.getText("plan").insert(0, "Fluids."));
    const folded = clientEdit(base, (d) => d.getText("assessment").insert(0, "Viral URI"));
    const compactor = new pg.Client({ connectionString: env.DATABASE_URL });
    await compactor.connect();
    try {
      // A compaction holds the note row while an append arrives: the append waits for the row.
      await compactor.query("BEGIN");
      await compactor.query("SELECT 1 FROM note WHERE id = $1 FOR UPDATE", [noteId]);
      const append = appendNoteUpdate(db, noteId, waiting);
      for (let i = 0; i < 200; i++) {
        const blocked = await compactor.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO note_doc_update%'");
        if (blocked.rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Meanwhile the compaction appends (as the seed or a save does under the lock) and folds
      // everything it can see, up to the largest id.
      const { rows } = await compactor.query<{ id: string }>("INSERT INTO note_doc_update (note_id, update) VALUES ($1, $2) RETURNING id", [noteId, Buffer.from(folded)]);
      const state = new Y.Doc();
      Y.applyUpdate(state, Y.encodeStateAsUpdate(base));
      Y.applyUpdate(state, folded);
      await compactor.query("UPDATE note SET doc_state = $2, doc_state_update_id = $3 WHERE id = $1", [noteId, Buffer.from(Y.encodeStateAsUpdate(state)), rows[0]!.id]);
      await compactor.query("DELETE FROM note_doc_update WHERE note_id = $1 AND id <= $2", [noteId, rows[0]!.id]);
      await compactor.query("COMMIT");
      await append;
    } finally {
      await compactor.end();
    }
    // The waiting update is above the fold, so it is still read: nothing typed is lost.
    expect(noteTexts(await loadNoteDoc(db, noteId))).toMatchObject({ subjective: "Cough.", assessment: "Viral URI", plan: "Fluids." });
  });

  it("has no document until one is used: materialise and replace leave the columns as the truth", async () => {
    const noteId = await newNote({ subjective: "Only columns." });
    const texts = await db.$transaction((tx) => materializeNoteDoc(tx, noteId));
    expect(texts).toBeNull();
    expect(await db.$transaction((tx) => replaceNoteText(tx, noteId, { plan: "x" }))).toBeNull();
  });

  it("replaces a field with a minimal update that merges with concurrent edits", async () => {
    const noteId = await newNote({ subjective: "Headache since Monday." });
    const base = await loadNoteDoc(db, noteId);
    // A co-editor types at the end while a save rewrites the middle word.
    const concurrent = clientEdit(base, (d) => d.getText("subjective").insert(22, " Worse at night."));
    const saved = await db.$transaction((tx) => replaceNoteText(tx, noteId, { subjective: "Headache since Sunday.", plan: "Ibuprofen." }));
    expect(saved).toBeInstanceOf(Uint8Array);
    await appendNoteUpdate(db, noteId, concurrent);
    expect(noteTexts(await loadNoteDoc(db, noteId))).toMatchObject({ subjective: "Headache since Sunday. Worse at night.", plan: "Ibuprofen." });
    // Nothing to change: nothing appended.
    const before = await db.noteDocUpdate.count({ where: { noteId } });
    expect(await db.$transaction((tx) => replaceNoteText(tx, noteId, { plan: "Ibuprofen." }))).toBeNull();
    expect(await db.noteDocUpdate.count({ where: { noteId } })).toBe(before);
  });

  it("refuses updates to a signed note with a clear error, and malformed updates", async () => {
    const noteId = await newNote({ subjective: "Signed soon." });
    const base = await loadNoteDoc(db, noteId);
    await expect(appendNoteUpdate(db, noteId, new Uint8Array([255, 255, 255]))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const valid = clientEdit(base, (d) => d.getText("plan").insert(0, "x"));
    await expect(appendNoteUpdate(db, "00000000-0000-4000-8000-000000000000", valid)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const texts = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM note WHERE id = ${noteId}::uuid FOR UPDATE`;
      const t = await materializeNoteDoc(tx, noteId);
      await tx.note.update({
        where: { id: noteId },
        data: { ...t!, signedAt: new Date(), signedById: physicianId, contentHash: createHash("sha256").update(JSON.stringify(t)).digest("hex") },
      });
      return t;
    });
    expect(texts?.subjective).toBe("Signed soon.");
    const late = clientEdit(base, (d) => d.getText("plan").insert(0, "late"));
    await expect(appendNoteUpdate(db, noteId, late)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/signed/) });
    expect(noteTexts(await loadNoteDoc(db, noteId)).subjective).toBe("Signed soon.");
  });

  it("builds a signed note's missing document in memory without writing", async () => {
    const noteId = await newNote({ subjective: "Signed without a doc." });
    await db.note.update({
      where: { id: noteId },
      data: { signedAt: new Date(), signedById: physicianId, contentHash: "a".repeat(64) },
    });
    expect(noteTexts(await loadNoteDoc(db, noteId)).subjective).toBe("Signed without a doc.");
    expect(await db.noteDocUpdate.count({ where: { noteId } })).toBe(0);
  });
});
