/**
 * Scheduling benchmark: `npm run bench:scheduling` (script line: "bench:scheduling": "tsx bench/scheduling.ts").
 *
 * Three sections, each printing one summary table; results go to bench/results/scheduling.{json,md}.
 *
 *  1. Board latency. Two real web processes (child processes, tests/helpers/web-process.ts) share
 *     Redis; 200 board sockets (half on each) watch `location:<id>`; 100 check-ins go through tRPC
 *     over HTTP, alternating between the processes. Per check-in: the time from the HTTP response
 *     (and from the request start) until EVERY socket has `scheduling.appointment.checked-in` for
 *     that appointment, and every socket's own latency. Floors, same run, same 200 clients: a bare
 *     Socket.IO server emitting directly, and the same server fed through the Redis emitter.
 *  2. Booking. 200 concurrent `scheduling.book` for one slot (200 patients, several receptionists):
 *     exactly one success. Then N non-conflicting bookings over HTTP at concurrency C, against the
 *     same writes straight through `pg` (floor) and a naive check-then-insert without the
 *     exclusion constraint (which also runs the 200-way race, to show what the constraint buys).
 *  3. Reminders. 100,000 appointments, then 100,000 reminders due now scheduled (their rows, one
 *     INSERT … SELECT: scheduling a reminder is writing its row); delivery by the real workers
 *     (child `jobs/worker.ts` processes, or in-process; the batched sweep job) to the outbox
 *     transport until every reminder is SENT or --deliver-seconds pass; then every delivered
 *     reminder SCHEDULED again with the same generation and swept again: one outbox row each.
 *
 * Data goes to its own database, BENCH_SCHED_DATABASE_URL (default carelane_bench_sched), dropped,
 * created and migrated with scripts/db/engine.ts on every run; Redis keys use REDIS_PREFIX
 * carelane-bench-sched and are removed at the end.
 *
 * Options: --sections board,booking,reminders --sockets 200 --checkins 100 --warmup 10
 *          --contenders 200 --bookings 1000 --concurrency 12 --receptionists 8 --board-users 4
 *          --reminders 100000 --workers 2 (child worker processes; 0 = in-process)
 *          --deliver-seconds 300 (time given to the workers; all N when they are fast enough)
 *          --web-root DIR (run the web processes from another checkout, for an A/B of a server change:
 *          `cp -r server tests jobs package.json tsconfig.json DIR`, symlink node_modules, patch)
 */
