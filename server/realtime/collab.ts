import type { Server, Socket } from "socket.io";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { z } from "zod";
import { audit, type ScopedActor } from "../audit/audit.ts";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { DomainError } from "../errors.ts";
import { logger } from "../logger.ts";
import { can } from "../permissions/registry.ts";
import {
  appendNoteUpdate,
  compactNoteDoc,
  loadNoteDocWithMeta,
  MAX_NOTE_UPDATE_BYTES,
  NOTE_STATUS_EVENT,
  NOTE_UPDATE_EVENT,
  noteRoom,
} from "../modules/charts/note-doc.ts";
import type { SocketData } from "./io.ts";
import { userColor } from "./presence.ts";

/**
 * Yjs co-editing of notes over the app's Socket.IO connection.
 *
 * Client → server (all with an ack):
 *   note:join      {noteId, stateVector?}  → {ok, patientId, canEdit, signed, update, stateVector}
 *                  (update: what the client lacks against its state vector; stateVector: the server's,
 *                  so the client can send back what the server lacks)
 *   note:update    {noteId, update}        → {ok} | {ok:false, code, reason}
 *   note:awareness {noteId, update}        (cursor, selection; relayed, never stored)
 *   note:leave     {noteId}
 * Server → client:
 *   note:update    {noteId, update}        another editor's change (or a save's, via broadcastNoteUpdate)
 *   note:awareness {noteId, update}
 *   note:status    {noteId, signed}        the note was signed: editing is over
 *
 * Every update is appended to PostgreSQL before it is relayed, so whatever any editor has seen
 * survives a restart; a client that reconnects joins again with its state vector and the two sides
 * exchange what the other lacks. Note content travels only here, to sockets authorised one by one
 * at join (docs/decisions/note-content-over-sockets.md); it is never logged.
 */

type AnyServer = Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
type AnySocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
type Emitting = { emit(event: string, payload: unknown): void };

const MAX_STATE_VECTOR_BYTES = 64 * 1024;
const MAX_AWARENESS_BYTES = 8 * 1024;
/** Fold pending updates into the note's docState once this many have piled up. */
export const COMPACT_AFTER = 200;
/** Appends one socket may have in flight; a client past this is sending faster than we store. */
const MAX_IN_FLIGHT = 64;
const SESSION_TOUCH_MS = 60_000;

const bytes = (max: number) =>
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, "must be binary").refine((v) => v.byteLength <= max, `must be at most ${max} bytes`);

const joinInput = z.object({ noteId: z.string().uuid(), stateVector: bytes(MAX_STATE_VECTOR_BYTES).optional() });
const updateInput = z.object({ noteId: z.string().uuid(), update: bytes(MAX_NOTE_UPDATE_BYTES) });
const awarenessInput = z.object({ noteId: z.string().uuid(), update: bytes(MAX_AWARENESS_BYTES) });
const leaveInput = z.object({ noteId: z.string().uuid() });

export type JoinAck =
  | { ok: true; noteId: string; patientId: string; canEdit: boolean; signed: boolean; update: Uint8Array; stateVector: Uint8Array }
  | { ok: false; code: "bad-request" | "forbidden" | "not-found" | "unavailable"; reason: string };
export type UpdateAck = { ok: true } | { ok: false; code: "bad-request" | "not-joined" | "read-only" | "signed" | "busy" | "unavailable"; reason: string };

interface Joined {
  patientId: string;
  canEdit: boolean;
  /** awareness client ids this socket spoke for, with their last clock (to clear them on leave) */
  awareness: Map<number, number>;
}

interface CollabState {
  notes: Map<string, Joined>;
  /** notes whose opening was audited on this connection */
  audited: Set<string>;
  inFlight: number;
}

const states = new WeakMap<AnySocket, CollabState>();

// Appends per note on this process since its last compaction here (a cheap trigger; exactness is not needed).
const appendsSince = new Map<string, number>();
const compacting = new Set<string>();

function compactSoon(noteId: string, minPending: number) {
  if (compacting.has(noteId)) return;
  compacting.add(noteId);
  appendsSince.delete(noteId);
  compactNoteDoc(db, noteId, minPending)
    .catch((error: unknown) => logger.warn({ err: error, noteId }, "note compaction failed"))
    .finally(() => compacting.delete(noteId));
}

function actorOf(socket: AnySocket): ScopedActor {
  const { session } = socket.data;
  return { userId: session.user.id, clinicId: session.user.clinicId, role: session.user.role, sessionId: session.sessionId, ip: socket.handshake.address ?? null };
}

