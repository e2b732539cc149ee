import * as Y from "yjs";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import type { Socket } from "socket.io-client";
import type { JoinAck, UpdateAck } from "../../server/realtime/collab.ts";
import { getSocket } from "./socket";

/**
 * A small Yjs provider over the app's Socket.IO connection (server side: server/realtime/collab.ts).
 *
 * - join: sends our state vector; applies what we lack; sends back what the server lacks.
 * - local changes go out as `note:update` and stay "unacked" until the server has stored them; a
 *   change that was never acknowledged (offline, timeout, server restart) is covered by the next
 *   join's exchange, so nothing typed is lost while the tab stays open.
 * - remote changes (`note:update`) and cursors (`note:awareness`) are applied as they come.
 * - after every reconnect the provider joins again and resyncs; so it does when the server says
 *   other processes' updates may have been missed (`live:resync`, server/realtime/io.ts).
 *
 * Status: connecting (joining or re-joining), synced (editable and joined), offline, read-only
 * (signed, no chart:write, or opened read-only), denied (the server refused to open the note).
 */
export type CollabStatus = "connecting" | "synced" | "offline" | "read-only" | "denied";

export interface CollabSnapshot {
  status: CollabStatus;
  canEdit: boolean;
  signed: boolean;
  /** local changes the server has not confirmed storing yet */
  pending: number;
  /** why the note could not be opened or edited, for a person */
  message: string | null;
}

export interface NoteCollabOptions {
  /** defaults to the tab's shared connection (browser only); tests and benchmarks pass their own */
  socket?: Socket;
  /** never send changes, whatever the server allows */
  readOnly?: boolean;
}

const toBytes = (value: unknown): Uint8Array =>
  value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value as ArrayBufferLike);

const ACK_TIMEOUT_MS = 15_000;
const RETRY_MS = 2_000;

export class NoteCollab {
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  private readonly socket: Socket;
  private snapshot: CollabSnapshot = { status: "connecting", canEdit: false, signed: false, pending: 0, message: null };
  private readonly listeners = new Set<() => void>();
  private readonly unacked = new Map<number, Uint8Array>();
  private seq = 0;
  private joined = false;
  private joinGeneration = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private syncedWaiters: (() => void)[] = [];
  private flushWaiters: (() => void)[] = [];

  constructor(
    readonly noteId: string,
    private readonly options: NoteCollabOptions = {},
  ) {
    this.socket = options.socket ?? getSocket();
    this.awareness = new Awareness(this.doc);
    this.doc.on("update", this.onDocUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
    this.socket.on("connect", this.onConnect);
    this.socket.on("disconnect", this.onDisconnect);
    this.socket.on("note:update", this.onRemoteUpdate);
    this.socket.on("note:awareness", this.onRemoteAwareness);
    this.socket.on("note:status", this.onRemoteStatus);
    this.socket.on("live:resync", this.onConnect);
    if (this.socket.connected) void this.join();
    else this.set({ status: this.socket.active ? "connecting" : "offline" });
  }

  getSnapshot = (): CollabSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Resolves once the first join has applied the server's state. */
  whenSynced(): Promise<void> {
    if (this.joined) return Promise.resolve();
    return new Promise((resolve) => this.syncedWaiters.push(resolve));
  }

  /** Resolves once the server has stored every local change so far. */
  flushed(): Promise<void> {
    if (this.unacked.size === 0 && this.joined) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  text(field: string): Y.Text {
    return this.doc.getText(field);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    if (this.socket.connected) this.socket.emit("note:leave", { noteId: this.noteId });
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("note:update", this.onRemoteUpdate);
    this.socket.off("note:awareness", this.onRemoteAwareness);
    this.socket.off("note:status", this.onRemoteStatus);
    this.socket.off("live:resync", this.onConnect);
    this.awareness.off("update", this.onAwarenessUpdate);
    this.doc.off("update", this.onDocUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private set(patch: Partial<CollabSnapshot>) {
    const next = { ...this.snapshot, ...patch, pending: this.unacked.size };
    const prev = this.snapshot;
    if (next.status === prev.status && next.canEdit === prev.canEdit && next.signed === prev.signed && next.pending === prev.pending && next.message === prev.message) return;
    this.snapshot = next;
    this.listeners.forEach((listener) => listener());
  }

  private settledStatus(): CollabStatus {
    return this.snapshot.canEdit ? "synced" : "read-only";
  }

  private retrySoon() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.destroyed && this.socket.connected) void this.join();
    }, RETRY_MS);
  }

