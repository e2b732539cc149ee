/**
 * Where the fixed cost of an authenticated tRPC request goes (docs/performance.md, "Patient
 * search", known limits 1). On the benchmark database (`npm run bench:seed` first):
 *
 *   npx tsx bench/overhead.ts [--requests 2000] [--profile [--keep-profile server.cpuprofile]] [--compare DIR]
 *
 * 1. The pieces, one at a time in this process: the Auth.js cookie decode, the session lookup
 *    (resolveSession), access.me's own query, a Prisma round trip against a pg one, the audit
 *    insert with synchronous_commit on and off, and an HTTP round trip to a bare node:http server
 *    through fetch (what the benchmark's HttpClient uses) and through node:http.
 * 2. access.me end to end through HttpClient at concurrency 1 and 4, with the web server in this
 *    process (clients and server share one event loop, as bench/patients.ts used to run) and in
 *    a child process (`tsx tests/helpers/web-process.ts`, as in production); there also without
 *    gzip, and an MRN search (the cheapest search, plus its audit row).
 * 3. --profile: a V8 CPU profile of the child server while it answers access.me and an MRN
 *    search at concurrency 4, summarised as self time by package.
 * 4. --compare DIR: the end-to-end rows again against the server of another checkout (a copy with
 *    a proposed change applied: `cp -r server tests jobs package.json tsconfig.json DIR`, symlink
 *    node_modules, patch), alternating with this one, twice each.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { BENCH_CLINIC_SLUG, BENCH_DATABASE_URL, BENCH_PASSWORD, benchEmail } from "./lib/bench-db.ts";
import { markdownTable, ms, runClosedLoop, summarize, type Summary } from "./lib/stats.ts";
import { startWebProcess } from "./lib/web-process.ts";
import { backendPids, measureCpu } from "./lib/cpu.ts";

process.env.DATABASE_URL = BENCH_DATABASE_URL;
process.env.REDIS_PREFIX ??= "carelane-bench";
process.env.LOG_LEVEL ??= "warn";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    profile: { type: "boolean", default: false },
    "keep-profile": { type: "string" },
    compare: { type: "string" },
  },
});
const REQUESTS = Number(values.requests);

const rows: string[][] = [];
const show = (what: string, s: Summary & { cpu?: string }, note = s.cpu ?? "") => {
  rows.push([what, ms(s.p50, 2), ms(s.p95, 2), ms(s.mean, 2), note]);
  console.log(`  ${what}: p50 ${ms(s.p50, 2)} ms, p95 ${ms(s.p95, 2)} ms`);
};
async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<Summary> {
  for (let i = 0; i < Math.min(200, n / 5); i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

const { HttpClient } = await import("../tests/helpers/http.ts");
type Client = InstanceType<typeof HttpClient>;
async function signedIn(url: string, n: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i++) {
    const client = new HttpClient(url);
    const result = await client.signIn(benchEmail("RECEPTIONIST"), BENCH_PASSWORD);
    if (result.status !== 302 || result.location.includes("error")) throw new Error(`sign-in failed (${result.status} ${result.location}); re-seed the bench database`);
    clients.push(client);
  }
  return clients;
}
/**
 * Closed-loop load; also the CPU each request cost (from /proc, so it does not grow with what else
 * the machine runs the way latency does): the web process (`webPid`; 0 when it is this process),
 * this process (the HTTP clients, plus the server when in-process) and the PostgreSQL backends.
 */
async function load(clients: Client[], concurrency: number, call: (c: Client) => Promise<{ status: number }>, webPid = 0) {
  await runClosedLoop(Math.min(200, REQUESTS / 5), concurrency, async (_i, w) => void (await call(clients[w]!)));
  const stop = await measureCpu({ web: () => (webPid ? [webPid] : []), postgres: () => backendPids(pool) });
  const summary = summarize(
    await runClosedLoop(REQUESTS, concurrency, async (_i, w) => {
      const { status } = await call(clients[w]!);
      if (status !== 200) throw new Error(`HTTP ${status}`);
    }),
  );
  const cpu = await stop();
  const per = (ms_: number) => ms(ms_ / REQUESTS, 2);
  return Object.assign(summary, { cpu: `${webPid ? per(cpu.web!) : "-"} / ${per(cpu.bench!)} / ${per(cpu.postgres!)}` });
}
const me = (c: Client) => c.trpc("access.me");