import { mkdir, writeFile } from "node:fs/promises";
import http, { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { Emitter } from "@socket.io/redis-emitter";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import pg from "pg";
import { Server as SocketServer } from "socket.io";
import { io as ioClient, type Socket } from "socket.io-client";
import { BENCH_PASSWORD, databaseName } from "./lib/bench-db.ts";
import { backendPids, measureCpu } from "./lib/cpu.ts";
import { freePort, startChild, type BenchChild } from "./lib/processes.ts";
import { markdownTable, ms, runClosedLoop, summarize, type Summary } from "./lib/stats.ts";
import { connected, HttpClient, subscribe } from "../tests/helpers/http.ts";
import { applyMigrations, dropDatabase, ensureDatabase } from "../scripts/db/engine.ts";

// ------------------------------------------------------------------------------------------ config
// Server modules read their configuration when first imported: point them at the bench database
// and Redis prefix before importing any of them (hence the dynamic imports in main()).
const DATABASE_URL = process.env.BENCH_SCHED_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/carelane_bench_sched";
const REDIS_PREFIX = "carelane-bench-sched";
process.env.DATABASE_URL = DATABASE_URL;
process.env.REDIS_PREFIX = REDIS_PREFIX;
process.env.LOG_LEVEL ??= "warn";
// Cheaper argon2 for the bench users (as in tests): sign-in is not what is measured.
process.env.ARGON2_MEMORY_KIB ??= "4096";

const CHILD_ENV = {
  DATABASE_URL,
  REDIS_PREFIX,
  LOG_LEVEL: "warn",
  ARGON2_MEMORY_KIB: process.env.ARGON2_MEMORY_KIB,
};

const TARGETS = { boardP95Ms: 100, bookingsPerSecond: 200, enqueueSeconds: 10, deliveredPerSecond: 1_000 };
const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
const CHECKED_IN = "scheduling.appointment.checked-in";
const EMAIL_DOMAIN = "bench-sched.carelane.test";

type Section = "board" | "booking" | "reminders";

function options() {
  const { values } = parseArgs({
    options: {
      sections: { type: "string", default: "board,booking,reminders" },
      sockets: { type: "string", default: "200" },
      checkins: { type: "string", default: "100" },
      warmup: { type: "string", default: "10" },
      contenders: { type: "string", default: "200" },
      bookings: { type: "string", default: "1000" },
      concurrency: { type: "string", default: "12" },
      receptionists: { type: "string", default: "8" },
      "board-users": { type: "string", default: "4" },
      reminders: { type: "string", default: "100000" },
      workers: { type: "string", default: "2" },
      "naive-gap": { type: "string", default: "5" },
      "deliver-seconds": { type: "string", default: "300" },
      "web-root": { type: "string" },
    },
  });
  const int = (name: keyof typeof values, min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return n;
  };
  const sections = String(values.sections).split(",").map((s) => s.trim()) as Section[];
  for (const s of sections) if (!["board", "booking", "reminders"].includes(s)) throw new Error(`unknown section '${s}'`);
  return {
    sections,
    sockets: int("sockets", 2),
    checkins: int("checkins", 1),
    warmup: int("warmup", 0),
    contenders: int("contenders", 2),
    bookings: int("bookings", 1),
    concurrency: int("concurrency", 1),
    receptionists: int("receptionists", 2),
    boardUsers: int("board-users", 1),
    reminders: int("reminders", 1),
    workers: int("workers", 0),
    naiveGap: int("naive-gap", 0),
    deliverSeconds: int("deliver-seconds", 1),
    webScript: values["web-root"] ? path.resolve(String(values["web-root"]), "tests/helpers/web-process.ts") : "tests/helpers/web-process.ts",
  };
}

// ------------------------------------------------------------------------------------------ helpers
const now = () => performance.now();
const sleep = (msec: number) => new Promise<void>((resolve) => setTimeout(resolve, msec));
const load = () => os.loadavg().map((l) => Number(l.toFixed(2)));
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const trio = (s: Summary, digits = 1) => `${ms(s.p50, digits)} / ${ms(s.p95, digits)} / ${ms(s.p99, digits)}`;
const yes = (ok: boolean) => (ok ? "yes" : "NO");
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Closers run in reverse order at the end, whatever happened; each gets a few seconds. */
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
const onCleanup = (name: string, run: () => Promise<unknown>) => cleanups.push({ name, run });
async function cleanup() {
  while (cleanups.length) {
    const { name, run } = cleanups.pop()!;
    await Promise.race([run().catch((error: unknown) => console.error(`cleanup ${name}: ${(error as Error).message}`)), sleep(15_000)]);
  }
}

/**
 * Collects one event per socket per key (an appointment id) with its arrival time and resolves
 * when every socket has it. Arrivals for an unknown key (late, after a timeout) are counted.
 */
class FanOut {
  private pending = new Map<string, { times: number[]; got: number; resolve: () => void; done: Promise<void> }>();
  strays = 0;
  duplicates = 0;
  constructor(readonly sockets: number) {}
  expect(key: string) {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.pending.set(key, { times: new Array<number>(this.sockets).fill(Number.NaN), got: 0, resolve, done });
  }
  receive(key: string, socket: number, at: number) {
    const entry = this.pending.get(key);
    if (!entry) return void this.strays++;
    if (!Number.isNaN(entry.times[socket]!)) return void this.duplicates++;
    entry.times[socket] = at;
    if (++entry.got === this.sockets) entry.resolve();
  }
  /** Arrival times by socket (NaN: not received within the timeout). */
  async wait(key: string, timeoutMs: number): Promise<number[]> {
    const entry = this.pending.get(key)!;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([entry.done, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.pending.delete(key);
    return entry.times;
  }
}

interface FanOutResult {
  path: string;
  events: number;
  /** per event: the last socket's arrival, from the HTTP response (or the emit) */
  lastFromResponse: Summary;
  /** per event: the last socket's arrival, from the start of the HTTP request */
  lastFromRequest: Summary | null;
  perSocket: Summary;
  /** the HTTP mutation alone (request start to response) */
  http: Summary | null;
  missed: number;
  strays: number;
  duplicates: number;
  errors: number;
}

function fanOutResult(path: string, samples: { t0: number; t1: number; times: number[] }[], fan: FanOut, errors: number, http: boolean): FanOutResult {
  const last: number[] = [];
  const lastReq: number[] = [];
  const per: number[] = [];
  const httpMs: number[] = [];
  let missed = 0;
  for (const { t0, t1, times } of samples) {
    const got = times.filter((t) => Number.isFinite(t));
    missed += times.length - got.length;
    httpMs.push(t1 - t0);
    if (!got.length) continue;
    const max = Math.max(...got);
    last.push(max - t1);
    lastReq.push(max - t0);
    for (const t of got) per.push(t - t1);
  }
  return {
    path,
    events: samples.length,
    lastFromResponse: summarize(last),
    lastFromRequest: http ? summarize(lastReq) : null,
    perSocket: summarize(per),
    http: http ? summarize(httpMs) : null,
    missed,
    strays: fan.strays,
    duplicates: fan.duplicates,
    errors,
  };
}

async function connectAll(sockets: Socket[], batch = 25, room?: string) {
  for (let i = 0; i < sockets.length; i += batch) {
    await Promise.all(
      sockets.slice(i, i + batch).map(async (socket) => {
        await connected(socket);
        if (room) {
          const ack = await subscribe(socket, room);
          if (!ack.ok) throw new Error(`subscribe ${room} refused: ${ack.reason}`);
        }
      }),
    );
  }
}

type TrpcAnswer = { status: number; body: { result?: { data: unknown }; error?: { message: string; data: { code: string } } } };
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 512 });
/**
 * A lean keep-alive tRPC call with a signed-in client's cookies, for the booking loops. The load
 * generator shares the two cores with the servers it measures: undici's fetch (HttpClient) cost it
 * ~3.6 ms of CPU per request, node:http about a third of that. It asks for gzip like a browser,
 * so the servers do the same work either way.
 */
function leanTrpc(client: HttpClient, procedure: string, input?: unknown, kind: "query" | "mutation" = "query"): Promise<TrpcAnswer> {
  const query = kind === "query" && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : "";
  const payload = kind === "mutation" ? JSON.stringify(input ?? {}) : undefined;
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${client.baseUrl}/api/trpc/${procedure}${query}`,
      {
        method: payload ? "POST" : "GET",
        agent: keepAlive,
        headers: { cookie: client.cookieHeader, "accept-encoding": "gzip", ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          try {
            const raw = Buffer.concat(chunks);
            const text = (response.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as TrpcAnswer["body"] });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

// ------------------------------------------------------------------------------------------ main
async function main(): Promise<number> {
  const opts = options();
  const dbName = databaseName(DATABASE_URL);
  if (!dbName.includes("bench")) throw new Error(`refusing to drop ${dbName}: the benchmark database's name must contain "bench"`);
  const started = now();
  const loadAtStart = load();
  log(`load average ${loadAtStart.join(" / ")} on ${os.cpus().length} cores; sections: ${opts.sections.join(", ")}`);

  log(`recreating ${dbName}`);
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await applyMigrations(DATABASE_URL, { warn: () => {} });

  const { db } = await import("../server/db.ts");
  const { redis } = await import("../server/redis.ts");
  const { createClinic, npiFor, middayZone } = await import("../tests/factories/index.ts");
  const { localToUtc, todayIn, addDays } = await import("../server/modules/scheduling/time.ts");
  const { getQueue, closeQueues } = await import("../jobs/client.ts");
  const { QUEUES } = await import("../jobs/define.ts");
  const { closePublisher } = await import("../server/realtime/publish.ts");

  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Math.max(opts.concurrency, 16) });
  onCleanup("prisma, redis, pg", async () => {
    await closeQueues();
    await closePublisher();
    await pool.end();
    await db.$disconnect();
    redis.disconnect();
  });
  // Anything this run leaves in Redis (queues, throwaway queue, rate-limit keys) goes at the end.
  onCleanup("redis keys", async () => {
    for (const name of QUEUES) await getQueue(name).obliterate({ force: true }).catch(() => undefined);
    let cursor = "0";
    let removed = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${REDIS_PREFIX}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) removed += await redis.del(...keys);
    } while (cursor !== "0");
    if (removed) log(`removed ${removed} leftover Redis keys under ${REDIS_PREFIX}`);
  });

  // ---------------------------------------------------------------- fixture
  const fixture = await createClinic({ slug: "bench-sched", name: "Bench Scheduling Clinic", emailDomain: EMAIL_DOMAIN, password: BENCH_PASSWORD });
  const clinicId = fixture.clinic.id;
  const boardLocation = fixture.locations[0]!;
  const bookingLocation = { ...fixture.locations[1]!, timeZone: "America/New_York" };
  const actorId = fixture.users.RECEPTIONIST.id;
  const passwordHash = (await pool.query<{ h: string }>("SELECT password_hash AS h FROM app_user WHERE id = $1", [actorId])).rows[0]!.h;
  const typeId = (
    await pool.query<{ id: string }>(`INSERT INTO appointment_type (id, clinic_id, name, duration_minutes) VALUES (gen_random_uuid(), $1, 'Follow-up', 30) RETURNING id`, [clinicId])
  ).rows[0]!.id;

  let userSeq = 0;
  async function insertUsers(role: string, count: number, tag: string): Promise<{ id: string; email: string }[]> {
    const first = userSeq + 1;
    userSeq += count;
    const { rows } = await pool.query<{ id: string; email: string }>(
      `INSERT INTO app_user (id, clinic_id, email, name, role, password_hash, updated_at)
       SELECT gen_random_uuid(), $1, $2 || g || '@${EMAIL_DOMAIN}', initcap($2) || ' ' || g, $3::"Role", $4, now()
         FROM generate_series($5::int, $6::int) g ORDER BY g RETURNING id, email`,
      [clinicId, tag, role, passwordHash, first, first + count - 1],
    );
    return rows;
  }
  let npiSeq = 100_000;
  async function insertProviders(count: number, locationId: string, tag: string): Promise<string[]> {
    const users = await insertUsers("PHYSICIAN", count, tag);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO provider (id, clinic_id, user_id, npi, specialty)
       SELECT gen_random_uuid(), $1, u, n, 'Family medicine' FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS t(u, n, o) ORDER BY o RETURNING id`,
      [clinicId, users.map((u) => u.id), users.map(() => npiFor(npiSeq++))],
    );
    const ids = rows.map((r) => r.id);
    await pool.query(
      `INSERT INTO availability (id, provider_id, location_id, weekday, start_time, end_time)
       SELECT gen_random_uuid(), p, $2, w, '08:00', '18:00' FROM unnest($1::uuid[]) p, generate_series(0, 6) w`,
      [ids, locationId],
    );
    return ids;
  }
  let patientSeq = 0;
  async function insertPatients(count: number): Promise<string[]> {
    const first = patientSeq + 1;
    patientSeq += count;
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO patient (id, clinic_id, mrn, given_name, family_name, date_of_birth, sex, updated_at, email, phone_mobile)
       SELECT gen_random_uuid(), $1, nextval('patient_mrn_seq')::text, 'Bench', 'Sched' || g, date '1950-01-01' + (g % 20000), 'UNKNOWN', now(),
              'patient' || g || '@${EMAIL_DOMAIN}', '+1617555' || lpad((g % 10000)::text, 4, '0')
         FROM generate_series($2::int, $3::int) g ORDER BY g RETURNING id`,
      [clinicId, first, first + count - 1],
    );
    return rows.map((r) => r.id);
  }

  // ---------------------------------------------------------------- web processes
  const children: BenchChild[] = [];
  onCleanup("child processes", () => Promise.all(children.map((c) => c.stop())));
  let webUrls: string[] = [];
  if (opts.sections.includes("board") || opts.sections.includes("booking")) {
    const ports = [await freePort(), await freePort()];
    if (ports[0] === ports[1]) ports[1] = await freePort();
    log(`starting 2 web processes on ports ${ports.join(", ")}`);
    const webs = await Promise.all(
      ports.map((port, i) => startChild(`web ${"AB"[i]}`, opts.webScript, { ...CHILD_ENV, PORT: String(port) }, "web process ready")),
    );
    children.push(...webs);
    webUrls = ports.map((p) => `http://127.0.0.1:${p}`);
  }
  const signedIn = async (url: string, email: string) => {
    const client = new HttpClient(url);
    const result = await client.signIn(email, BENCH_PASSWORD);
    if (result.status !== 302 || result.location.includes("error")) throw new Error(`sign-in failed for ${email}: ${result.status} ${result.location}`);
    return client;
  };

  // CPU accounting: what a unit of work costs in CPU, whatever else the machine is doing.
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info("server"))?.[1] ?? 0);
  const cpuGroups = (processes: Record<string, () => number[]>) => ({ ...processes, postgres: () => backendPids(pool), redis: () => (redisPid ? [redisPid] : []) });
  const childPids = () => children.map((c) => c.process.pid ?? 0).filter(Boolean);
  const cpuText = (cpu: Record<string, number>, units: number) =>
    Object.entries(cpu)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${(v / units).toFixed(2)}`)
      .join(" + ");
  const cpuTotal = (cpu: Record<string, number>) => Object.values(cpu).reduce((a, b) => a + b, 0);

  /** What one round trip costs this machine right now (Node CPU and wall), to read the rest against. */
  const calibrate = async () => {
    const client = await pool.connect();
    const roundTrips = async (f: () => Promise<unknown>, n = 1000) => {
      for (let i = 0; i < 50; i++) await f();
      const cpu0 = process.cpuUsage();
      const t0 = now();
      for (let i = 0; i < n; i++) await f();
      const cpu = process.cpuUsage(cpu0);
      return { wallUs: ((now() - t0) * 1000) / n, cpuUs: (cpu.user + cpu.system) / n };
    };
    try {
      return { pgSelect1: await roundTrips(() => client.query("SELECT 1")), redisPing: await roundTrips(() => redis.ping()) };
    } finally {
      client.release();
    }
  };
  const calibrationStart = await calibrate();
  log(
    `one round trip from Node: pg SELECT 1 ${calibrationStart.pgSelect1.wallUs.toFixed(0)} µs wall / ${calibrationStart.pgSelect1.cpuUs.toFixed(0)} µs CPU, ` +
      `Redis PING ${calibrationStart.redisPing.wallUs.toFixed(0)} µs / ${calibrationStart.redisPing.cpuUs.toFixed(0)} µs`,
  );

  const results: Record<string, unknown> = {};
  const tables: { title: string; table: string; notes: string[] }[] = [];
  const failures: string[] = [];

  // ================================================================ 1. board latency
  if (opts.sections.includes("board")) {
    const loadBefore = load();
    const zone = middayZone();
    await pool.query(`UPDATE location SET time_zone = $2 WHERE id = $1`, [boardLocation.id, zone]);
    const total = opts.warmup + opts.checkins;
    const perProvider = 20; // 08:00 to 18:00 local, 30 minutes each
    const providers = await insertProviders(Math.ceil(total / perProvider), boardLocation.id, "boardprov");
    const patients = await insertPatients(total);
    const today = todayIn(zone);
    const day0 = localToUtc(today, "08:00", zone).getTime();
    const starts = Array.from({ length: total }, (_, i) => new Date(day0 + (Math.floor(i / providers.length) % perProvider) * 30 * 60_000));
    const { rows: appts } = await pool.query<{ id: string }>(
      `INSERT INTO appointment (id, clinic_id, patient_id, provider_id, location_id, appointment_type_id, starts_at, ends_at, created_by_id, updated_at)
       SELECT gen_random_uuid(), $1, pa, pr, $2, $3, s, s + interval '30 minutes', $4, now()
         FROM unnest($5::uuid[], $6::uuid[], $7::timestamptz[]) WITH ORDINALITY AS t(pa, pr, s, o) ORDER BY o RETURNING id`,
      [clinicId, boardLocation.id, typeId, actorId, patients, patients.map((_, i) => providers[i % providers.length]!), starts],
    );
    const appointmentIds = appts.map((a) => a.id);

    // Watchers: several users, each signed in once; their sockets go to both processes.
    const watchers = await insertUsers("NURSE", opts.boardUsers, "board");
    const watcherClients = await Promise.all(watchers.map((w, i) => signedIn(webUrls[i % 2]!, w.email)));
    const room = `location:${boardLocation.id}`;
    const fan = new FanOut(opts.sockets);
    const sockets: Socket[] = Array.from({ length: opts.sockets }, (_, i) => {
      const socket = ioClient(webUrls[i % 2]!, {
        transports: ["websocket"],
        extraHeaders: { cookie: watcherClients[Math.floor(i / 2) % watcherClients.length]!.cookieHeader },
        reconnection: false,
        forceNew: true,
      });
      socket.on(CHECKED_IN, (payload: { appointmentId: string }) => fan.receive(payload.appointmentId, i, now()));
      return socket;
    });
    onCleanup("board sockets", async () => sockets.forEach((s) => s.close()));
    log(`board: connecting ${opts.sockets} sockets (${opts.boardUsers} users, half on each process) to ${room}`);
    await connectAll(sockets, 25, room);

    // Check-ins: receptionists signed in on each process, alternating.
    const checkers = [await signedIn(webUrls[0]!, fixture.users.RECEPTIONIST.email), await signedIn(webUrls[1]!, fixture.users.RECEPTIONIST.email)];
    log(`board: ${opts.warmup} warm-up + ${opts.checkins} check-ins, local time zone ${zone}`);
    const samples: { t0: number; t1: number; times: number[] }[] = [];
    let errors = 0;
    for (let i = 0; i < total; i++) {
      const id = appointmentIds[i]!;
      fan.expect(id);
      const t0 = now();
      const response = await checkers[i % 2]!.trpc("scheduling.checkIn", { appointmentId: id }, "mutation");
      const t1 = now();
      if (response.status !== 200) {
        errors++;
        if (errors <= 3) console.error(`  check-in ${i} answered ${response.status}: ${JSON.stringify(response.body.error ?? response.body).slice(0, 300)}`);
        await fan.wait(id, 0);
        continue;
      }
      const times = await fan.wait(id, 5_000);
      if (i >= opts.warmup) samples.push({ t0, t1, times });
    }
    await sleep(200); // let stragglers be counted as strays, not silently dropped
    const ours = fanOutResult("ours: tRPC check-in → 2 web processes → Redis → sockets", samples, fan, errors, true);
    sockets.forEach((s) => s.close());

    // Floors: a bare Socket.IO server in this process with the same number of clients.
    log("board: floors (bare Socket.IO server, direct emit and through the Redis emitter)");
    const floorKey = `${REDIS_PREFIX}-floor:socket.io`;
    const pub = new Redis({ host: "127.0.0.1", port: 6379, lazyConnect: false });
    const sub = pub.duplicate();
    const emitterClient = pub.duplicate();
    const httpServer = createServer();
    const bare = new SocketServer(httpServer, { serveClient: false, adapter: createAdapter(pub, sub, { key: floorKey }) });
    bare.on("connection", (socket) => void socket.join("board"));
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const floorUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    onCleanup("floor server", async () => {
      await new Promise<void>((resolve) => bare.close(() => resolve()));
      pub.disconnect();
      sub.disconnect();
      emitterClient.disconnect();
    });
    const emitter = new Emitter(emitterClient, { key: floorKey });
    const floorFan = new FanOut(opts.sockets);
    const floorSockets = Array.from({ length: opts.sockets }, (_, i) => {
      const socket = ioClient(floorUrl, { transports: ["websocket"], reconnection: false, forceNew: true });
      socket.on(CHECKED_IN, (payload: { appointmentId: string }) => floorFan.receive(payload.appointmentId, i, now()));
      return socket;
    });
    onCleanup("floor sockets", async () => floorSockets.forEach((s) => s.close()));
    await connectAll(floorSockets, 25);
    await sleep(200);
    const floorRun = async (label: string, emit: (payload: { appointmentId: string; locationId: string; version: number }) => void) => {
      const fanSamples: { t0: number; t1: number; times: number[] }[] = [];
      for (let i = 0; i < total; i++) {
        const payload = { appointmentId: crypto.randomUUID(), locationId: boardLocation.id, version: 2 };
        floorFan.expect(payload.appointmentId);
        const t0 = now();
        emit(payload);
        const times = await floorFan.wait(payload.appointmentId, 5_000);
        if (i >= opts.warmup) fanSamples.push({ t0, t1: t0, times });
      }
      return fanOutResult(label, fanSamples, floorFan, 0, false);
    };
    const floorDirect = await floorRun("floor: bare Socket.IO, direct emit (no Redis, DB, HTTP)", (p) => bare.local.to("board").emit(CHECKED_IN, p));
    const floorRedis = await floorRun("floor: bare Socket.IO fed by the Redis emitter", (p) => emitter.to("board").emit(CHECKED_IN, p));
    floorSockets.forEach((s) => s.close());
    const loadAfter = load();

    const rows = [ours, floorDirect, floorRedis];
    const table = markdownTable(
      ["path", "all boards have it, from response: p50/p95/p99 ms", "from request start: p50/p95/p99 ms", "per socket p50/p95/p99 ms", "missed", `p95 ≤ ${TARGETS.boardP95Ms} ms`],
      rows.map((r) => [
        r.path,
        trio(r.lastFromResponse),
        r.lastFromRequest ? trio(r.lastFromRequest) : "(= from emit)",
        trio(r.perSocket),
        `${r.missed}${r.strays ? ` (+${r.strays} late)` : ""}`,
        r === ours ? yes(r.lastFromResponse.p95 <= TARGETS.boardP95Ms && r.missed === 0) : "",
      ]),
    );
    const notes = [
      `${opts.sockets} sockets (${opts.sockets / 2} per web process, ${opts.boardUsers} signed-in users), ${opts.checkins} check-ins after ${opts.warmup} warm-up, one at a time, alternating between the two processes; ${ours.errors} failed check-ins, ${ours.duplicates} duplicate deliveries.`,
      `The check-in mutation itself (request start to response): p50 ${ms(ours.http!.p50)} ms, p95 ${ms(ours.http!.p95)} ms. The event is published after the commit and before the response is written, so a negative "from response" means the boards had it first.`,
      `Floors: the same ${opts.sockets} clients on a bare Socket.IO server in the benchmark process; "from response" is from the emit.`,
      `Load average before/after: ${loadBefore[0]}/${loadAfter[0]}.`,
    ];
    if (ours.missed > 0) failures.push(`board: ${ours.missed} missed deliveries`);
    if (ours.lastFromResponse.p95 > TARGETS.boardP95Ms) failures.push(`board: p95 ${ms(ours.lastFromResponse.p95)} ms > ${TARGETS.boardP95Ms} ms`);
    results.board = { sockets: opts.sockets, checkins: opts.checkins, warmup: opts.warmup, timeZone: zone, loadAverage: { before: loadBefore, after: loadAfter }, rows };
    tables.push({ title: "Board latency (check-in → every board socket)", table, notes });
    console.log(`\n${table}\n\n${notes.map((n) => `- ${n}`).join("\n")}\n`);
  }

  // ================================================================ 2. booking
  if (opts.sections.includes("booking")) {
    const loadBefore = load();
    const zone = bookingLocation.timeZone;
    await pool.query(`UPDATE location SET time_zone = $2 WHERE id = $1`, [bookingLocation.id, zone]);
    const slotsPerDay = 20;
    const providerCount = 20;
    const warmup = Math.min(50, opts.bookings);
    const [contested, ...providers] = await insertProviders(providerCount + 1, bookingLocation.id, "bookprov");
    const patients = await insertPatients(Math.max(opts.contenders, 1_000));
    const receptionists = await insertUsers("RECEPTIONIST", opts.receptionists, "reception");
    const clients = await Promise.all(receptionists.map((r, i) => signedIn(webUrls[i % 2]!, r.email)));
    const today = todayIn(zone);
    /** The k-th free slot: providers in turn, then 30-minute steps 08:00-18:00 local, days from tomorrow. */
    const slot = (k: number) => {
      const j = Math.floor(k / providers.length);
      const date = addDays(today, 1 + Math.floor(j / slotsPerDay));
      const minutes = 8 * 60 + (j % slotsPerDay) * 30;
      const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      return { providerId: providers[k % providers.length]!, start: localToUtc(date, time, zone) };
    };
    const bookingInput = (patientId: string, providerId: string, start: Date) => ({
      patientId,
      providerId,
      locationId: bookingLocation.id,
      appointmentTypeId: typeId,
      start: start.toISOString(),
    });

    // --- contention: every receptionist's clients fire at once for one slot
    const contestedStart = localToUtc(addDays(today, 1), "10:00", zone);
    log(`booking: ${opts.contenders} concurrent bookings of one slot through ${clients.length} receptionists`);
    const outcome = { ok: 0, conflict: 0, server: 0, other: 0 };
    const otherStatuses: string[] = [];
    const contentionLatency: number[] = [];
    const c0 = now();
    await Promise.all(
      Array.from({ length: opts.contenders }, async (_, i) => {
        const t = now();
        const response = await leanTrpc(clients[i % clients.length]!, "scheduling.book", bookingInput(patients[i]!, contested!, contestedStart), "mutation");
        contentionLatency.push(now() - t);
        if (response.status === 200) outcome.ok++;
        else if (response.status === 409 && response.body.error?.data.code === "CONFLICT") outcome.conflict++;
        else if (response.status >= 500) outcome.server++;
        else {
          outcome.other++;
          if (otherStatuses.length < 3) otherStatuses.push(`${response.status} ${JSON.stringify(response.body.error ?? response.body).slice(0, 200)}`);
        }
      }),
    );
    const contentionWall = now() - c0;
    const serverErrors = children
      .flatMap((c) => c.output().split("\n").filter((line) => line.includes("procedure failed")))
      .map((line) => {
        try {
          const entry = JSON.parse(line) as { procedure?: string; err?: { message?: string; code?: string } };
          return `${entry.procedure}: ${entry.err?.code ?? ""} ${String(entry.err?.message ?? "").replace(/\s+/g, " ").slice(0, 160)}`;
        } catch {
          return line.slice(0, 200);
        }
      });
    const serverErrorKinds = [...new Set(serverErrors)].slice(0, 3);
    if (serverErrorKinds.length) console.error(`  5xx causes (web process logs): ${serverErrorKinds.join(" | ")}`);
    const slotRows = Number(
      (
        await pool.query<{ n: string }>(`SELECT count(*) AS n FROM appointment WHERE provider_id = $1 AND starts_at = $2 AND status NOT IN ('CANCELLED', 'NO_SHOW')`, [
          contested,
          contestedStart,
        ])
      ).rows[0]!.n,
    );

    // --- naive: check-then-insert on a copy without the exclusion constraint, same race
    await pool.query(`CREATE TABLE bench_naive_booking (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), provider_id uuid NOT NULL, patient_id uuid NOT NULL,
                        starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL)`);
    await pool.query(`CREATE INDEX ON bench_naive_booking (provider_id, starts_at)`);
    const naiveBook = async (patientId: string, providerId: string, start: Date, gapMs = 0): Promise<boolean> => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const end = new Date(start.getTime() + 30 * 60_000);
        const { rowCount } = await client.query(`SELECT 1 FROM bench_naive_booking WHERE provider_id = $1 AND starts_at < $3 AND ends_at > $2 LIMIT 1`, [providerId, start, end]);
        if (rowCount) {
          await client.query("ROLLBACK");
          return false;
        }
        if (gapMs) await sleep(gapMs); // the rest of a booking's work between its check and its insert
        await client.query(`INSERT INTO bench_naive_booking (provider_id, patient_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)`, [providerId, patientId, start, end]);
        await client.query("COMMIT");
        return true;
      } finally {
        client.release();
      }
    };
    // Open every pool connection first, so the race is between queries, not connection set-ups.
    const warm = await Promise.all(Array.from({ length: pool.options.max ?? 10 }, () => pool.connect()));
    warm.forEach((c) => c.release());
    const n0 = now();
    const naiveWins = (await Promise.all(Array.from({ length: opts.contenders }, (_, i) => naiveBook(patients[i]!, contested!, contestedStart, opts.naiveGap)))).filter(Boolean).length;
    const naiveContentionWall = now() - n0;
    const naiveSlotRows = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM bench_naive_booking WHERE provider_id = $1`, [contested])).rows[0]!.n);

    const contentionSummary = summarize(contentionLatency);
    const contentionTable = markdownTable(
      ["path", "requests", "successes", "CONFLICT", "5xx", "other", "rows for the slot", "wall ms", "latency p50/p95 ms", "correct"],
      [
        [
          "ours: scheduling.book over HTTP",
          String(opts.contenders),
          String(outcome.ok),
          String(outcome.conflict),
          String(outcome.server),
          String(outcome.other),
          String(slotRows),
          ms(contentionWall, 0),
          `${ms(contentionSummary.p50, 0)} / ${ms(contentionSummary.p95, 0)}`,
          yes(outcome.ok === 1 && outcome.conflict === opts.contenders - 1 && outcome.server === 0 && slotRows === 1),
        ],
        [
          "naive: check-then-insert, no constraint (pg)",
          String(opts.contenders),
          String(naiveWins),
          String(opts.contenders - naiveWins),
          "0",
          "0",
          String(naiveSlotRows),
          ms(naiveContentionWall, 0),
          "",
          yes(naiveSlotRows === 1),
        ],
      ],
    );
    if (!(outcome.ok === 1 && outcome.server === 0 && slotRows === 1 && outcome.conflict === opts.contenders - 1)) {
      failures.push(`booking contention: ${JSON.stringify(outcome)}, ${slotRows} rows`);
    }

    // --- throughput: non-conflicting bookings
    log(`booking: ${warmup} warm-up + ${opts.bookings} bookings at concurrency ${opts.concurrency}`);
    let errors = 0;
    const errorSamples: string[] = [];
    const ours = async (k: number, worker: number) => {
      const { providerId, start } = slot(k);
      const response = await leanTrpc(clients[worker % clients.length]!, "scheduling.book", bookingInput(patients[k % patients.length]!, providerId, start), "mutation");
      if (response.status !== 200) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(`${response.status} ${JSON.stringify(response.body.error ?? response.body).slice(0, 200)}`);
      }
    };
    await runClosedLoop(warmup, opts.concurrency, (i, w) => ours(i, w));
    errors = 0;
    let stopCpu = await measureCpu(cpuGroups({ web: childPids }));
    let t = now();
    const oursLatency = await runClosedLoop(opts.bookings, opts.concurrency, (i, w) => ours(warmup + i, w));
    const oursWall = now() - t;
    const oursCpu = await stopCpu();

    // Floor: the rows a booking writes (appointment, transition, reminders, audit), one pg transaction.
    const floorBook = async (k: number) => {
      const { providerId, start } = slot(k);
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO appointment (id, clinic_id, patient_id, provider_id, location_id, appointment_type_id, starts_at, ends_at, created_by_id, updated_by_id, updated_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $6::timestamptz + interval '30 minutes', $7, $7, now()) RETURNING id`,
          [clinicId, patients[k % patients.length], providerId, bookingLocation.id, typeId, start, actorId],
        );
        const id = rows[0]!.id;
        await client.query(`INSERT INTO appointment_transition (appointment_id, to_status, by_id) VALUES ($1, 'BOOKED', $2)`, [id, actorId]);
        await client.query(
          `INSERT INTO reminder (id, appointment_id, channel, offset_minutes, due_at)
           SELECT gen_random_uuid(), $1, c::"ReminderChannel", o, $2::timestamptz - make_interval(mins => o)
             FROM (VALUES ('EMAIL', 1440), ('SMS', 1440), ('EMAIL', 120), ('SMS', 120)) v(c, o) WHERE $2::timestamptz - make_interval(mins => o) > now()`,
          [id, start],
        );
        await client.query(
          `INSERT INTO audit_event (clinic_id, user_id, role, action, resource_type, resource_id, patient_id, outcome) VALUES ($1, $2, 'RECEPTIONIST', 'scheduling.book', 'Appointment', $3, $4, 'SUCCESS')`,
          [clinicId, actorId, id, patients[k % patients.length]],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    };
    const floorBase = warmup + opts.bookings;
    // The fixed cost of an authenticated tRPC call on the same processes, same load (no booking).
    const meCount = Math.max(100, Math.round(opts.bookings / 2));
    stopCpu = await measureCpu(cpuGroups({ web: childPids }));
    t = now();
    const meLatency = await runClosedLoop(meCount, opts.concurrency, async (_i, w) => void (await leanTrpc(clients[w % clients.length]!, "access.me")));
    const meWall = now() - t;
    const meCpu = await stopCpu();

    stopCpu = await measureCpu(cpuGroups({}));
    t = now();
    const floorLatency = await runClosedLoop(opts.bookings, opts.concurrency, (i) => floorBook(floorBase + i));
    const floorWall = now() - t;
    const floorCpu = await stopCpu();

    const naiveBase = floorBase + opts.bookings;
    let naiveRefused = 0;
    stopCpu = await measureCpu(cpuGroups({}));
    t = now();
    const naiveLatency = await runClosedLoop(opts.bookings, opts.concurrency, async (i) => {
      const { providerId, start } = slot(naiveBase + i);
      if (!(await naiveBook(patients[i % patients.length]!, providerId, start))) naiveRefused++;
    });
    const naiveWall = now() - t;
    const naiveCpu = await stopCpu();
    await pool.query(`DROP TABLE bench_naive_booking`);
    const loadAfter = load();

    const o = summarize(oursLatency);
    const f = summarize(floorLatency);
    const n = summarize(naiveLatency);
    const rate = (count: number, wall: number) => (count / wall) * 1000;
    const oursRate = rate(opts.bookings, oursWall);
    const throughputTable = markdownTable(
      ["path", "bookings", "concurrency", "bookings/s", "latency p50/p95/p99 ms", "errors", "CPU ms per booking", "2-core CPU ceiling /s", `≥ ${TARGETS.bookingsPerSecond}/s`],
      [
        ["ours: scheduling.book over HTTP (2 web processes)", int(opts.bookings), String(opts.concurrency), ms(oursRate, 0), trio(o), String(errors), cpuText(oursCpu, opts.bookings), int((2000 * opts.bookings) / cpuTotal(oursCpu)), yes(oursRate >= TARGETS.bookingsPerSecond && errors === 0)],
        ["(fixed cost) access.me over HTTP, no booking", int(meCount), String(opts.concurrency), ms(rate(meCount, meWall), 0), trio(summarize(meLatency)), "", cpuText(meCpu, meCount), int((2000 * meCount) / cpuTotal(meCpu)), ""],
        ["floor: the same writes, one pg transaction", int(opts.bookings), String(opts.concurrency), ms(rate(opts.bookings, floorWall), 0), trio(f, 2), "0", cpuText(floorCpu, opts.bookings), int((2000 * opts.bookings) / cpuTotal(floorCpu)), ""],
        ["naive: check-then-insert, no constraint (pg)", int(opts.bookings), String(opts.concurrency), ms(rate(opts.bookings, naiveWall), 0), trio(n, 2), String(naiveRefused), cpuText(naiveCpu, opts.bookings), int((2000 * opts.bookings) / cpuTotal(naiveCpu)), ""],
      ],
    );
    if (oursRate < TARGETS.bookingsPerSecond) failures.push(`booking: ${ms(oursRate, 0)} bookings/s < ${TARGETS.bookingsPerSecond}`);
    if (errors) failures.push(`booking: ${errors} failed bookings (${errorSamples.join("; ")})`);
    const notes = [
      `Contention: ${opts.contenders} different patients, ${opts.receptionists} receptionists signed in (half on each web process), all requests in flight at once.${otherStatuses.length ? ` Other answers: ${otherStatuses.join("; ")}` : ""}${serverErrorKinds.length ? ` 5xx causes in the web process logs: ${serverErrorKinds.join(" | ")}` : ""}`,
      `The naive race: SELECT for an overlap, ${opts.naiveGap} ms of other work (--naive-gap; ours spends more than that between its reads and its insert), INSERT, on ${Math.max(opts.concurrency, 16)} pg connections, against a copy of the table without \`appointment_no_double_booking\`: ${naiveSlotRows} rows for one slot.`,
      `Throughput: ${providerCount} providers 08:00–18:00 every day, slots in turn from tomorrow; ${warmup} warm-up bookings first. Ours includes session check, the booking's reads (one statement), its write (appointment, transition, 4 reminders, audit: one statement), the event; the floor writes the same rows without the reads.`,
      ...(errorSamples.length ? [`Errors: ${errorSamples.join("; ")}`] : []),
      `Load average before/after: ${loadBefore[0]}/${loadAfter[0]}.`,
    ];
    results.booking = {
      contention: { requests: opts.contenders, ...outcome, rowsForSlot: slotRows, wallMs: contentionWall, latency: contentionSummary, naive: { successes: naiveWins, rowsForSlot: naiveSlotRows, wallMs: naiveContentionWall } },
      throughput: {
        bookings: opts.bookings,
        concurrency: opts.concurrency,
        ours: { perSecond: oursRate, latency: o, errors, wallMs: oursWall, cpuMs: oursCpu },
        accessMe: { requests: meCount, perSecond: rate(meCount, meWall), latency: summarize(meLatency), wallMs: meWall, cpuMs: meCpu },
        floor: { perSecond: rate(opts.bookings, floorWall), latency: f, wallMs: floorWall, cpuMs: floorCpu },
        naive: { perSecond: rate(opts.bookings, naiveWall), latency: n, wallMs: naiveWall, cpuMs: naiveCpu },
      },
      loadAverage: { before: loadBefore, after: loadAfter },
    };
    const table = `${contentionTable}\n\n${throughputTable}`;
    tables.push({ title: "Booking: one slot, 200 at once; then throughput", table, notes });
    console.log(`\n${table}\n\n${notes.map((x) => `- ${x}`).join("\n")}\n`);
  }

  // Web processes are not needed any more: free the CPU for the reminder section.
  await Promise.all(children.splice(0).map((c) => c.stop()));

  // ================================================================ 3. reminders
  if (opts.sections.includes("reminders")) {
    const loadBefore = load();
    const N = opts.reminders;
    const perDay = 20;
    const providerCount = 50;
    log(`reminders: inserting ${int(N)} appointments (${providerCount} providers)`);
    let t = now();
    const providers = await insertProviders(providerCount, bookingLocation.id, "remindprov");
    const patients = await insertPatients(Math.min(10_000, N));
    // Appointment i: provider i mod P, then 30-minute slots 08:00-18:00 UTC from 30 days ahead (clear of section 2).
    await pool.query(
      `INSERT INTO appointment (id, clinic_id, patient_id, provider_id, location_id, appointment_type_id, starts_at, ends_at, created_by_id, updated_at)
       SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + g % array_length($2::uuid[], 1)], ($3::uuid[])[1 + g % $6::int], $4, $5, s, s + interval '30 minutes', $7, now()
         FROM generate_series(0, $8::int - 1) g,
              LATERAL (SELECT date_trunc('day', now()) + make_interval(days => 30 + (g / $6::int) / ${perDay}, mins => 480 + ((g / $6::int) % ${perDay}) * 30) AS s) x`,
      [clinicId, patients, providers, bookingLocation.id, typeId, providerCount, actorId, N],
    );
    const appointmentSeconds = (now() - t) / 1000;
    // Scheduling a reminder is writing its row (a booking does it in its own statement); there is
    // no queue to fill. One due time for all of them, a minute ago: it also tells these reminders
    // apart from the (future) ones section 2's bookings wrote, through the (status, due_at) index.
    const dueMark = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000 + 123);
    log(`reminders: scheduling ${int(N)} reminders due now (one INSERT … SELECT)`);
    const stopScheduleCpu = await measureCpu(cpuGroups({}));
    t = now();
    const { rowCount: scheduled } = await pool.query(
      `INSERT INTO reminder (id, appointment_id, channel, offset_minutes, due_at)
       SELECT gen_random_uuid(), a.id, CASE WHEN row_number() OVER (ORDER BY a.starts_at, a.id) % 2 = 0 THEN 'EMAIL' ELSE 'SMS' END::"ReminderChannel", 1440, $2
         FROM appointment a WHERE a.provider_id = ANY($1::uuid[])`,
      [providers, dueMark],
    );
    const scheduleSeconds = (now() - t) / 1000;
    const scheduleCpu = await stopScheduleCpu();
    if (scheduled !== N) throw new Error(`expected ${N} reminders, wrote ${scheduled}`);
    await pool.query(`ANALYZE appointment; ANALYZE reminder; ANALYZE patient; ANALYZE outbox_message`);

    // --- delivery: the real workers, started with the queue paused so the clock starts when all are ready
    const queue = getQueue("scheduling");
    await queue.obliterate({ force: true });
    await queue.pause();
    let stopWorkers: () => Promise<unknown>;
    const workerLabel = opts.workers === 0 ? "in-process startWorkers()" : `${opts.workers} worker process${opts.workers > 1 ? "es" : ""} (jobs/worker.ts)`;
    if (opts.workers === 0) {
      const { startWorkers } = await import("../jobs/worker.ts");
      const close = await startWorkers();
      stopWorkers = close;
    } else {
      const workers = await Promise.all(
        Array.from({ length: opts.workers }, (_, i) => startChild(`worker ${i + 1}`, "jobs/worker.ts", { ...CHILD_ENV, LOG_LEVEL: "info" }, "workers started")),
      );
      children.push(...workers);
      stopWorkers = () => Promise.all(workers.map((w) => w.stop(90_000)));
    }
    onCleanup("workers", () => stopWorkers());
    const status = async () => {
      const { rows } = await pool.query<{ scheduled: string; sent: string; skipped: string }>(
        `SELECT (SELECT count(*) FROM reminder WHERE status = 'SCHEDULED' AND due_at = $1) AS scheduled,
                (SELECT count(*) FROM reminder WHERE status = 'SENT' AND due_at = $1) AS sent,
                (SELECT count(*) FROM reminder WHERE status = 'SKIPPED' AND due_at = $1) AS skipped`,
        [dueMark],
      );
      const r = rows[0]!;
      return { scheduled: Number(r.scheduled), sent: Number(r.sent), skipped: Number(r.skipped) };
    };
    const workerPids = () => (opts.workers === 0 ? [] : childPids());
    /** Resume the queue (the sweep runs on its 5-second schedule) and follow the table until nothing is SCHEDULED. */
    const deliverRun = async (label: string) => {
      log(`reminders: ${label} with ${workerLabel}`);
      const timeline: { s: number; sent: number }[] = [];
      const stopCpu = await measureCpu(cpuGroups({ workers: workerPids }));
      await queue.resume();
      const started = now();
      let state = await status();
      while (state.scheduled > 0 && now() - started < opts.deliverSeconds * 1000) {
        await sleep(250);
        state = await status();
        timeline.push({ s: Number(((now() - started) / 1000).toFixed(2)), sent: state.sent + state.skipped });
      }
      const seconds = (now() - started) / 1000;
      const cpuMs = await stopCpu();
      await queue.pause();
      // Steady rate: between 10% and 90% handled (the first tick and the tail left out).
      const at = (fraction: number) => timeline.find((p) => p.sent >= fraction * N);
      const p10 = at(0.1);
      const p90 = at(0.9);
      const steady = p10 && p90 && p90.s > p10.s ? (p90.sent - p10.sent) / (p90.s - p10.s) : Number.NaN;
      const firstAt = timeline.find((p) => p.sent > 0)?.s ?? Number.NaN;
      return { handled: state.sent + state.skipped, sent: state.sent, allDone: state.scheduled === 0, seconds, perSecond: (state.sent + state.skipped) / seconds, steady, firstAt, cpuMs, timeline };
    };
    const delivery = await deliverRun("delivering");
    log(`reminders: ${int(delivery.sent)} delivered in ${delivery.seconds.toFixed(1)} s${delivery.allDone ? "" : ` (stopped after ${opts.deliverSeconds} s)`}`);

    const outboxCheck = async () => {
      const { rows } = await pool.query<{ rows: string; duplicated: string }>(
        `SELECT count(*) AS rows,
                (SELECT count(*) FROM (SELECT o.reminder_id FROM outbox_message o JOIN reminder r ON r.id = o.reminder_id
                                        WHERE r.due_at = $1 GROUP BY o.reminder_id HAVING count(*) > 1) d) AS duplicated
           FROM outbox_message o JOIN reminder r ON r.id = o.reminder_id WHERE r.due_at = $1`,
        [dueMark],
      );
      return { rows: Number(rows[0]!.rows), duplicated: Number(rows[0]!.duplicated) };
    };

    // --- re-run: every delivered reminder back to SCHEDULED, same generation, as if its SENT
    // state had been lost after its message was written (a crash cannot do that, the batch is one
    // transaction; a bug could). The workers sweep them all again: only the outbox key stands
    // between each one and a second message.
    const { rowCount: reset } = await pool.query(`UPDATE reminder SET status = 'SCHEDULED', sent_at = NULL WHERE status = 'SENT' AND due_at = $1`, [dueMark]);
    const rerun = await deliverRun(`re-run over the ${int(reset ?? 0)} delivered reminders`);
    await stopWorkers();
    const workersCleanup = cleanups.findIndex((c) => c.name === "workers");
    if (workersCleanup >= 0) cleanups.splice(workersCleanup, 1);
    const after = await status();
    const { rows: outbox, duplicated: duplicates } = await outboxCheck();
    const failed = (await queue.getJobCounts("failed")).failed ?? 0;
    const failedReasons = [...new Set((await queue.getFailed(0, 50)).map((job) => `${job.name}: ${String(job.failedReason).replace(/\s+/g, " ").slice(0, 140)}`))].slice(0, 3);
    const noDuplicates = duplicates === 0 && outbox === after.sent;
    log(`reminders: re-run handled ${int(rerun.handled)} in ${rerun.seconds.toFixed(1)} s; outbox ${int(outbox)} rows for ${int(after.sent)} SENT, ${duplicates} duplicated`);
    const loadAfter = load();

    const ceiling = (cpu: Record<string, number>, units: number) => `2-core ceiling ${int((2000 * units) / cpuTotal(cpu))}/s`;
    const table = markdownTable(
      ["step", "reminders", "seconds", "reminders/s", "CPU ms per reminder", "target", "met"],
      [
        [`schedule: reminder rows for ${int(N)} appointments, one INSERT … SELECT`, int(scheduled ?? 0), scheduleSeconds.toFixed(2), int(N / scheduleSeconds), cpuText(scheduleCpu, N), `${int(N)} in ≤ ${TARGETS.enqueueSeconds} s`, yes(scheduleSeconds <= TARGETS.enqueueSeconds)],
        [
          `deliver to the outbox: ${workerLabel}, batched sweep (500 per transaction)${delivery.allDone ? "" : `, first ${opts.deliverSeconds} s`}`,
          int(delivery.sent),
          delivery.seconds.toFixed(1),
          `${int(delivery.perSecond)}${Number.isFinite(delivery.steady) ? ` (steady ${int(delivery.steady)})` : ""}`,
          `${cpuText(delivery.cpuMs, delivery.handled)} (${ceiling(delivery.cpuMs, delivery.handled)})`,
          `≥ ${int(TARGETS.deliveredPerSecond)}/s`,
          yes(delivery.allDone && delivery.perSecond >= TARGETS.deliveredPerSecond),
        ],
        [
          `re-run: the ${int(reset ?? 0)} delivered reminders SCHEDULED again (same generation), swept again`,
          int(rerun.handled),
          rerun.seconds.toFixed(1),
          int(rerun.perSecond),
          `${cpuText(rerun.cpuMs, Math.max(1, rerun.handled))}`,
          "",
          "",
        ],
        ["outbox rows / SENT reminders / reminders with > 1 row", `${int(outbox)} / ${int(after.sent)} / ${duplicates}`, "", "", "", delivery.allDone ? `${int(N)} / ${int(N)} / 0` : "equal / 0", yes(noDuplicates)],
      ],
    );
    if (scheduleSeconds > TARGETS.enqueueSeconds) failures.push(`reminders: scheduling ${scheduleSeconds.toFixed(2)} s for ${N}`);
    if (!delivery.allDone || delivery.perSecond < TARGETS.deliveredPerSecond) {
      failures.push(`reminders: delivery ${int(delivery.perSecond)}/s${delivery.allDone ? "" : ` (${int(delivery.sent)} of ${int(N)} in ${opts.deliverSeconds} s)`}`);
    }
    if (!noDuplicates) failures.push(`reminders: ${outbox} outbox rows for ${after.sent} SENT, ${duplicates} duplicated`);
    const notes = [
      `${int(N)} appointments over ${providerCount} providers (${int(Math.min(10_000, N))} patients with email and mobile, inserted in ${appointmentSeconds.toFixed(1)} s) and one reminder each due now (half email with an .ics, half SMS).`,
      `Scheduling a reminder is writing its row: a booking writes its reminders in its own statement, and the sweep finds them by (status, due_at). No job per reminder, nothing in Redis.`,
      `Delivery: the \`scheduling.deliver-reminders\` job (every 5 s, one sweep at a time per process, 2 batches in flight per sweep) claims up to 500 due reminders per transaction with FOR UPDATE SKIP LOCKED, renders them and writes outbox rows and states in one statement. The clock starts when the workers are ready (queue paused until then; the first sweep starts at the first tick, ${Number.isFinite(delivery.firstAt) ? `first reminders SENT after ${delivery.firstAt.toFixed(1)} s` : "none seen"}) and stops when no reminder is SCHEDULED${delivery.allDone ? "" : `, or after ${opts.deliverSeconds} s (--deliver-seconds)`}. ${failed} failed jobs${failedReasons.length ? ` (${failedReasons.join("; ")})` : ""}.`,
      `Re-run: all ${int(reset ?? 0)} delivered reminders were put back to SCHEDULED with the same generation and swept again; each was claimed again and marked SENT, and the outbox's unique (reminder, generation) key turned every second message into nothing.`,
      `Load average before/after: ${loadBefore[0]}/${loadAfter[0]}.`,
    ];
    results.reminders = {
      reminders: N,
      appointmentSeconds,
      schedule: { reminders: scheduled, seconds: scheduleSeconds, perSecond: N / scheduleSeconds, cpuMs: scheduleCpu },
      delivery: { workers: workerLabel, ...delivery, timeLimitSeconds: opts.deliverSeconds },
      rerun: { reminders: reset, ...rerun, outboxRows: outbox, sent: after.sent, duplicates },
      failedJobs: failed,
      failedReasons,
      loadAverage: { before: loadBefore, after: loadAfter },
    };
    tables.push({ title: "Reminders: schedule, deliver, re-run", table, notes });
    console.log(`\n${table}\n\n${notes.map((x) => `- ${x}`).join("\n")}\n`);
  }

  // ---------------------------------------------------------------- report
  const { rows: version } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  const loadAtEnd = load();
  const calibrationEnd = await calibrate();
  const meta = {
    at: new Date().toISOString(),
    database: dbName,
    redisPrefix: REDIS_PREFIX,
    options: opts,
    node: process.version,
    postgres: version[0]!.v,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    roundTrip: { start: calibrationStart, end: calibrationEnd },
    seconds: Math.round((now() - started) / 1000),
    targets: TARGETS,
    failures,
  };
  const machine = `Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGiB} GiB, Node ${meta.node}, PostgreSQL ${meta.postgres}; load average (1/5/15 min) at start ${loadAtStart.join("/")}, at end ${loadAtEnd.join("/")}; run took ${meta.seconds} s. One round trip from Node (start/end): pg \`SELECT 1\` ${calibrationStart.pgSelect1.cpuUs.toFixed(0)}/${calibrationEnd.pgSelect1.cpuUs.toFixed(0)} µs CPU (${calibrationStart.pgSelect1.wallUs.toFixed(0)}/${calibrationEnd.pgSelect1.wallUs.toFixed(0)} µs wall), Redis PING ${calibrationStart.redisPing.cpuUs.toFixed(0)}/${calibrationEnd.redisPing.cpuUs.toFixed(0)} µs CPU.`;
  console.log(`${machine}\n${failures.length ? `Targets missed: ${failures.join("; ")}` : "All targets met."}`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, "scheduling.json"), JSON.stringify({ meta, results }, null, 2) + "\n");
  await writeFile(
    path.join(RESULTS_DIR, "scheduling.md"),
    `# Scheduling benchmark (${meta.at.slice(0, 10)})\n\n` +
      tables.map((t) => `## ${t.title}\n\n${t.table}\n\n${t.notes.map((n) => `- ${n}`).join("\n")}\n`).join("\n") +
      `\n${machine}\n`,
  );
  log(`wrote ${path.relative(process.cwd(), RESULTS_DIR)}/scheduling.json and scheduling.md`);
  return failures.length ? 2 : 0;
}

let exiting = false;
async function finish(code: number) {
  if (exiting) return;
  exiting = true;
  const watchdog = setTimeout(() => {
    console.error("cleanup did not finish within 60 s; exiting anyway");
    process.exit(code || 1);
  }, 60_000);
  watchdog.unref();
  await cleanup();
  process.exit(code);
}
process.on("SIGINT", () => void finish(130));
process.on("SIGTERM", () => void finish(143));
main().then(
  (code) => finish(code),
  (error: unknown) => {
    console.error(error);
    return finish(1);
  },
);
