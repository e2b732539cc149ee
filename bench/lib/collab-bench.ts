/**
 * Collaboration benchmark: N editors co-edit one note over the real web processes (half on each),
 * making R edits per second in total for D seconds, through the browser's own provider
 * (app/lib/collab.ts) over socket.io-client.
 *
 * Measured: for every edit, the time from the local change (just before it is sent) until each
 * other editor has applied it (its text shows it): p50/p95/p99 over all (edit, receiver) pairs.
 * Checked: every editor ends with identical text, equal to what PostgreSQL holds; lost edits = edits
 * missing from the final text, lost deliveries = (edit, receiver) pairs never applied. Both must be 0.
 *
 * Floor, same run, same clients and messages: bare Socket.IO servers (bench/lib/collab-floor-server.ts)
 * with the same Redis adapter relaying `note:update` without session, permission, PostgreSQL or
 * audit. The difference between the two is what storing-before-relaying and the checks cost.
 *
 * Used by bench/charts-collab.ts (standalone) and bench/charts.ts. Server modules read their
 * configuration at import: set DATABASE_URL (a migrated database) and REDIS_PREFIX before calling.
 */
import os from "node:os";
import { io, type Socket } from "socket.io-client";
import type * as Y from "yjs";
import { NoteCollab } from "../../app/lib/collab.ts";
import { connected, HttpClient } from "../../tests/helpers/http.ts";
import { BENCH_PASSWORD } from "./bench-db.ts";
import { freePort, startChild, type BenchChild } from "./processes.ts";
import { markdownTable, ms, summarize, type Summary } from "./stats.ts";

export interface CollabBenchOptions {
  /** editors on the note, spread over the web processes (default 20) */
  editors?: number;
  /** edits per second, all editors together (default 10) */
  editsPerSecond?: number;
  /** measured seconds (default 60) */
  durationSeconds?: number;
  /** seconds of edits before measuring (default 3) */
  warmupSeconds?: number;
  /** bound on waiting for the last deliveries after the load stops (default 30) */
  settleSeconds?: number;
  /** web processes to use (their URLs); default: start two on process.env.DATABASE_URL */
  webUrls?: string[];
  /** also run the bare Socket.IO relay floor (default true) */
  floor?: boolean;
  log?: (line: string) => void;
}

export interface CollabRunResult {
  label: string;
  editors: number;
  processes: number;
  editsPerSecondTarget: number;
  editsPerSecondActual: number;
  /** edits made (warm-up included) */
  edits: number;
  /** edits whose deliveries are in the latency sample */
  measuredEdits: number;
  deliveriesExpected: number;
  deliveriesApplied: number;
  lostDeliveries: number;
  /** edits missing from the final text (of any editor, or of PostgreSQL) */
  lostEdits: number;
  duplicates: number;
  converged: boolean;
  /** the final document equals what PostgreSQL holds (the real server only) */
  storedMatches: boolean | null;
  latencyMs: Summary;
  finalChars: number;
  unflushedAtEnd: number;
  /** 1-minute load average when the edits started and when they stopped (a loaded host shows here) */
  loadAverage: { start: number; end: number };
}

export interface CollabBenchResult {
  startedAt: string;
  machine: { cpus: number; loadAverage: number[] };
  options: Required<Omit<CollabBenchOptions, "webUrls" | "log">>;
  ours: CollabRunResult;
  floor: CollabRunResult | null;
  target: { p95Ms: number; lost: number };
  pass: boolean;
}

const FIELDS = ["subjective", "objective", "assessment", "plan"] as const;
const TOKEN = /\{(\d+)\}/g;
const now = () => performance.now();
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, msec)));

interface Editor {
  collab: NoteCollab;
  socket: Socket;
  seen: Set<number>;
}

