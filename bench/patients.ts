/**
 * Patient search benchmark: `npm run bench:patients` (after `npm run bench:seed -- --patients 1000000`).
 *
 * For each kind of query (name fragment, typo, MRN, date of birth, phone), picked from real rows:
 *  - ours:  `patients.search` end to end over HTTP against the real web server, started in a
 *           child process as in production (Auth.js sign-in, session check, permission, audit
 *           row, JSON), CONCURRENCY users with their own sessions, each looping in this process;
 *  - floor: the very statement search.ts builds (buildSearch), run directly with `pg`, same
 *           concurrency: what the database alone costs;
 *  - naive: `ILIKE '%q%'` on the names (or the text form of MRN, birth date, phone), one at a
 *           time and fewer samples: each is a sequential scan of the table.
 * Plus an "overhead" row: `access.me` (no search, no audit row) under the same load, the fixed cost
 * of an authenticated tRPC call on this stack. Prints one table and writes
 * bench/results/patients.{json,md}.
 *
 * Options: --requests 500 --warmup 50 --concurrency 4 --naive 20
 *          --in-process: start the server in this process instead (how it ran before 2026-11-26:
 *          the clients' event loop is the server's, which adds queueing to every request)
 *          --server-root DIR: run the server of another checkout (a copy with a proposed change
 *          applied, see bench/overhead.ts --compare); prints the table, writes no results file
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { BENCH_CLINIC_SLUG, BENCH_DATABASE_URL, BENCH_PASSWORD, benchEmail, databaseName } from "./lib/bench-db.ts";
import { markdownTable, ms, runClosedLoop, summarize, type Summary } from "./lib/stats.ts";
import { startWebProcess } from "./lib/web-process.ts";
import { backendPids, measureCpu } from "./lib/cpu.ts";

// Server modules read their configuration when first imported: point them at the bench database
// before importing any of them (hence the dynamic imports below).
process.env.DATABASE_URL = BENCH_DATABASE_URL;
process.env.REDIS_PREFIX ??= "carelane-bench";
process.env.LOG_LEVEL ??= "warn";

const TARGETS = { p95: 30, p99: 80, overFloor: 1.5, overNaive: 10 };
const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");

type Kind = "name fragment" | "typo" | "MRN" | "DOB" | "phone";
interface Case {
  kind: Kind;
  /** what is typed in the search box */
  q: string;
  /** the row it was made from, to check the search finds it */
  sourceId: string;
  /** the naive baseline's statement for the same question */
  naive: { text: string; values: unknown[] };
}

