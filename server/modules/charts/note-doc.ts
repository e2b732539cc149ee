import * as Y from "yjs";
import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import type { db as rootDb, Db, Tx } from "../../db.ts";
import { env } from "../../env.ts";
import { DomainError, notFound } from "../../errors.ts";
import { closeRedis, createRedis } from "../../redis.ts";
import { socketChannel } from "../../realtime/events.ts";

/**
 * A note's co-edited document: one Y.Doc per note, one Y.Text per SOAP field, named by the field.
 *
 * Storage: Note.docState is a compacted Yjs state that includes every NoteDocUpdate with
 * id <= Note.docStateUpdateId; later rows are pending updates in arrival order. The document is the
 * live truth while a note is being edited; the text columns are written from it at signing (and by
 * the plain save path, which also feeds its change in through replaceNoteText). A note that never had
 * a document (no docState, no update rows) is seeded once from its text columns.
 */

export const NOTE_FIELDS = ["subjective", "objective", "assessment", "plan"] as const;
export type NoteField = (typeof NOTE_FIELDS)[number];
export type NoteTexts = Record<NoteField, string>;

/** Largest Yjs update accepted from a client or the save path (a pasted page is a few KB). */
export const MAX_NOTE_UPDATE_BYTES = 256 * 1024;

/** Room of a note's editors on every web process. Not a `subscribe`-able room: joined via note:join only. */
export const noteRoom = (noteId: string) => `note:${noteId}` as const;

/** Socket event carrying a Yjs update to a note's editors (relayed by the server, or broadcast after a save). */
export const NOTE_UPDATE_EVENT = "note:update";
/** Socket event telling a note's editors it was signed (no content). */
export const NOTE_STATUS_EVENT = "note:status";

// Fixed client id for the seed: were it ever produced twice, both copies would be the same items
// (Yjs deduplicates them by id) rather than the text twice. The row lock makes that moot; this is
// the belt to its braces.
const SEED_CLIENT_ID = 0;

interface Snapshot {
  clinicId: string;
  patientId: string;
  signedAt: Date | null;
  texts: NoteTexts;
  docState: Uint8Array | null;
  docStateUpdateId: bigint | null;
  /** Pending updates (id > docStateUpdateId), in id order. */
  updates: Uint8Array[];
  lastUpdateId: bigint | null;
}

interface SnapshotRow {
  clinic_id: string;
  patient_id: string;
  signed_at: Date | null;
  subjective: string;
  objective: string;
  assessment: string;
  plan: string;
  doc_state: Uint8Array | null;
  doc_state_update_id: bigint | null;
  updates: Uint8Array[] | null;
  last_update_id: bigint | null;
}

/**
 * The note's state and its pending updates in ONE statement, so one snapshot: a compaction that
 * commits between two separate reads could otherwise fold and delete rows this reader never saw.
 */