async function bounded<T>(promise: Promise<T>, msec: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), msec)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One run: connect the editors, type on a fixed timetable, wait for quiet, check and measure. */
async function runLoad(
  label: string,
  urls: string[],
  cookieFor: (editor: number) => string | null,
  noteId: string,
  opts: Required<Omit<CollabBenchOptions, "webUrls" | "log" | "floor">>,
  storedText: (() => Promise<string>) | null,
  log: (line: string) => void,
): Promise<CollabRunResult> {
  const editors: Editor[] = [];
  const sent = new Map<number, number>();
  const latencies: number[] = [];
  let duplicates = 0;
  let measuredFrom = Number.POSITIVE_INFINITY;

  log(`${label}: connecting ${opts.editors} editors over ${urls.length} processes`);
  for (let i = 0; i < opts.editors; i++) {
    const cookie = cookieFor(i);
    const socket = io(urls[i % urls.length]!, { transports: ["websocket"], forceNew: true, extraHeaders: cookie ? { cookie } : {}, reconnectionDelay: 200 });
    await connected(socket);
    const collab = new NoteCollab(noteId, { socket });
    const editor: Editor = { collab, socket, seen: new Set() };
    for (const field of FIELDS) {
      collab.text(field).observe((event: Y.YTextEvent) => {
        if (event.transaction.local) return;
        const at = now();
        for (const op of event.delta) {
          if (typeof op.insert !== "string") continue;
          for (const match of op.insert.matchAll(TOKEN)) {
            const k = Number(match[1]);
            if (editor.seen.has(k)) {
              duplicates++;
              continue;
            }
            editor.seen.add(k);
            const start = sent.get(k);
            if (start !== undefined && k >= measuredFrom) latencies.push(at - start);
          }
        }
      });
    }
    editors.push(editor);
  }
  const synced = await bounded(Promise.all(editors.map((e) => e.collab.whenSynced())), 60_000);
  if (synced === "timeout") throw new Error(`${label}: editors did not sync within 60 s: ${editors.map((e) => e.collab.getSnapshot().status).join(", ")}`);

  const rate = opts.editsPerSecond;
  const total = Math.round((opts.warmupSeconds + opts.durationSeconds) * rate);
  measuredFrom = Math.round(opts.warmupSeconds * rate);
  const interval = 1000 / rate;
  log(`${label}: ${total} edits at ${rate}/s (${measuredFrom} warm-up)`);
  const loadAtStart = os.loadavg()[0]!;
  const began = now();
  for (let k = 0; k < total; k++) {
    await sleep(began + k * interval - now());
    const editor = editors[k % editors.length]!;
    const text = editor.collab.text(FIELDS[Math.floor(Math.random() * FIELDS.length)]!);
    const current = text.toString();
    // Between words, so no edit lands inside another's token.
    const boundaries = [0];
    for (let i = current.indexOf("} "); i >= 0; i = current.indexOf("} ", i + 1)) boundaries.push(i + 2);
    sent.set(k, now());
    text.insert(boundaries[Math.floor(Math.random() * boundaries.length)]!, `{${k}} `);
  }
  const elapsedSeconds = (now() - began) / 1000;
  const loadAtEnd = os.loadavg()[0]!;

  // Quiet: everything stored and every edit applied everywhere (bounded).
  const settleMs = opts.settleSeconds * 1000;
  await bounded(Promise.all(editors.map((e) => e.collab.flushed())), settleMs);
  // Editor i made edits k with k % n === i; it should have applied all the others.
  const expectedPer = (index: number) => total - Math.max(0, Math.ceil((total - index) / editors.length));
  const settleUntil = now() + settleMs;
  while (now() < settleUntil && editors.some((e, i) => e.seen.size < expectedPer(i))) await sleep(50);

  const texts = editors.map((e) => FIELDS.map((f) => e.collab.text(f).toString()).join("\n"));
  const converged = texts.every((t) => t === texts[0]);
  const stored = storedText ? await storedText() : null;
  const finalTexts = stored === null ? texts : [...texts, stored];
  let lostEdits = 0;
  for (let k = 0; k < total; k++) if (finalTexts.some((t) => !t.includes(`{${k}} `))) lostEdits++;
  const deliveriesExpected = editors.reduce((sum, _, i) => sum + expectedPer(i), 0);
  const deliveriesApplied = editors.reduce((sum, e) => sum + e.seen.size, 0);
  const unflushedAtEnd = editors.reduce((sum, e) => sum + e.collab.getSnapshot().pending, 0);

  for (const e of editors) {
    e.collab.destroy();
    e.socket.close();
  }

  return {
    label,
    editors: opts.editors,
    processes: urls.length,
    editsPerSecondTarget: rate,
    editsPerSecondActual: total / elapsedSeconds,
    edits: total,
    measuredEdits: total - measuredFrom,
    deliveriesExpected,
    deliveriesApplied,
    lostDeliveries: deliveriesExpected - deliveriesApplied,
    lostEdits,
    duplicates,
    converged,
    storedMatches: stored === null ? null : stored === texts[0],
    latencyMs: summarize(latencies),
    finalChars: texts[0]!.length,
    unflushedAtEnd,
    loadAverage: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadAtEnd * 100) / 100 },
  };
}

