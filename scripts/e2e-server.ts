/**
 * The server Playwright drives: a fresh database `carelane_e2e` (dropped, migrated, seeded with
 * the demo clinic) and the BUILT app (run `npm run build` first) with the worker, on port 3100.
 * E2E_PORT moves it (database, Redis prefix and port together), so two runs can share a machine.
 */
import { applyMigrations, dropDatabase, ensureDatabase } from "./db/engine.ts";

const base = process.env.TEST_DATABASE_BASE_URL ?? "postgresql://postgres@127.0.0.1:5432";
const port = process.env.E2E_PORT ?? "3100";
const other = port === "3100" ? null : port;
const databaseUrl = `${base}/carelane_e2e${other ? `_${other}` : ""}`;
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  NODE_ENV: "production",
  CARELANE_DEMO: "1",
  PORT: port,
  REDIS_PREFIX: `carelane-e2e${other ? `-${other}` : ""}`,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  // Seeded appointments stay bookable/checkable all day; the no-show job would otherwise close them.
  NO_SHOW_GRACE_MINUTES: "1440",
});

await dropDatabase(databaseUrl);
await ensureDatabase(databaseUrl);
await applyMigrations(databaseUrl);
const { seedDemo } = await import("../prisma/seed.ts");
await seedDemo();
const { startWorkers } = await import("../jobs/worker.ts");
const stopWorkers = await startWorkers();
await import("../server/index.ts");
process.on("SIGTERM", () => void stopWorkers());