async function readSnapshot(db: Db, noteId: string, lock: "none" | "update" = "none"): Promise<Snapshot | null> {
  if (lock === "update") {
    // Caller's transaction: take the row first, then read everything it now protects.
    await db.$queryRaw`SELECT 1 FROM note WHERE id = ${noteId}::uuid FOR UPDATE`;
  }
  const rows = await db.$queryRaw<SnapshotRow[]>`
    SELECT n.clinic_id::text AS clinic_id, n.patient_id::text AS patient_id, n.signed_at,
           n.subjective, n.objective, n.assessment, n.plan, n.doc_state, n.doc_state_update_id,
           u.updates, u.last_update_id
      FROM note n
      LEFT JOIN LATERAL (
        SELECT array_agg(d.update ORDER BY d.id) AS updates, max(d.id) AS last_update_id
          FROM note_doc_update d
         WHERE d.note_id = n.id AND d.id > COALESCE(n.doc_state_update_id, 0)
      ) u ON true
     WHERE n.id = ${noteId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return {
    clinicId: row.clinic_id,
    patientId: row.patient_id,
    signedAt: row.signed_at,
    texts: { subjective: row.subjective, objective: row.objective, assessment: row.assessment, plan: row.plan },
    docState: row.doc_state,
    docStateUpdateId: row.doc_state_update_id,
    updates: row.updates ?? [],
    lastUpdateId: row.last_update_id,
  };
}

const hasDoc = (s: Snapshot) => s.docState !== null || s.updates.length > 0;

function docFromSnapshot(s: Snapshot): Y.Doc {
  const doc = new Y.Doc();
  const parts = s.docState ? [s.docState, ...s.updates] : s.updates;
  if (parts.length > 0) Y.applyUpdate(doc, parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts));
  return doc;
}

/** The document a note with no document starts from: its text columns, written by a fixed client. */
function seedDoc(texts: NoteTexts): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = SEED_CLIENT_ID;
  doc.transact(() => {
    for (const field of NOTE_FIELDS) if (texts[field]) doc.getText(field).insert(0, texts[field]);
  });
  return doc;
}

export function noteTexts(doc: Y.Doc): NoteTexts {
  return Object.fromEntries(NOTE_FIELDS.map((f) => [f, doc.getText(f).toString()])) as NoteTexts;
}

function isTx(db: Db): db is Tx {
  return !("$transaction" in db);
}

/** Runs fn in the caller's transaction, or in a new one. */
function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return isTx(db) ? fn(db) : (db as typeof rootDb).$transaction(fn);
}

/** What the collaboration layer needs beside the document: who owns the note, whether it is signed. */
export interface LoadedNoteDoc {
  doc: Y.Doc;
  clinicId: string;
  patientId: string;
  signed: boolean;
  /** Updates not yet folded into docState (a compaction is due when this grows). */
  pending: number;
}

/**
 * Loads a note's document with its owner and status. A note with no document yet is seeded from its
 * text columns under the note row lock (re-checked there), so two processes never both seed. A signed
 * note is never written: its missing document is built in memory.
 */
export async function loadNoteDocWithMeta(db: Db, noteId: string): Promise<LoadedNoteDoc> {
  let snap = await readSnapshot(db, noteId);
  if (!snap) throw notFound("The note");
  if (!hasDoc(snap)) {
    if (snap.signedAt) return { doc: seedDoc(snap.texts), clinicId: snap.clinicId, patientId: snap.patientId, signed: true, pending: 0 };
    snap = await inTx(db, async (tx) => {
      const locked = await readSnapshot(tx, noteId, "update");
      if (!locked) throw notFound("The note");
      if (hasDoc(locked) || locked.signedAt) return locked;
      const seed = Y.encodeStateAsUpdate(seedDoc(locked.texts));
      await tx.noteDocUpdate.create({ data: { noteId, update: seed as Uint8Array<ArrayBuffer> }, select: { id: true } });
      return { ...locked, updates: [seed] };
    });
    if (!hasDoc(snap)) return { doc: seedDoc(snap.texts), clinicId: snap.clinicId, patientId: snap.patientId, signed: true, pending: 0 };
  }
  return { doc: docFromSnapshot(snap), clinicId: snap.clinicId, patientId: snap.patientId, signed: snap.signedAt !== null, pending: snap.updates.length };
}

/** A note's document: docState plus every later update (seeded from the text columns the first time). */
export async function loadNoteDoc(db: Db, noteId: string): Promise<Y.Doc> {
  return (await loadNoteDocWithMeta(db, noteId)).doc;
}

/** True if the bytes parse as a Yjs update (a malformed row would make the note unloadable for good). */
export function isValidUpdate(update: Uint8Array): boolean {
  if (update.byteLength === 0 || update.byteLength > MAX_NOTE_UPDATE_BYTES) return false;
  try {
    Y.decodeUpdate(update);
    return true;
  } catch {
    return false;
  }
}

export const noteSignedError = () =>
  new DomainError("CONFLICT", "This note has been signed and can no longer be edited. Write an addendum instead.", undefined, { signed: true });

/** The database's words from a Prisma error (driver-adapter details included), for matching only. */
function errorText(error: unknown): string {
  const e = error as { message?: unknown; meta?: unknown };
  return `${String(e?.message ?? "")} ${JSON.stringify(e?.meta ?? {})}`;
}

function isSignedRefusal(error: unknown): boolean {
  return /signed note is immutable/i.test(errorText(error));
}

/**
 * Appends one Yjs update. The database refuses it once the note is signed (its trigger locks the note
 * row, so an append and a signature are serialised): that is a CONFLICT saying so. Returns the row id.
 */
export async function appendNoteUpdate(db: Db, noteId: string, update: Uint8Array): Promise<bigint> {
  if (!isValidUpdate(update)) {
    throw new DomainError("BAD_REQUEST", `update: not a Yjs update of at most ${MAX_NOTE_UPDATE_BYTES} bytes.`, { update: ["not a valid document update"] });
  }
  try {
    // One plain INSERT: this is on every keystroke's path, before the relay.
    const rows = await db.$queryRaw<{ id: bigint }[]>`INSERT INTO note_doc_update (note_id, update) VALUES (${noteId}::uuid, ${update}) RETURNING id`;
    return rows[0]!.id;
  } catch (error) {
    if (isSignedRefusal(error)) throw noteSignedError();
    if (/note_doc_update_note_id_fkey|foreign key/i.test(errorText(error))) throw notFound("The note");
    throw error;
  }
}

async function writeCompaction(tx: Tx, noteId: string, snap: Snapshot, doc: Y.Doc): Promise<void> {
  if (snap.updates.length === 0 || snap.lastUpdateId === null) return;
  const state = Y.encodeStateAsUpdate(doc);
  // Raw SQL: folding is not an edit, so neither updatedAt nor version moves.
  await tx.$executeRaw`UPDATE note SET doc_state = ${state}, doc_state_update_id = ${snap.lastUpdateId} WHERE id = ${noteId}::uuid`;
  await tx.$executeRaw`DELETE FROM note_doc_update WHERE note_id = ${noteId}::uuid AND id <= ${snap.lastUpdateId}`;
}

/**
 * Folds pending updates into docState and returns the converged text of each field; null if the note
 * has no document (its columns are the truth). The caller (signNote) holds the note row FOR UPDATE,
 * so no append is in flight and none can start before it commits: every update is in.
 */
export async function materializeNoteDoc(tx: Tx, noteId: string): Promise<NoteTexts | null> {
  const snap = await readSnapshot(tx, noteId);
  if (!snap) throw notFound("The note");
  if (!hasDoc(snap)) return null;
  const doc = docFromSnapshot(snap);
  if (!snap.signedAt) await writeCompaction(tx, noteId, snap, doc);
  return noteTexts(doc);
}

/**
 * Compaction outside signing: folds pending updates when there are at least `minPending`. Takes the
 * note row FOR UPDATE, which waits for in-flight appends: the insert trigger takes the row FOR SHARE
 * and only then draws the row's id, so no update with a smaller id can still commit after the fold
 * (migration 20261126121500_note_update_id_under_lock). Returns how many updates were folded.
 */
export async function compactNoteDoc(db: Db, noteId: string, minPending = 1): Promise<number> {
  return inTx(db, async (tx) => {
    const snap = await readSnapshot(tx, noteId, "update");
    if (!snap || snap.signedAt || snap.updates.length < minPending) return 0;
    await writeCompaction(tx, noteId, snap, docFromSnapshot(snap));
    return snap.updates.length;
  });
}

/** Rewrites `text` into `target` with one delete and one insert around the common prefix and suffix. */
function diffInto(text: Y.Text, target: string) {
  const current = text.toString();
  if (current === target) return;
  let start = 0;
  const max = Math.min(current.length, target.length);
  while (start < max && current.charCodeAt(start) === target.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && current.charCodeAt(current.length - 1 - end) === target.charCodeAt(target.length - 1 - end)) end++;
  // Never split a surrogate pair: widen the changed range to whole code points.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  const deleteCount = current.length - start - end;
  if (deleteCount > 0) text.delete(start, deleteCount);
  const insert = target.slice(start, target.length - end);
  if (insert) text.insert(start, insert);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Applies whole-field text (from a plain save or a template) to the document as one minimal Yjs
 * update, appends it and returns it for broadcastNoteUpdate after commit. Null if the note has no
 * document (write the columns only) or nothing changed. Concurrent co-edits merge with it as usual.
 */
export async function replaceNoteText(tx: Tx, noteId: string, fields: Partial<NoteTexts>): Promise<Uint8Array | null> {
  const snap = await readSnapshot(tx, noteId);
  if (!snap) throw notFound("The note");
  if (!hasDoc(snap)) return null;
  if (snap.signedAt) throw noteSignedError();
  const doc = docFromSnapshot(snap);
  // The transaction's own update (emitted only if something changed), not a diff against a state
  // vector: that would also repeat the document's whole delete set.
  let update: Uint8Array | null = null;
  doc.on("update", (u: Uint8Array) => {
    update = update ? Y.mergeUpdates([update, u]) : u;
  });
  doc.transact(() => {
    for (const field of NOTE_FIELDS) {
      const value = fields[field];
      if (value !== undefined) diffInto(doc.getText(field), value);
    }
  });
  if (!update) return null;
  await appendNoteUpdate(tx, noteId, update);
  return update;
}

let emitterClient: Redis | undefined;
let emitter: Emitter | undefined;

/**
 * Sends an update to every editor of the note on every web process (through the Socket.IO Redis
 * adapter's channel). Call after the transaction that appended it has committed. The payload is
 * note content: it goes only to the note's room, whose members were authorised one by one at join.
 */
export function broadcastNoteUpdate(noteId: string, update: Uint8Array): void {
  getNoteEmitter().to(noteRoom(noteId)).emit(NOTE_UPDATE_EVENT, { noteId, update });
}

function getNoteEmitter(): Emitter {
  if (!emitter) {
    emitterClient = createRedis("note-emitter");
    emitter = new Emitter(emitterClient, { key: socketChannel(env.REDIS_PREFIX) });
  }
  return emitter;
}

/**
 * Tells every editor of the note that it was signed (call after signNote commits): their editors turn
 * read-only at once instead of at their next refused keystroke. Carries no content.
 */
export function broadcastNoteSigned(noteId: string): void {
  getNoteEmitter().to(noteRoom(noteId)).emit(NOTE_STATUS_EVENT, { noteId, signed: true });
}

export async function closeNoteBroadcaster(): Promise<void> {
  if (emitterClient) await closeRedis(emitterClient);
  emitterClient = undefined;
  emitter = undefined;
}