const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 4 });
const { rows: clinic } = await pool.query<{ id: string }>("SELECT id FROM clinic WHERE slug = $1", [BENCH_CLINIC_SLUG]);
if (!clinic[0]) throw new Error("no bench clinic: npm run bench:seed -- --patients 1000000");
const { rows: mrnRows } = await pool.query<{ mrn: string }>("SELECT mrn FROM patient WHERE clinic_id = $1 AND status = 'ACTIVE' ORDER BY mrn LIMIT 200", [clinic[0].id]);
const loadBefore = os.loadavg()[0]!;

// --- 1. the pieces --------------------------------------------------------------------------
console.log("pieces, one at a time:");
const { createWebServer } = await import("../server/app.ts");
const { sessionIdFromCookie } = await import("../server/auth/cookie-session.ts");
const { resolveSession } = await import("../server/auth/sessions.ts");
const { me: meService } = await import("../server/modules/access/service.ts");
const { audit } = await import("../server/audit/audit.ts");
const { db } = await import("../server/db.ts");
const { redis } = await import("../server/redis.ts");

const inProcess = await createWebServer({ port: 0, host: "127.0.0.1", remix: "none" });
const [probe] = await signedIn(inProcess.url, 1);
const cookie = probe!.cookieHeader;
const sid = (await sessionIdFromCookie(cookie))!;
const session = (await resolveSession(sid))!;
const actor = { userId: session.user.id, clinicId: session.user.clinicId, role: session.user.role, sessionId: sid, ip: "127.0.0.1" };

show("cookie decode (Auth.js JWE: HKDF + AES)", await time(REQUESTS, () => sessionIdFromCookie(cookie)));
show("session lookup (resolveSession, Prisma)", await time(REQUESTS, () => resolveSession(sid, { touch: false })));
const sessionSql = `SELECT s.id, s.last_seen_at, s.expires_at, s.revoked_at, u.id AS user_id, u.clinic_id, u.email, u.name, u.role, u.active
                      FROM session s JOIN app_user u ON u.id = s.user_id WHERE s.id = $1`;
show("same session lookup, one pg query", await time(REQUESTS, () => pool.query(sessionSql, [sid])));
show("access.me's query (clinic + locations, Prisma)", await time(REQUESTS, () => meService(session.user)));
show("Prisma round trip ($queryRaw SELECT 1)", await time(REQUESTS, () => db.$queryRaw`SELECT 1`));
show("pg round trip (SELECT 1)", await time(REQUESTS, () => pool.query("SELECT 1")));
show("audit insert (Prisma, synchronous_commit on)", await time(REQUESTS / 2, () => audit(db, actor, { action: "bench.overhead", resourceType: "Patient", reason: "mrn:1" })));
const auditSql = `INSERT INTO audit_event (clinic_id, user_id, role, session_id, ip, action, resource_type, reason, outcome)
                  VALUES ($1, $2, $3::"Role", $4, $5, 'bench.overhead', 'Patient', 'mrn:1', 'SUCCESS')`;