  private async join(): Promise<void> {
    if (this.destroyed) return;
    const generation = ++this.joinGeneration;
    this.joined = false;
    this.set({ status: "connecting" });
    let ack: JoinAck;
    try {
      ack = (await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck("note:join", { noteId: this.noteId, stateVector: Y.encodeStateVector(this.doc) })) as JoinAck;
    } catch {
      if (generation === this.joinGeneration) this.retrySoon();
      return;
    }
    if (this.destroyed || generation !== this.joinGeneration) return;
    if (!ack.ok) {
      if (ack.code === "unavailable") {
        this.set({ message: ack.reason });
        this.retrySoon();
      } else {
        this.set({ status: "denied", canEdit: false, message: ack.reason });
      }
      return;
    }
    Y.applyUpdate(this.doc, toBytes(ack.update), this);
    const canEdit = ack.canEdit && !this.options.readOnly;
    this.joined = true;
    if (canEdit) {
      // What the server lacks: changes made offline, or sent but never confirmed.
      const missing = Y.encodeStateAsUpdate(this.doc, toBytes(ack.stateVector));
      if (this.unacked.size > 0 || Y.decodeUpdate(missing).structs.length > 0) {
        this.unacked.clear();
        this.send(missing);
      }
    } else {
      this.unacked.clear();
    }
    this.set({ canEdit, signed: ack.signed, message: ack.signed ? "This note is signed; it can no longer be edited." : null });
    this.set({ status: this.settledStatus() });
    if (this.awareness.getLocalState() !== null) {
      this.socket.emit("note:awareness", { noteId: this.noteId, update: encodeAwarenessUpdate(this.awareness, [this.doc.clientID]) });
    }
    this.syncedWaiters.splice(0).forEach((wake) => wake());
    this.checkFlushed();
  }

  private send(update: Uint8Array) {
    const seq = ++this.seq;
    this.unacked.set(seq, update);
    this.set({});
    this.socket.timeout(ACK_TIMEOUT_MS).emit("note:update", { noteId: this.noteId, update }, (error: Error | null, ack?: UpdateAck) => {
      if (this.destroyed) return;
      if (error || !ack) {
        // No answer: it may or may not be stored. Joining again exchanges whatever is missing.
        if (this.socket.connected) this.retrySoon();
        return;
      }
      if (ack.ok) {
        this.unacked.delete(seq);
        this.set({});
        this.checkFlushed();
        return;
      }
      if (ack.code === "signed" || ack.code === "read-only") {
        this.unacked.clear();
        this.set({ canEdit: false, signed: ack.code === "signed", status: "read-only", message: ack.reason });
        this.checkFlushed();
      } else if (ack.code === "bad-request") {
        this.unacked.delete(seq);
        this.set({ message: ack.reason });
        this.checkFlushed();
      } else {
        // busy, not joined (the server restarted under us), unavailable: resync.
        this.retrySoon();
      }
    });
  }

  private checkFlushed() {
    if (this.unacked.size === 0 && this.joined) this.flushWaiters.splice(0).forEach((wake) => wake());
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    if (this.joined && this.snapshot.canEdit && this.socket.connected) this.send(update);
    else if (!this.snapshot.signed) {
      // Not joined yet (or offline): remembered, and sent by the next join's exchange.
      this.unacked.set(++this.seq, update);
      this.set({});
    }
  };

  private onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === this || !this.joined || !this.socket.connected) return;
    const changed = [...added, ...updated, ...removed].filter((id) => id === this.doc.clientID);
    if (changed.length === 0) return;
    this.socket.emit("note:awareness", { noteId: this.noteId, update: encodeAwarenessUpdate(this.awareness, changed) });
  };

  private onRemoteUpdate = (payload: { noteId: string; update: unknown }) => {
    if (payload?.noteId !== this.noteId) return;
    Y.applyUpdate(this.doc, toBytes(payload.update), this);
  };

  private onRemoteAwareness = (payload: { noteId: string; update: unknown }) => {
    if (payload?.noteId !== this.noteId) return;
    applyAwarenessUpdate(this.awareness, toBytes(payload.update), this);
  };

  private onRemoteStatus = (payload: { noteId: string; signed?: boolean }) => {
    if (payload?.noteId !== this.noteId || !payload.signed) return;
    this.unacked.clear();
    this.set({ canEdit: false, signed: true, status: "read-only", message: "This note was signed; it can no longer be edited." });
  };

  private onConnect = () => {
    void this.join();
  };

  private onDisconnect = () => {
    this.joined = false;
    this.joinGeneration++;
    // Others' cursors are stale from now on; they come back with the next join.
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    if (others.length) removeAwarenessStates(this.awareness, others, this);
    this.set({ status: "offline" });
  };
}
