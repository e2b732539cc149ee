import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { NoteCollab } from "../../app/lib/collab.ts";
import { db } from "../../server/db.ts";
import { loadNoteDoc, noteTexts } from "../../server/modules/charts/note-doc.ts";
import { createClinic, createPatient, createScheduling, DEMO_PASSWORD, type ClinicFixture } from "../factories/index.ts";
import { connected, HttpClient, waitFor } from "../helpers/http.ts";
import { freePorts, startProcess, stopProcess } from "../helpers/processes.ts";
import { eventually } from "../helpers/eventually.ts";

/**
 * Two web processes linked by a Redis of their own, which dies and comes back. Sockets stay
 * connected to their process meanwhile, so without help they would silently miss what the other
 * process relayed: each process tells its sockets that events are interrupted, then to resync, and
 * a co-editor that missed an update catches up by itself. (The shared Redis of the other tests is
 * never touched.)
 */
const [REDIS_PORT, PORT_A, PORT_B] = (await freePorts(3)) as [number, number, number];
const redisUrl = `redis://127.0.0.1:${REDIS_PORT}/0`;
let redis: ChildProcess | undefined;
let webA: ChildProcess;
let webB: ChildProcess;
let fixture: ClinicFixture;
const sockets: Socket[] = [];
const collabs: NoteCollab[] = [];

async function startRedis(): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

async function killRedis() {
  const exited = new Promise((resolve) => redis!.once("exit", resolve));
  redis!.kill("SIGKILL");
  await exited;
  redis = undefined;
}

const startWeb = (port: number) => startProcess("tests/helpers/web-process.ts", { PORT: String(port), REDIS_URL: redisUrl }, "web process ready");

beforeAll(async () => {
  redis = await startRedis();
  [webA, webB, fixture] = await Promise.all([startWeb(PORT_A), startWeb(PORT_B), createClinic()]);
}, 60_000);

afterAll(async () => {
  collabs.forEach((c) => c.destroy());
  sockets.forEach((s) => s.close());
  await Promise.all([webA, webB].filter((p) => p && p.exitCode === null && p.signalCode === null).map(stopProcess));
  redis?.kill("SIGKILL");
});

async function socketOn(port: number, email: string, options: { reconnection?: boolean } = {}): Promise<Socket> {
  const client = new HttpClient(`http://127.0.0.1:${port}`);
  expect((await client.signIn(email, DEMO_PASSWORD)).location).not.toMatch(/error/);
  const { io } = await import("socket.io-client");
  const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], extraHeaders: { cookie: client.cookieHeader }, forceNew: true, reconnection: options.reconnection ?? false });
  sockets.push(socket);
  await connected(socket);
  return socket;
}

describe("the link between web processes (Redis) drops and comes back", () => {
  it("sockets are told their view may be stale, then to resync; a co-editor catches up on what it missed", async () => {
    const { provider } = await createScheduling(fixture);
    const patient = await createPatient(fixture.clinic.id);
    const encounter = await db.encounter.create({
      data: { clinicId: fixture.clinic.id, patientId: patient.id, providerId: provider.id, type: "OFFICE_VISIT", reasonForVisit: "Cough", createdById: fixture.users.PHYSICIAN.id },
      select: { id: true },
    });
    const note = await db.note.create({ data: { clinicId: fixture.clinic.id, patientId: patient.id, encounterId: encounter.id, subjective: "Start.", createdById: fixture.users.PHYSICIAN.id }, select: { id: true } });

    const onA = new NoteCollab(note.id, { socket: await socketOn(PORT_A, fixture.users.PHYSICIAN.email) });
    const onB = new NoteCollab(note.id, { socket: await socketOn(PORT_B, fixture.users.NURSE.email) });
    collabs.push(onA, onB);
    await Promise.all([onA.whenSynced(), onB.whenSynced()]);
    const watcher = await socketOn(PORT_A, fixture.users.NURSE.email);

    const degraded = waitFor(watcher, "live:degraded", 10_000);
    await killRedis();
    await degraded;

    // B's nurse types while the link is down: stored in PostgreSQL, but the relay to A cannot go
    // out. Process B then dies, so the relay it queued for later is gone for good.
    onB.text("plan").insert(0, "Fluids.");
    await onB.flushed();
    expect(noteTexts(await loadNoteDoc(db, note.id)).plan).toBe("Fluids.");
    const bExited = new Promise((resolve) => webB.once("exit", resolve));
    webB.kill("SIGKILL");
    await bExited;
    expect(onA.text("plan").toString()).toBe("");

    const resync = waitFor(watcher, "live:resync", 20_000);
    redis = await startRedis();
    await resync;
    // A's editor never lost its connection, yet it has B's text now, as PostgreSQL does.
    await eventually(() => expect(onA.text("plan").toString()).toBe("Fluids."));
    expect(onA.getSnapshot().status).toBe("synced");
  });
});
