/**
 * Collaboration benchmark on its own: `npx tsx bench/charts-collab.ts [--duration 60] [--editors 20]
 * [--rate 10] [--no-floor]`. 20 editors co-edit one note over two web processes at 10 edits/s in
 * total; prints one table and writes bench/results/charts-collab.{json,md}. The work is in
 * bench/lib/collab-bench.ts (also run by bench/charts.ts, `npm run bench:charts`).
 *
 * Data goes to BENCH_COLLAB_DATABASE_URL (default carelane_bench_collab), dropped, created and
 * migrated on every run; Redis channels use REDIS_PREFIX carelane-bench-collab.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { applyMigrations, dropDatabase, ensureDatabase } from "../scripts/db/engine.ts";
import { databaseName } from "./lib/bench-db.ts";
import { collabMarkdown, runCollabBench } from "./lib/collab-bench.ts";

const DATABASE_URL = process.env.BENCH_COLLAB_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/carelane_bench_collab";
process.env.DATABASE_URL = DATABASE_URL;
process.env.REDIS_PREFIX = "carelane-bench-collab";
process.env.LOG_LEVEL ??= "warn";
process.env.ARGON2_MEMORY_KIB ??= "4096";
const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    editors: { type: "string", default: "20" },
    rate: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    "no-floor": { type: "boolean", default: false },
  },
});
const positive = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return n;
};

async function main() {
  if (!databaseName(DATABASE_URL).includes("bench")) throw new Error(`refusing to drop ${databaseName(DATABASE_URL)}: its name must contain "bench"`);
  console.log(`[collab] recreating ${databaseName(DATABASE_URL)}`);
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await applyMigrations(DATABASE_URL, { warn: () => {} });

  const result = await runCollabBench({
    durationSeconds: positive("duration", values.duration),
    editors: Math.round(positive("editors", values.editors)),
    editsPerSecond: positive("rate", values.rate),
    warmupSeconds: Number(values.warmup),
    floor: !values["no-floor"],
  });
  const markdown = collabMarkdown(result);
  console.log(`\n${markdown}\n`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, "charts-collab.json"), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(RESULTS_DIR, "charts-collab.md"), `# Charts: live note co-editing\n\n${result.startedAt}, \`npx tsx bench/charts-collab.ts\`\n\n${markdown}\n`);

  const { db } = await import("../server/db.ts");
  const { redis } = await import("../server/redis.ts");
  const { closeNoteBroadcaster } = await import("../server/modules/charts/note-doc.ts");
  await closeNoteBroadcaster();
  await db.$disconnect();
  redis.disconnect();
  return result.pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