/**
 * Runs the benchmark against the real server (and the floor). Needs a migrated database in
 * process.env.DATABASE_URL; creates its own clinic, users, patient, encounter and note there.
 */
export async function runCollabBench(options: CollabBenchOptions = {}): Promise<CollabBenchResult> {
  const opts = {
    editors: options.editors ?? 20,
    editsPerSecond: options.editsPerSecond ?? 10,
    durationSeconds: options.durationSeconds ?? 60,
    warmupSeconds: options.warmupSeconds ?? 3,
    settleSeconds: options.settleSeconds ?? 30,
    floor: options.floor ?? true,
  };
  const log = options.log ?? ((line: string) => console.log(`[collab] ${line}`));
  const startedAt = new Date().toISOString();
  const children: BenchChild[] = [];
  const childEnv = {
    DATABASE_URL: process.env.DATABASE_URL ?? "",
    REDIS_PREFIX: process.env.REDIS_PREFIX ?? "carelane-bench",
    LOG_LEVEL: "warn",
    ARGON2_MEMORY_KIB: process.env.ARGON2_MEMORY_KIB ?? "4096",
  };
  if (!childEnv.DATABASE_URL) throw new Error("runCollabBench: set DATABASE_URL (a migrated database) first");

  try {
    // Data, through the same factories as the tests (imported now: they read the configuration).
    const { db } = await import("../../server/db.ts");
    const { createClinic, createPatient, createScheduling } = await import("../../tests/factories/index.ts");
    const { loadNoteDoc, noteTexts } = await import("../../server/modules/charts/note-doc.ts");
    const tag = Math.random().toString(36).slice(2, 8);
    const fixture = await createClinic({ slug: `bench-collab-${tag}`, name: `Bench Collab ${tag}`, emailDomain: `${tag}.bench-collab.test`, password: BENCH_PASSWORD });
    const { provider } = await createScheduling(fixture);
    const patient = await createPatient(fixture.clinic.id);
    const encounter = await db.encounter.create({
      data: { clinicId: fixture.clinic.id, patientId: patient.id, providerId: provider.id, type: "OFFICE_VISIT", reasonForVisit: "Benchmark", createdById: fixture.users.PHYSICIAN.id },
      select: { id: true },
    });
    const note = await db.note.create({
      data: { clinicId: fixture.clinic.id, patientId: patient.id, encounterId: encounter.id, createdById: fixture.users.PHYSICIAN.id },
      select: { id: true },
    });

    let urls = options.webUrls;
    if (!urls) {
      log("starting 2 web processes");
      const ports = [await freePort(), await freePort()];
      if (ports[0] === ports[1]) ports[1] = await freePort();
      children.push(
        ...(await Promise.all(
          ports.map((port, i) => startChild(`web ${"AB"[i]}`, "tests/helpers/web-process.ts", { ...childEnv, PORT: String(port) }, "web process ready")),
        )),
      );
      urls = ports.map((port) => `http://127.0.0.1:${port}`);
    }

    // A physician and a nurse signed in on each process; editors share their sessions like tabs.
    const clients: HttpClient[][] = [];
    for (const url of urls) {
      const perUrl: HttpClient[] = [];
      for (const user of [fixture.users.PHYSICIAN, fixture.users.NURSE]) {
        const client = new HttpClient(url);
        const { location } = await client.signIn(user.email, BENCH_PASSWORD);
        if (/error/.test(location)) throw new Error(`sign-in failed for ${user.email} on ${url}: ${location}`);
        perUrl.push(client);
      }
      clients.push(perUrl);
    }
    const cookieFor = (i: number) => clients[i % urls!.length]![Math.floor(i / urls!.length) % 2]!.cookieHeader;
    const storedText = async () => {
      const texts = noteTexts(await loadNoteDoc(db, note.id));
      return FIELDS.map((f) => texts[f]).join("\n");
    };
    const ours = await runLoad("carelane (stored, then relayed)", urls, cookieFor, note.id, opts, storedText, log);
    log(`ours: p95 ${ms(ours.latencyMs.p95)} ms, lost ${ours.lostEdits} edits / ${ours.lostDeliveries} deliveries, converged ${ours.converged}`);

    let floor: CollabRunResult | null = null;
    if (opts.floor) {
      log("starting 2 bare Socket.IO relay servers (floor)");
      const floorKey = `${childEnv.REDIS_PREFIX}-collab-floor-${tag}:socket.io`;
      const floorPorts = [await freePort(), await freePort()];
      if (floorPorts[0] === floorPorts[1]) floorPorts[1] = await freePort();
      const floors = await Promise.all(
        floorPorts.map((port, i) => startChild(`floor ${"AB"[i]}`, "bench/lib/collab-floor-server.ts", { PORT: String(port), FLOOR_KEY: floorKey, REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0" }, "collab floor ready")),
      );
      children.push(...floors);
      floor = await runLoad(
        "floor: bare Socket.IO relay (no auth, no PostgreSQL)",
        floorPorts.map((port) => `http://127.0.0.1:${port}`),
        () => null,
        note.id,
        opts,
        null,
        log,
      );
      log(`floor: p95 ${ms(floor.latencyMs.p95)} ms`);
    }

    const target = { p95Ms: 100, lost: 0 };
    return {
      startedAt,
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      options: opts,
      ours,
      floor,
      target,
      pass: ours.latencyMs.p95 <= target.p95Ms && ours.lostEdits === 0 && ours.lostDeliveries === 0 && ours.converged && ours.storedMatches === true,
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

/** The result as one markdown table plus a line of context (also readable in a terminal). */
export function collabMarkdown(result: CollabBenchResult): string {
  const rows = [result.ours, ...(result.floor ? [result.floor] : [])].map((r) => [
    r.label,
    `${r.editors} / ${r.processes}`,
    `${ms(r.editsPerSecondActual, 1)}`,
    String(r.edits),
    `${r.deliveriesApplied}/${r.deliveriesExpected}`,
    String(r.lostEdits),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p95),
    ms(r.latencyMs.p99),
    ms(r.latencyMs.max),
    r.converged ? (r.storedMatches === false ? "no (PostgreSQL differs)" : "yes") : "NO",
    `${r.loadAverage.start} → ${r.loadAverage.end}`,
  ]);
  const table = markdownTable(
    ["run", "editors / processes", "edits/s", "edits", "applied deliveries", "lost edits", "p50 ms", "p95 ms", "p99 ms", "max ms", "identical text", "load (1 min)"],
    rows,
  );
  const o = result.options;
  return [
    table,
    "",
    `Propagation: from an editor's change until each other editor has applied it. ${o.editors} editors on one note, ${o.editsPerSecond} edits/s in total for ${o.durationSeconds} s after ${o.warmupSeconds} s warm-up; ` +
      `${result.machine.cpus} cores (load: 1-minute average while each run typed; other work shares the host). Target: p95 ≤ ${result.target.p95Ms} ms, ${result.target.lost} lost. ` +
      `Result: ${result.pass ? "PASS" : "FAIL"}.`,
  ].join("\n");
}