/**
 * Rewrites an awareness update so each state carries the signed-in user's name and colour (a client
 * cannot show a cursor under someone else's name), and notes the client ids and clocks it speaks for.
 * Null if the bytes are not an awareness update.
 */
export function stampAwareness(update: Uint8Array, user: { id: string; name: string }, seen: Map<number, number>): Uint8Array | null {
  try {
    const decoder = decoding.createDecoder(update);
    const encoder = encoding.createEncoder();
    const count = decoding.readVarUint(decoder);
    if (count > 16) return null;
    encoding.writeVarUint(encoder, count);
    const clocks: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
      const stamped =
        state === null || typeof state !== "object" || Array.isArray(state)
          ? null
          : { ...(state as Record<string, unknown>), user: { id: user.id, name: user.name, color: userColor(user.id), colorLight: `${userColor(user.id)}33` } };
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarString(encoder, JSON.stringify(stamped));
      clocks.push([clientId, clock]);
    }
    if (decoding.hasContent(decoder)) return null;
    for (const [clientId, clock] of clocks) seen.set(clientId, clock);
    return encoding.toUint8Array(encoder);
  } catch {
    return null;
  }
}

/** The awareness update that removes these clients' cursors (what y-protocols sends on close). */
function awarenessRemoval(seen: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, seen.size);
  for (const [clientId, clock] of seen) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock + 1);
    encoding.writeVarString(encoder, "null");
  }
  return encoding.toUint8Array(encoder);
}

function reason(error: unknown): { code: "bad-request" | "signed" | "not-found" | "unavailable"; reason: string } {
  if (error instanceof DomainError) {
    if (error.code === "CONFLICT" && (error.details as { signed?: boolean } | undefined)?.signed) return { code: "signed", reason: error.message };
    if (error.code === "BAD_REQUEST") return { code: "bad-request", reason: error.message };
    if (error.code === "NOT_FOUND") return { code: "not-found", reason: "note not found" };
  }
  return { code: "unavailable", reason: "could not reach the note; try again" };
}