const auditValues = [actor.clinicId, actor.userId, actor.role, sid, actor.ip];
show("audit insert (pg, synchronous_commit on)", await time(REQUESTS / 2, () => pool.query(auditSql, auditValues)));
{
  const conn = await pool.connect();
  await conn.query("SET synchronous_commit = off");
  show("audit insert (pg, synchronous_commit off)", await time(REQUESTS / 2, () => conn.query(auditSql, auditValues)));
  await conn.query("RESET synchronous_commit");
  conn.release();
}
{
  // HTTP alone: a bare node:http server answering a small JSON body, in this process.
  const bare = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end('{"result":{"data":{"ok":true}}}');
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as net.AddressInfo).port}/`;
  show("HTTP round trip, bare server, fetch", await time(REQUESTS, async () => (await fetch(bareUrl)).text()));
  const agent = new http.Agent({ keepAlive: true });
  const nodeGet = (url: string, headers: Record<string, string> = {}) =>
    new Promise<void>((resolve, reject) => {
      http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve());
      }).on("error", reject);
    });
  show("HTTP round trip, bare server, node:http", await time(REQUESTS, () => nodeGet(bareUrl)));
  show("access.me, in-process server, node:http client", await time(REQUESTS, () => nodeGet(`${inProcess.url}/api/trpc/access.me`, { cookie })));
  agent.destroy();
  await new Promise<void>((resolve) => bare.close(() => resolve()));
}

// --- 2. access.me end to end ------------------------------------------------------------------
console.log("access.me through HttpClient (fetch):");
const inClients = await signedIn(inProcess.url, 4);
show("access.me, server in this process, 1 user", await load(inClients, 1, me));
show("access.me, server in this process, 4 users", await load(inClients, 4, me));
const child = await startWebProcess();
const childClients = await signedIn(child.url, 4);
const childPid = child.child.pid!;
show("access.me, server in a child process, 1 user", await load(childClients, 1, me, childPid));
show("access.me, server in a child process, 4 users", await load(childClients, 4, me, childPid));
// The same call asking for no compression: tRPC's Express adapter streams its responses without
// a Content-Length, so compression()'s 1 kB threshold never applies and even a 55-byte body is
// gzipped unless the client declines (fetch asks for gzip by default, as browsers do).
const meIdentity = async (c: Client) => {
  const response = await fetch(`${c.baseUrl}/api/trpc/access.me`, { headers: { cookie: c.cookieHeader, "accept-encoding": "identity" } });
  await response.arrayBuffer();
  return { status: response.status };
};
show("access.me, child process, 1 user, no gzip", await load(childClients, 1, meIdentity, childPid));
show("access.me, child process, 4 users, no gzip", await load(childClients, 4, meIdentity, childPid));
const mrnSearch = (c: Client) => c.trpc("patients.search", { q: mrnRows[Math.floor(Math.random() * mrnRows.length)]!.mrn });
show("patients.search by MRN, child process, 1 user", await load(childClients, 1, mrnSearch, childPid));
show("patients.search by MRN, child process, 4 users", await load(childClients, 4, mrnSearch, childPid));
await child.stop();
await inProcess.close();

// --- 2b. --compare DIR: the same against a patched copy of the server, interleaved ------------
if (values.compare) {
  console.log(`this checkout against ${values.compare}, twice each, interleaved:`);
  for (let round = 1; round <= 2; round++) {
    for (const [label, root] of [["this checkout", undefined], ["patched", values.compare]] as const) {
      const web = await startWebProcess([], {}, root);
      const clients = await signedIn(web.url, 4);
      const pid = web.child.pid!;
      show(`${label} (round ${round}): access.me, 1 user`, await load(clients, 1, me, pid));
      show(`${label} (round ${round}): access.me, 4 users`, await load(clients, 4, me, pid));
      show(`${label} (round ${round}): search by MRN, 4 users`, await load(clients, 4, mrnSearch, pid));
      show(`${label} (round ${round}): search "smith", 4 users`, await load(clients, 4, (c) => c.trpc("patients.search", { q: "smith" }), pid));
      await web.stop();
    }
  }
}

// --- 3. where a request's CPU goes ------------------------------------------------------------
let profileTable = "";
if (values.profile) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "carelane-prof-"));
  const profiled = await startWebProcess(["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-interval", "200"]);
  const clients = await signedIn(profiled.url, 4);
  const started = performance.now();
  await load(clients, 4, me);
  await load(clients, 4, mrnSearch);
  const wall = performance.now() - started;
  await profiled.stop();
  const file = (await readdir(dir)).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no CPU profile written");
  const raw = await readFile(path.join(dir, file), "utf8");
  profileTable = summariseProfile(JSON.parse(raw) as CpuProfile, wall);
  if (values["keep-profile"]) await writeFile(values["keep-profile"], raw); // open in Chrome DevTools
  await rm(dir, { recursive: true });
  console.log(`\nCPU profile of the child server (${REQUESTS} access.me + ${REQUESTS} MRN searches, 4 users, after warm-up):\n\n${profileTable}`);
}

const loadAfter = os.loadavg()[0]!;
console.log(`\n${markdownTable(["measured", "p50 ms", "p95 ms", "mean ms", "CPU ms per request: web / this process / postgres"], rows)}\n\nload average before/after: ${loadBefore.toFixed(2)}/${loadAfter.toFixed(2)}`);
await pool.end();
await db.$disconnect();
redis.disconnect();
process.exit(0);

// ---------------------------------------------------------------------------------------------

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time by package (or node internals, our code, GC, idle), as a markdown table. */
function summariseProfile(profile: CpuProfile, wallMs: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const category = (url: string, name: string): string => {
    if (name === "(idle)") return "(idle: waiting for I/O)";
    if (name === "(garbage collector)") return "(garbage collection)";
    if (name === "(program)" || name === "(root)") return "(V8/native, unattributed)";
    if (name === "writev" || name === "writeLatin1String" || name === "writeUtf8String" || name === "writeBuffer") return "socket writes (syscalls; loopback TCP)";
    if (name === "compileSourceTextModule" || name === "readFileUtf8") return "module loading (startup, not per request)";
    if (url.startsWith("wasm://")) return "Prisma query compiler (wasm)";
    const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    if (pkg) {
      const p = pkg[1]!;
      if (p.startsWith("@prisma") || p === ".prisma") return "Prisma client + adapter-pg";
      if (p === "pg" || p === "pg-protocol" || p === "pg-types" || p === "pg-pool" || p === "postgres-array") return "pg driver";
      if (p === "@auth/core" || p === "jose" || p === "@panva/hkdf") return "Auth.js / jose (cookie decode)";
      if (p.startsWith("@trpc")) return "tRPC";
      if (["express", "router", "body-parser", "finalhandler", "send", "serve-static", "qs", "path-to-regexp", "on-finished", "cookie", "accepts", "negotiator", "type-is", "content-type", "statuses", "http-errors", "depd", "debug", "mime", "mime-types", "parseurl", "vary", "etag", "fresh", "range-parser", "encodeurl", "escape-html", "proxy-addr", "ipaddr.js", "forwarded", "utils-merge", "methods", "merge-descriptors", "setprototypeof", "safe-buffer"].includes(p)) return "Express (and its deps)";
      if (p === "compression" || p === "compressible" || p === "bytes" || p === "on-headers") return "compression";
      if (p === "zod") return "zod";
      if (p === "tsx" || p === "esbuild" || p === "get-tsconfig") return "module loading (startup, not per request)";
      if (p === "socket.io" || p === "engine.io" || p === "ws" || p === "@socket.io/redis-adapter") return "Socket.IO";
      if (p === "ioredis" || p === "bullmq") return "Redis clients";
      return `other packages (${p})`;
    }
    if (url.includes("/server/generated/prisma/")) return "Prisma client + adapter-pg";
    if (url.includes("/server/")) return "our server code";
    if (url.startsWith("node:internal/http") || url.startsWith("node:_http") || url.startsWith("node:http") || url.includes("internal/deps/undici") || url.startsWith("node:net") || url.startsWith("node:internal/stream") || url.startsWith("node:internal/streams") || url.startsWith("node:stream")) return "node:http / net / streams";
    if (url.startsWith("node:internal/modules") || url.startsWith("node:internal/vm")) return "module loading (startup, not per request)";
    if (url.startsWith("node:internal/crypto") || url.startsWith("node:crypto") || url.includes("webcrypto") || url.includes("js_transferable") || url.includes("domexception"))
      return "node:crypto (WebCrypto: the cookie's HKDF + JWE)";
    if (url.includes("internal/deps/undici") || url.includes("abort_controller")) return "undici Request/AbortSignal (tRPC's fetch adapter)";
    if (url.startsWith("node:zlib") || url.startsWith("node:internal/zlib")) return "zlib";
    if (url.startsWith("node:")) return "other node internals (timers, promises, events)";
    if (url === "") return `native: ${name || "(anonymous)"}`;
    return "other";
  };
  for (const [id, t] of self) {
    const node = byId.get(id)!;
    const key = category(node.callFrame.url, node.callFrame.functionName);
    groups.set(key.startsWith("native: ") && t < 1e5 ? "native (other)" : key, (groups.get(key.startsWith("native: ") && t < 1e5 ? "native (other)" : key) ?? 0) + t);
  }
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  const busy = total - (groups.get("(idle: waiting for I/O)") ?? 0);
  const rows = [...groups.entries()]
    .sort((a, b) => b[1] - a[1])
    // requests answered: two loads of REQUESTS, each after its warm-up
    .map(([k, us]) => [k, ms(us / 1000, 0), k.startsWith("(idle") ? "" : `${((100 * us) / busy).toFixed(1)}%`, ms(us / 1000 / (2 * (REQUESTS + Math.min(200, REQUESTS / 5))), 3)]);
  return `${markdownTable(["self time in", "ms", "% of busy", "ms per request"], rows)}\n\nwall ${ms(wallMs, 0)} ms, profiled ${ms(total / 1000, 0)} ms, busy ${ms(busy / 1000, 0)} ms (${((100 * busy) / total).toFixed(0)}%)`;
}
