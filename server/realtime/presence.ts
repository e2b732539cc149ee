import { createHash } from "node:crypto";
import type { Server, Socket } from "socket.io";
import { z } from "zod";
import { db } from "../db.ts";
import { logger } from "../logger.ts";
import { can, type Role } from "../permissions/registry.ts";
import type { SocketData } from "./io.ts";

/**
 * Chart presence: who else has this patient's chart open and which section they are in.
 *
 * A socket says where it is with `presence:set`; that is kept on socket.data (one place per
 * socket) and the socket joins `presence:<patientId>`. The list is read live from the sockets in
 * that room on every web process (`fetchSockets` through the Redis adapter): no second copy to
 * expire, and a crashed process's sockets vanish with its Redis connection. Whenever the room
 * changes, its members get `presence:changed {patientId}` and ask `presence:list` again.
 *
 * Only staff identity (user id, name, role, a colour) and the section name go out: no PHI.
 */

export interface PresenceData {
  patientId: string;
  section: string;
  since: number;
}

export interface PresenceMember {
  userId: string;
  name: string;
  role: Role;
  color: string;
  section: string;
  /** true for the asking user (another tab of theirs, or this one) */
  self: boolean;
}

export type PresenceAck = { ok: true } | { ok: false; reason: string };
export type PresenceListAck = { ok: true; members: PresenceMember[] } | { ok: false; reason: string };

export const presenceRoom = (patientId: string) => `presence:${patientId}`;

const SECTION = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "section: lower-case words joined by '-'");
const setInput = z.object({ patientId: z.string().uuid(), section: SECTION });
const patientInput = z.object({ patientId: z.string().uuid() });

const COLORS = ["#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04", "#dc2626", "#4f46e5", "#059669"];

/** One stable colour per user, the same for their avatar and their cursor on every screen. */
export function userColor(userId: string): string {
  const byte = createHash("sha1").update(userId).digest()[0]!;
  return COLORS[byte % COLORS.length]!;
}

type AnyServer = Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
type AnySocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

// Patients this socket was allowed to be present on (a section change needs no second query).
const allowed = new WeakMap<AnySocket, Set<string>>();

async function mayWatch(socket: AnySocket, patientId: string): Promise<boolean> {
  const { user } = socket.data.session;
  if (!can(user.role, "chart:read")) return false;
  const seen = allowed.get(socket) ?? new Set<string>();
  allowed.set(socket, seen);
  if (seen.has(patientId)) return true;
  const found = await db.patient.count({ where: { id: patientId, clinicId: user.clinicId } });
  if (found) seen.add(patientId);
  return found > 0;
}

function announce(io: AnyServer, patientId: string) {
  (io.to(presenceRoom(patientId)) as unknown as { emit(event: string, payload: unknown): void }).emit("presence:changed", { patientId });
}

/** The members of a patient's chart right now, across every web process; one entry per user. */
export async function listPresence(io: AnyServer, patientId: string, askingUserId: string): Promise<PresenceMember[]> {
  const sockets = await io.in(presenceRoom(patientId)).fetchSockets();
  const byUser = new Map<string, PresenceMember & { since: number }>();
  for (const s of sockets) {
    const place = s.data.presence;
    if (!place || place.patientId !== patientId) continue;
    const { user } = s.data.session;
    const known = byUser.get(user.id);
    // A user with the chart open in two tabs shows once, where they moved last.
    if (known && known.since >= place.since) continue;
    byUser.set(user.id, {
      userId: user.id,
      name: user.name,
      role: user.role,
      color: userColor(user.id),
      section: place.section,
      self: user.id === askingUserId,
      since: place.since,
    });
  }
  return [...byUser.values()].sort((a, b) => a.since - b.since).map(({ since: _since, ...member }) => member);
}

export function registerPresence(io: AnyServer, socket: AnySocket): void {
  const reply = <T>(ack: unknown): ((value: T) => void) => (typeof ack === "function" ? (ack as (value: T) => void) : () => {});

  async function leaveCurrent() {
    const current = socket.data.presence;
    if (!current) return;
    socket.data.presence = undefined;
    await socket.leave(presenceRoom(current.patientId));
    announce(io, current.patientId);
  }

  socket.on("presence:set", async (input: unknown, ack?: unknown) => {
    const done = reply<PresenceAck>(ack);
    const parsed = setInput.safeParse(input);
    if (!parsed.success) return done({ ok: false, reason: parsed.error.issues[0]?.message ?? "bad presence" });
    const { patientId, section } = parsed.data;
    try {
      if (!(await mayWatch(socket, patientId))) return done({ ok: false, reason: "chart not found" });
      const current = socket.data.presence;
      if (current && current.patientId !== patientId) await leaveCurrent();
      if (current?.patientId === patientId && current.section === section) return done({ ok: true });
      socket.data.presence = { patientId, section, since: Date.now() };
      await socket.join(presenceRoom(patientId));
      announce(io, patientId);
      done({ ok: true });
    } catch (error) {
      logger.warn({ err: error }, "presence:set failed");
      done({ ok: false, reason: "could not record presence; try again" });
    }
  });

  socket.on("presence:leave", async (input: unknown, ack?: unknown) => {
    const done = reply<PresenceAck>(ack);
    const parsed = patientInput.safeParse(input);
    if (!parsed.success) return done({ ok: false, reason: "patientId: must be a uuid" });
    if (socket.data.presence?.patientId === parsed.data.patientId) await leaveCurrent();
    done({ ok: true });
  });

  socket.on("presence:list", async (input: unknown, ack?: unknown) => {
    const done = reply<PresenceListAck>(ack);
    const parsed = patientInput.safeParse(input);
    if (!parsed.success) return done({ ok: false, reason: "patientId: must be a uuid" });
    try {
      if (!(await mayWatch(socket, parsed.data.patientId))) return done({ ok: false, reason: "chart not found" });
      done({ ok: true, members: await listPresence(io, parsed.data.patientId, socket.data.session.user.id) });
    } catch (error) {
      logger.warn({ err: error }, "presence:list failed");
      done({ ok: false, reason: "could not list who is here; try again" });
    }
  });

  // After "disconnect" the socket has left its rooms, so a list asked for now no longer has it.
  socket.on("disconnect", () => {
    const current = socket.data.presence;
    if (current) announce(io, current.patientId);
  });
}