export function registerCollab(io: AnyServer, socket: AnySocket): void {
  const state: CollabState = { notes: new Map(), audited: new Set(), inFlight: 0 };
  states.set(socket, state);
  const { user } = socket.data.session;
  const reply = <T>(ack: unknown): ((value: T) => void) => (typeof ack === "function" ? (ack as (value: T) => void) : () => {});
  const toRoomExceptMe = (noteId: string) => socket.to(noteRoom(noteId)) as unknown as Emitting;

  async function deny(noteId: string, patientId: string | undefined, why: string) {
    await audit(db, actorOf(socket), {
      action: "charts.note.open",
      resourceType: "Note",
      resourceId: noteId,
      patientId,
      outcome: "DENIED",
      reason: why,
    }).catch((error: unknown) => logger.warn({ err: error }, "audit of a denied note join failed"));
  }

  // Typing in a note is activity: the session's idle clock restarts (at most once a minute), as an
  // HTTP request would restart it. A session that ended meanwhile ends this connection too.
  let lastTouch = Date.now();
  async function keepSessionAlive() {
    if (Date.now() - lastTouch < SESSION_TOUCH_MS) return;
    lastTouch = Date.now();
    try {
      const { count } = await db.session.updateMany({
        where: {
          id: socket.data.session.sessionId,
          revokedAt: null,
          expiresAt: { gt: new Date() },
          // An idle session stays over: typing after a long pause does not bring it back.
          lastSeenAt: { gt: new Date(Date.now() - env.SESSION_IDLE_MINUTES * 60_000) },
        },
        data: { lastSeenAt: new Date() },
      });
      if (count === 0) socket.disconnect(true);
    } catch (error) {
      logger.warn({ err: error }, "session touch from the note channel failed");
    }
  }

  socket.on("note:join", async (input: unknown, ack?: unknown) => {
    const done = reply<JoinAck>(ack);
    const parsed = joinInput.safeParse(input);
    if (!parsed.success) return done({ ok: false, code: "bad-request", reason: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    const { noteId, stateVector } = parsed.data;
    if (!can(user.role, "chart:read")) {
      await deny(noteId, undefined, "missing chart:read");
      return done({ ok: false, code: "forbidden", reason: "your role may not read clinical notes" });
    }
    try {
      // Scope first, without creating anything: another clinic's note reads as not found.
      const owner = await db.note.findUnique({ where: { id: noteId }, select: { clinicId: true, patientId: true } });
      if (!owner || owner.clinicId !== user.clinicId) {
        await deny(noteId, undefined, "not found");
        return done({ ok: false, code: "not-found", reason: "note not found" });
      }
      // Join the room before reading: an update committed after the read is relayed to us; one
      // committed before it is in what we read. Seen twice at worst, which Yjs ignores.
      await socket.join(noteRoom(noteId));
      const loaded = await loadNoteDocWithMeta(db, noteId);
      const canEdit = !loaded.signed && can(user.role, "chart:write");
      const previous = state.notes.get(noteId);
      state.notes.set(noteId, { patientId: loaded.patientId, canEdit, awareness: previous?.awareness ?? new Map() });
      if (!state.audited.has(noteId)) {
        state.audited.add(noteId);
        await audit(db, actorOf(socket), { action: "charts.note.open", resourceType: "Note", resourceId: noteId, patientId: loaded.patientId });
      }
      let update: Uint8Array;
      try {
        update = Y.encodeStateAsUpdate(loaded.doc, stateVector);
      } catch {
        update = Y.encodeStateAsUpdate(loaded.doc); // an unreadable state vector: send everything
      }
      done({ ok: true, noteId, patientId: loaded.patientId, canEdit, signed: loaded.signed, update, stateVector: Y.encodeStateVector(loaded.doc) });
      loaded.doc.destroy();
      if (loaded.pending >= COMPACT_AFTER && !loaded.signed) compactSoon(noteId, COMPACT_AFTER);
    } catch (error) {
      await socket.leave(noteRoom(noteId));
      state.notes.delete(noteId);
      logger.warn({ err: error, noteId }, "note:join failed");
      const r = reason(error);
      done({ ok: false, code: r.code === "signed" ? "unavailable" : r.code, reason: r.reason });
    }
  });

  socket.on("note:update", async (input: unknown, ack?: unknown) => {
    const done = reply<UpdateAck>(ack);
    const parsed = updateInput.safeParse(input);
    if (!parsed.success) return done({ ok: false, code: "bad-request", reason: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    const { noteId, update } = parsed.data;
    const joined = state.notes.get(noteId);
    if (!joined) return done({ ok: false, code: "not-joined", reason: "join the note first" });
    if (!joined.canEdit) return done({ ok: false, code: "read-only", reason: "you may not edit this note" });
    if (state.inFlight >= MAX_IN_FLIGHT) return done({ ok: false, code: "busy", reason: "too many changes at once; they will be sent again" });
    state.inFlight++;
    void keepSessionAlive();
    try {
      // Stored first: nothing is relayed that a restart could lose.
      await appendNoteUpdate(db, noteId, update);
    } catch (error) {
      const r = reason(error);
      if (r.code === "signed") {
        joined.canEdit = false;
        // Everyone else still editing learns it now rather than at their next keystroke.
        (io.to(noteRoom(noteId)) as unknown as Emitting).emit(NOTE_STATUS_EVENT, { noteId, signed: true });
      } else {
        logger.warn({ err: error, noteId }, "note:update append failed");
      }
      return done({ ok: false, code: r.code === "not-found" ? "not-joined" : r.code, reason: r.reason });
    } finally {
      state.inFlight--;
    }
    toRoomExceptMe(noteId).emit(NOTE_UPDATE_EVENT, { noteId, update });
    done({ ok: true });
    const count = (appendsSince.get(noteId) ?? 0) + 1;
    appendsSince.set(noteId, count);
    if (count >= COMPACT_AFTER) compactSoon(noteId, COMPACT_AFTER);
  });

  socket.on("note:awareness", (input: unknown) => {
    const parsed = awarenessInput.safeParse(input);
    if (!parsed.success) return;
    const { noteId, update } = parsed.data;
    const joined = state.notes.get(noteId);
    if (!joined) return;
    const stamped = stampAwareness(update, user, joined.awareness);
    if (stamped) toRoomExceptMe(noteId).emit("note:awareness", { noteId, update: stamped });
  });

  async function leave(noteId: string) {
    const joined = state.notes.get(noteId);
    if (!joined) return;
    state.notes.delete(noteId);
    await socket.leave(noteRoom(noteId));
    if (joined.awareness.size) (io.to(noteRoom(noteId)) as unknown as Emitting).emit("note:awareness", { noteId, update: awarenessRemoval(joined.awareness) });
  }

  socket.on("note:leave", async (input: unknown, ack?: unknown) => {
    const parsed = leaveInput.safeParse(input);
    if (parsed.success) await leave(parsed.data.noteId);
    reply<{ ok: true }>(ack)({ ok: true });
  });

  socket.on("disconnect", () => {
    for (const [noteId, joined] of state.notes) {
      if (joined.awareness.size) (io.to(noteRoom(noteId)) as unknown as Emitting).emit("note:awareness", { noteId, update: awarenessRemoval(joined.awareness) });
    }
    state.notes.clear();
  });
}