interface SampleRow {
  id: string;
  mrn: string;
  given_name: string;
  family_name: string;
  dob: string;
  phone_mobile: string | null;
}

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: "string", default: "500" },
      warmup: { type: "string", default: "50" },
      concurrency: { type: "string", default: "4" },
      naive: { type: "string", default: "20" },
      "in-process": { type: "boolean", default: false },
      "server-root": { type: "string" },
    },
  });
  return {
    requests: Number(values.requests),
    warmup: Number(values.warmup),
    concurrency: Number(values.concurrency),
    naive: Number(values.naive),
    inProcess: values["in-process"] ?? false,
    serverRoot: values["server-root"],
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const firstWord = (name: string) => name.split(/[\s-]+/)[0]!.replace(/[^\p{L}]/gu, "");

/** A typo people make: two neighbouring letters swapped (jonh) or one dropped (smth). */
function swapTypo(word: string, at: number): string {
  const i = 1 + (at % Math.max(1, word.length - 2));
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}
function dropTypo(word: string, at: number): string {
  const i = 1 + (at % Math.max(1, word.length - 2));
  return word.slice(0, i) + word.slice(i + 1);
}

function buildCases(clinicId: string, rows: SampleRow[]): Case[] {
  const cases: Case[] = [];
  const naiveColumns = "id, mrn, given_name, family_name, date_of_birth, phone_mobile";
  const naiveName = (tokens: string[]) => ({
    text: `SELECT ${naiveColumns} FROM patient WHERE clinic_id = $1 AND status <> 'MERGED' AND ${tokens
      .map((_, i) => `(given_name ILIKE $${i + 2} OR family_name ILIKE $${i + 2})`)
      .join(" AND ")} ORDER BY family_name, given_name LIMIT 20`,
    values: [clinicId, ...tokens.map((t) => `%${t}%`)],
  });
  rows.forEach((row, n) => {
    const given = firstWord(row.given_name);
    const family = firstWord(row.family_name);
    // Family-name fragments of 3 to 5 letters, as typed at a front desk ("Smi", "Hern").
    if (family.length >= 3) {
      const q = family.slice(0, 3 + (n % 3));
      cases.push({ kind: "name fragment", q, sourceId: row.id, naive: naiveName([q]) });
    }
    if (given.length >= 4 && family.length >= 5) {
      const q = `${swapTypo(given, n)} ${dropTypo(family, n)}`.toLowerCase();
      cases.push({ kind: "typo", q, sourceId: row.id, naive: naiveName(q.split(" ")) });
    }
    const mrn = n % 2 ? row.mrn : `${row.mrn.slice(0, 4)}-${row.mrn.slice(4)}`;
    cases.push({
      kind: "MRN",
      q: mrn,
      sourceId: row.id,
      naive: { text: `SELECT ${naiveColumns} FROM patient WHERE clinic_id = $1 AND status <> 'MERGED' AND mrn ILIKE $2 LIMIT 20`, values: [clinicId, `%${row.mrn}%`] },
    });
    const [y, m, d] = row.dob.split("-");
    const dob = [row.dob, `${m}/${d}/${y}`, `${MONTHS[Number(m) - 1]} ${Number(d)} ${y}`][n % 3]!;
    cases.push({
      kind: "DOB",
      q: dob,
      sourceId: row.id,
      naive: {
        text: `SELECT ${naiveColumns} FROM patient WHERE clinic_id = $1 AND status <> 'MERGED' AND date_of_birth::text ILIKE $2 ORDER BY family_name, given_name LIMIT 20`,
        values: [clinicId, `%${row.dob}%`],
      },
    });
    if (row.phone_mobile) {
      const digits = row.phone_mobile.slice(-10);
      const q = n % 2 ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : `+1 ${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}`;
      cases.push({
        kind: "phone",
        q,
        sourceId: row.id,
        naive: {
          text: `SELECT ${naiveColumns} FROM patient WHERE clinic_id = $1 AND status <> 'MERGED' AND (phone_mobile ILIKE $2 OR phone_home ILIKE $2) LIMIT 20`,
          values: [clinicId, `%${digits}%`],
        },
      });
    }
  });
  return cases;
}

interface CpuPerRequest {
  web: number | null;
  bench: number;
  postgres: number;
}

interface KindResult {
  kind: Kind;
  queries: number;
  ours: Summary;
  floor: Summary;
  naive: Summary;
  /** share of requests whose page held the row the query was made from (MRN/typo/phone) */
  found: number;
  errors: number;
  examples: string[];
  /**
   * CPU ms per request (from /proc: unlike latency, it does not grow with the machine's load) of
   * the web process, this process (the HTTP clients, or the pg floor's driver) and PostgreSQL.
   */
  cpu: { ours: CpuPerRequest; floor: CpuPerRequest };
  targets: { p95: boolean; p99: boolean; overFloor: boolean; overNaive: boolean };
}

async function main() {
  const opts = options();
  const database = databaseName(BENCH_DATABASE_URL);
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: opts.concurrency });

  // --- the data must be there
  let clinicId: string;
  let patients: number;
  try {
    const { rows } = await pool.query<{ id: string; n: number }>(
      "SELECT c.id, (SELECT count(*)::int FROM patient p WHERE p.clinic_id = c.id) AS n FROM clinic c WHERE c.slug = $1",
      [BENCH_CLINIC_SLUG],
    );
    if (!rows[0] || rows[0].n === 0) throw new Error("empty");
    clinicId = rows[0].id;
    patients = rows[0].n;
  } catch {
    console.error(`${database} has no benchmark patients yet. Load them first:\n\n  npm run bench:seed -- --patients 1000000\n`);
    await pool.end();
    process.exit(1);
  }

  const { rows: sample } = await pool.query<SampleRow>(
    `SELECT id::text, mrn, given_name, family_name, to_char(date_of_birth, 'YYYY-MM-DD') AS dob, phone_mobile
       FROM patient TABLESAMPLE BERNOULLI (0.1) REPEATABLE (20261126)
      WHERE clinic_id = $1 AND status <> 'MERGED'
      ORDER BY mrn LIMIT 300`,
    [clinicId],
  );
  const cases = buildCases(clinicId, sample);

  // --- the real server (a child process unless --in-process) and signed-in users
  const { HttpClient } = await import("../tests/helpers/http.ts");
  const { buildSearch, runBuiltSearch, searchInput } = await import("../server/modules/patients/search.ts");
  let server: { url: string; close: () => Promise<void> };
  let webPid: number | null = null;
  let closeInProcess = async () => {};
  if (opts.inProcess) {
    const { createWebServer } = await import("../server/app.ts");
    const { db } = await import("../server/db.ts");
    const { redis } = await import("../server/redis.ts");
    server = await createWebServer({ port: 0, host: "127.0.0.1", remix: "none" });
    closeInProcess = async () => {
      await db.$disconnect().catch(() => undefined);
      redis.disconnect();
    };
  } else {
    const web = await startWebProcess([], {}, opts.serverRoot);
    server = { url: web.url, close: web.stop };
    webPid = web.child.pid ?? null;
  }

  const shutdown = async (code: number) => {
    await server.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await closeInProcess();
    process.exit(code);
  };

  const clients: InstanceType<typeof HttpClient>[] = [];
  for (let i = 0; i < opts.concurrency; i++) {
    const client = new HttpClient(server.url);
    const signIn = await client.signIn(benchEmail("RECEPTIONIST"), BENCH_PASSWORD);
    if (signIn.status !== 302 || signIn.location.includes("error")) {
      console.error(`Could not sign in as ${benchEmail("RECEPTIONIST")} (${signIn.status} ${signIn.location}). Re-seed with --reset.`);
      return shutdown(1);
    }
    clients.push(client);
  }
  const probe = await clients[0]!.trpc("patients.search", { q: "smith" });
  if (probe.status === 404) {
    console.error(
      "patients.search is not mounted on the tRPC router yet (HTTP 404).\n" +
        "Mount it in server/modules/patients/router.ts (permission patient:read), then run this again.",
    );
    return shutdown(1);
  }
  if (probe.status !== 200) {
    console.error(`patients.search answered ${probe.status}: ${JSON.stringify(probe.body.error ?? probe.body)}`);
    return shutdown(1);
  }

  // Warm the whole server first (JIT, connection pool, plan and buffer caches) with every kind of
  // request it will answer: measured on a fresh process, the first rows cost the web process ~7 ms
  // of CPU a request against ~4.5 ms once warm, which skewed whichever row ran first.
  for (const kind of ["name fragment", "typo", "MRN", "DOB", "phone"] as const) {
    const mine = cases.filter((c) => c.kind === kind);
    await runClosedLoop(opts.warmup * 2, opts.concurrency, async (i, w) => void (await clients[w]!.trpc("patients.search", { q: mine[i % mine.length]!.q })));
  }
  await runClosedLoop(opts.warmup * 4, opts.concurrency, async (_i, w) => void (await clients[w]!.trpc("access.me")));

  // Fixed per-request cost of this stack (Auth.js cookie, session row, permission, tRPC, JSON):
  // context for the ours/floor ratio on lookups that take the database well under a millisecond.
  /** Runs `work`, returning its result and the CPU per request it cost each group of processes. */
  const withCpu = async <T>(work: () => Promise<T>): Promise<[T, CpuPerRequest]> => {
    const stop = await measureCpu({ web: () => (webPid ? [webPid] : []), postgres: () => backendPids(pool) });
    const result = await work();
    const used = await stop();
    const per = (v: number) => Math.round((100 * v) / opts.requests) / 100;
    return [result, { web: webPid ? per(used.web!) : null, bench: per(used.bench!), postgres: per(used.postgres!) }];
  };
  const [overheadSamples, overheadCpu] = await withCpu(() =>
    runClosedLoop(opts.requests, opts.concurrency, async (_i, w) => void (await clients[w]!.trpc("access.me"))),
  );
  const overhead = summarize(overheadSamples);

  const loadBefore = os.loadavg();
  const kinds: Kind[] = ["name fragment", "typo", "MRN", "DOB", "phone"];
  const results: KindResult[] = [];
  for (const kind of kinds) {
    const mine = cases.filter((c) => c.kind === kind);
    const built = mine.map((c) => buildSearch(clinicId, searchInput.parse({ q: c.q })));
    let errors = 0;
    let found = 0;
    const expectFound = kind === "MRN" || kind === "typo" || kind === "phone";

    const http = async (i: number, w: number) => {
      const c = mine[i % mine.length]!;
      const response = await clients[w]!.trpc("patients.search", { q: c.q });
      if (response.status !== 200) {
        errors++;
        return;
      }
      const items = (response.body.result?.data as { items: { id: string }[] }).items;
      if (items.some((item) => item.id === c.sourceId)) found++;
    };
    await runClosedLoop(opts.warmup, opts.concurrency, http);
    errors = 0;
    found = 0;
    const [ours, oursCpu] = await withCpu(() => runClosedLoop(opts.requests, opts.concurrency, http));

    // The same statements search.ts runs, in the same order, straight through pg.
    const direct = async (i: number) => {
      await runBuiltSearch(built[i % built.length]!, async (sql) => (await pool.query(sql.text, sql.values)).rows);
    };
    await runClosedLoop(opts.warmup, opts.concurrency, direct);
    const [floor, floorCpu] = await withCpu(() => runClosedLoop(opts.requests, opts.concurrency, direct));

    const naive = await runClosedLoop(opts.naive, 1, async (i) => {
      const { text, values } = mine[i % mine.length]!.naive;
      await pool.query(text, values);
    });

    const o = summarize(ours);
    const f = summarize(floor);
    const n = summarize(naive);
    results.push({
      kind,
      queries: mine.length,
      ours: o,
      floor: f,
      naive: n,
      found: expectFound ? found / opts.requests : Number.NaN,
      errors,
      examples: mine.slice(0, 3).map((c) => c.q),
      cpu: { ours: oursCpu, floor: floorCpu },
      targets: { p95: o.p95 <= TARGETS.p95, p99: o.p99 <= TARGETS.p99, overFloor: o.p50 <= TARGETS.overFloor * f.p50, overNaive: n.p50 >= TARGETS.overNaive * o.p50 },
    });
    console.log(`  ${kind}: ours p50 ${ms(o.p50)} ms, floor p50 ${ms(f.p50)} ms, naive p50 ${ms(n.p50)} ms${errors ? `, ${errors} errors` : ""}`);
  }
  const loadAfter = os.loadavg();

  // --- report
  const yes = (ok: boolean) => (ok ? "yes" : "NO");
  const table = markdownTable(
    ["kind", "ours p50/p95/p99 ms", "floor p50/p95/p99 ms", "naive p50 ms", "ours÷floor p50", "naive÷ours p50", "targets met (p95, p99, ≤1.5x floor, ≥10x naive)"],
    [
      [
        "overhead (access.me)",
        `${ms(overhead.p50)} / ${ms(overhead.p95)} / ${ms(overhead.p99)}`,
        "-",
        "-",
        "-",
        "-",
        `${yes(overhead.p95 <= TARGETS.p95)}, ${yes(overhead.p99 <= TARGETS.p99)}, -, -`,
      ],
      ...results.map((r) => [
      r.kind,
      `${ms(r.ours.p50)} / ${ms(r.ours.p95)} / ${ms(r.ours.p99)}`,
      `${ms(r.floor.p50, 2)} / ${ms(r.floor.p95, 2)} / ${ms(r.floor.p99, 2)}`,
      ms(r.naive.p50, 0),
      `${ms(r.ours.p50 / r.floor.p50)}x`,
      `${ms(r.naive.p50 / r.ours.p50, 0)}x`,
      `${yes(r.targets.p95)}, ${yes(r.targets.p99)}, ${yes(r.targets.overFloor)}, ${yes(r.targets.overNaive)}`,
      ]),
    ],
  );
  const cpuCell = (c: CpuPerRequest) => `${c.web === null ? "-" : ms(c.web, 2)} / ${ms(c.bench, 2)} / ${ms(c.postgres, 2)}`;
  const cpuTable = markdownTable(
    ["kind", "ours: CPU ms per request (web / bench / postgres)", "floor: CPU ms per request (- / bench / postgres)"],
    [["overhead (access.me)", cpuCell(overheadCpu), "-"], ...results.map((r) => [r.kind, cpuCell(r.cpu.ours), cpuCell(r.cpu.floor)])],
  );
  const { rows: version } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  const meta = {
    at: new Date().toISOString(),
    database,
    patients,
    concurrency: opts.concurrency,
    requestsPerKind: opts.requests,
    warmupPerKind: opts.warmup,
    naiveSamplesPerKind: opts.naive,
    node: process.version,
    postgres: version[0]!.v,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: { before: loadBefore.map((l) => Number(l.toFixed(2))), after: loadAfter.map((l) => Number(l.toFixed(2))) },
    httpOverheadAccessMe: overhead,
    httpOverheadAccessMeCpu: overheadCpu,
    server: opts.inProcess ? "in the benchmark process" : `child process (tests/helpers/web-process.ts${opts.serverRoot ? ` of ${opts.serverRoot}` : ""})`,
    targets: TARGETS,
  };
  const notes = [
    `${patients.toLocaleString("en-US")} patients in one clinic, ${opts.concurrency} concurrent users, ${opts.requests} requests per kind after ${opts.warmup} warm-up; naive: ${opts.naive} sequential samples.`,
    `Web server: ${meta.server}; HTTP clients (fetch) in the benchmark process.`,
    `Fixed cost of an authenticated tRPC call on this stack (access.me, the overhead row): p50 ${ms(overhead.p50)} ms, p95 ${ms(overhead.p95)} ms.`,
    `Query's own row on the page (top 20): ${results
      .filter((r) => Number.isFinite(r.found))
      .map((r) => `${r.kind} ${Math.round(r.found * 100)}%`)
      .join(", ")}.`,
    `Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGiB} GiB, Node ${meta.node}, PostgreSQL ${meta.postgres}; load average before/after ${meta.loadAverage.before[0]}/${meta.loadAverage.after[0]}.`,
  ];
  console.log(`\n${table}\n\n${cpuTable}\n\n${notes.join("\n")}\n`);

  if (opts.serverRoot) {
    console.log(`server from ${opts.serverRoot}: results not written`);
    return shutdown(results.some((r) => r.errors > 0) ? 1 : 0);
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, "patients.json"), JSON.stringify({ meta, results }, null, 2) + "\n");
  await writeFile(
    path.join(RESULTS_DIR, "patients.md"),
    `# Patient search benchmark (${meta.at.slice(0, 10)})\n\n${table}\n\nCPU per request (from /proc; the web process is the server, bench is this process: HTTP clients for ours, the pg driver for the floor):\n\n${cpuTable}\n\n${notes.map((n) => `- ${n}`).join("\n")}\n`,
  );
  console.log(`wrote ${path.relative(process.cwd(), RESULTS_DIR)}/patients.json and patients.md`);
  return shutdown(results.some((r) => r.errors > 0) ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
