/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements patients.search runs for some queries, on the
 * benchmark database: the way to check that every tier stays index-driven on 1M patients.
 *
 *   npx tsx bench/explain-search.ts "jonh smth" smi 555-0123 [--json '{"sort":"name"}'] [--summary]
 *
 * Each statement runs once before it is explained (warm caches, as on a pooled connection).
 * Every statement a search may run is shown: `fast` (one family-name word) first, then the full
 * one, then `fallback` (two-edit typos, for words of six letters or more).
 * --summary prints one line per statement (execution and planning time, and the nodes that read
 * patient) instead of the whole plan. Read-only: EXPLAIN ANALYZE of a SELECT changes nothing.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { BENCH_CLINIC_SLUG, BENCH_DATABASE_URL } from "./lib/bench-db.ts";

process.env.DATABASE_URL = BENCH_DATABASE_URL;
const { buildSearch, searchInput } = await import("../server/modules/patients/search.ts");

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "string" }, summary: { type: "boolean", default: false } },
});
const extra = values.json ? (JSON.parse(values.json) as Record<string, unknown>) : {};

const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
await client.connect();
try {
  const { rows } = await client.query<{ id: string }>("SELECT id FROM clinic WHERE slug = $1", [BENCH_CLINIC_SLUG]);
  if (!rows[0]) throw new Error("no bench clinic: npm run bench:seed -- --patients 1000000");
  for (const q of positionals) {
    const built = buildSearch(rows[0].id, searchInput.parse({ q, ...extra }));
    const statements: [string, { text: string; values: unknown[] }][] = [
      ...(built.fast ? [["fast", built.fast] as [string, typeof built.fast]] : []),
      ["full", built.sql],
      ...(built.fallback ? [["fallback", built.fallback] as [string, typeof built.fallback]] : []),
    ];
    for (const [label, sql] of statements) {
      // Unnamed statement with parameters, as Prisma and the benchmark send it: a custom plan. Run
      // once before: a new connection's first plan pays for loading the catalogue caches (~15 ms).
      for (let i = 0; i < 3; i++) await client.query(sql.text, sql.values);
      const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`, sql.values);
      const lines = plan.rows.map((r) => r["QUERY PLAN"]);
      if (!values.summary) {
        console.log(`\n=== ${JSON.stringify(q)} (${built.kind}, ${label})\n${lines.join("\n")}`);
        continue;
      }
      const time = (name: string) => lines.find((l) => l.startsWith(name))?.replace(/^.*: /, "") ?? "?";
      const scans = lines
        .filter((l) => / on patient(_name_word)? /.test(l) && !/never executed/.test(l))
        .map((l) => l.trim().replace(/^->\s*/, "").replace(/\s+\(cost=.*?\)/, "").replace(/ \(actual time=[^ ]+ rows=(\d+) loops=\d+\)/, " rows=$1"));
      const seq = scans.some((s) => s.startsWith("Seq Scan on patient "));
      console.log(`${JSON.stringify(q).padEnd(22)} ${label} exec ${time("Execution Time")} plan ${time("Planning Time")}${seq ? "  SEQ SCAN!" : ""}\n    ${scans.join("\n    ")}`);
    }
  }
} finally {
  await client.end();
}
