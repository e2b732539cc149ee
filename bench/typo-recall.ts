/**
 * Typo recall of patient search: for each kind of typo, how often the patient a query was made
 * from is on the first page (20 rows; for a family name typed alone, which hundreds share: a
 * patient with that family name, or a compound one holding it), and what the statements cost.
 *
 *   npx tsx bench/typo-recall.ts [--rows 300] [--search ./other/search.ts] [--verbose]
 *
 * Rows are sampled like bench/patients.ts (same TABLESAMPLE seed); each typo is made
 * deterministically from the row. The statements are search.ts's (buildSearch + runBuiltSearch)
 * run straight through `pg`, one at a time: this measures matching quality and database time, not
 * the HTTP stack. --search points at another copy of search.ts (e.g. `git show
 * HEAD:server/modules/patients/search.ts > /tmp/old-search.ts`, copied next to the original so
 * its imports resolve) to compare two versions on the same queries. --verbose lists the misses.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { BENCH_CLINIC_SLUG, BENCH_DATABASE_URL } from "./lib/bench-db.ts";
import { ms, summarize } from "./lib/stats.ts";
import type * as SearchModule from "../server/modules/patients/search.ts";

process.env.DATABASE_URL = BENCH_DATABASE_URL;

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "300" },
    search: { type: "string", default: "../server/modules/patients/search.ts" },
    verbose: { type: "boolean", default: false },
  },
});
const modulePath = values.search.startsWith(".") && !values.search.startsWith("../") ? path.resolve(values.search) : values.search;
const { buildSearch, runBuiltSearch, searchInput } = (await import(modulePath)) as typeof SearchModule;

interface Row {
  id: string;
  given_name: string;
  family_name: string;
}

const firstWord = (name: string) => name.split(/[\s-]+/)[0]!.replace(/[^\p{L}]/gu, "");
/** A position from the 2nd letter on (people rarely get the first letter wrong), varying by row. */
const at = (word: string, n: number) => 1 + (n % Math.max(1, word.length - 2));
const swap = (w: string, n: number) => {
  const i = at(w, n);
  return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
};
const drop = (w: string, n: number) => {
  const i = at(w, n);
  return w.slice(0, i) + w.slice(i + 1);
};
/** A letter typed twice ("smitth"), or a neighbouring key on a QWERTY row. */
const NEIGHBOUR: Record<string, string> = Object.fromEntries(
  ["qwertyuiop", "asdfghjkl", "zxcvbnm"].flatMap((row) => [...row].map((c, i) => [c, row[i + 1] ?? row[i - 1]!])),
);
const extra = (w: string, n: number) => {
  const i = at(w, n);
  const c = n % 2 ? w[i]! : (NEIGHBOUR[w[i]!.toLowerCase()] ?? w[i]!);
  return w.slice(0, i) + c + w.slice(i);
};
const change = (w: string, n: number) => {
  const i = at(w, n);
  const c = w[i]!.toLowerCase();
  return w.slice(0, i) + (NEIGHBOUR[c] && NEIGHBOUR[c] !== c ? NEIGHBOUR[c] : c === "e" ? "a" : "e") + w.slice(i + 1);
};
const firstLetter = (w: string) => (NEIGHBOUR[w[0]!.toLowerCase()] ?? "x") + w.slice(1);

type Maker = (given: string, family: string, n: number) => string | null;
/** Single-word queries match hundreds of patients: there, "found" means the family name is on page 1. */
const FAMILY_ONLY = "family name alone, swapped";
const KINDS: [string, Maker][] = [
  ["bench: swap in given + drop in family", (g, f, n) => (g.length >= 4 && f.length >= 5 ? `${swap(g, n)} ${drop(f, n)}` : null)],
  ["swapped letters (family)", (g, f, n) => (f.length >= 4 ? `${g} ${swap(f, n)}` : null)],
  ["missing letter (given)", (g, f, n) => (g.length >= 4 ? `${drop(g, n)} ${f}` : null)],
  ["extra letter (family)", (g, f, n) => (f.length >= 3 ? `${g} ${extra(f, n)}` : null)],
  ["changed letter (family)", (g, f, n) => (f.length >= 4 ? `${g} ${change(f, n)}` : null)],
  ["typo in both words", (g, f, n) => (g.length >= 4 && f.length >= 4 ? `${drop(g, n + 1)} ${swap(f, n)}` : null)],
  ["wrong first letter (family)", (g, f) => (f.length >= 5 ? `${g} ${firstLetter(f)}` : null)],
  ["family, given with a typo", (g, f, n) => (f.length >= 5 ? `${swap(f, n)}, ${g}` : null)],
  [FAMILY_ONLY, (_g, f, n) => (f.length >= 5 ? swap(f, n) : null)],
];

const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
await client.connect();
try {
  const { rows: clinic } = await client.query<{ id: string }>("SELECT id FROM clinic WHERE slug = $1", [BENCH_CLINIC_SLUG]);
  if (!clinic[0]) throw new Error("no bench clinic: npm run bench:seed -- --patients 1000000");
  const clinicId = clinic[0].id;
  const { rows } = await client.query<Row>(
    `SELECT id::text, given_name, family_name
       FROM patient TABLESAMPLE BERNOULLI (0.1) REPEATABLE (20261126)
      WHERE clinic_id = $1 AND status <> 'MERGED'
      ORDER BY mrn LIMIT $2`,
    [clinicId, Number(values.rows)],
  );
  const run = (q: string) => {
    const built = buildSearch(clinicId, searchInput.parse({ q }));
    return runBuiltSearch(built, async (sql) => (await client.query(sql.text, sql.values)).rows);
  };
  // Warm the caches a little so the first kind is not penalised.
  for (const row of rows.slice(0, 20)) await run(`${row.given_name} ${row.family_name}`);

  console.log(`${path.relative(process.cwd(), new URL(modulePath, import.meta.url).pathname)}, ${rows.length} sampled rows\n`);
  console.log("| typo | queries | on page 1 | p50 ms | p95 ms | e.g. |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const [kind, make] of KINDS) {
    const latencies: number[] = [];
    const misses: string[] = [];
    let found = 0;
    let queries = 0;
    const examples: string[] = [];
    for (const [n, row] of rows.entries()) {
      const q = make(firstWord(row.given_name), firstWord(row.family_name), n)?.toLowerCase();
      if (!q) continue;
      queries++;
      if (examples.length < 2) examples.push(`\`${q}\``);
      const started = performance.now();
      const result = await run(q);
      latencies.push(performance.now() - started);
      const fold = (name: string) => name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
      // For a lone family name, the word it was made from must be a word of a page-1 family name
      // (hundreds of patients share "Rendón", and "Rendón Campos" is one of them).
      const familyWord = fold(firstWord(row.family_name));
      const hit =
        kind === FAMILY_ONLY
          ? result.some((r) => r.id && fold(r.familyName).split(/[\s'-]+/).includes(familyWord))
          : result.some((r) => r.id === row.id);
      if (hit) found++;
      else misses.push(`${q} (${row.given_name} ${row.family_name}; ${result.filter((r) => r.id).length} rows)`);
    }
    const s = summarize(latencies);
    console.log(`| ${kind} | ${queries} | ${Math.round((100 * found) / queries)}% | ${ms(s.p50)} | ${ms(s.p95)} | ${examples.join(", ")} |`);
    if (values.verbose && misses.length) console.log(`  missed: ${misses.join("; ")}`);
  }
} finally {
  await client.end();
}
