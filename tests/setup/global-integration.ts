import type { TestProject } from "vitest/node";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../scripts/db/engine.ts";
import { importDrugs, importIcd10, importLoinc } from "../../server/codes/import.ts";

/**
 * One throwaway database per test run, migrated with the same tool as production, dropped at the
 * end. Redis is shared, so queues and socket channels get a prefix unique to the run.
 */
export default async function setup(project: TestProject) {
  const base = process.env.TEST_DATABASE_BASE_URL ?? "postgresql://postgres@127.0.0.1:5432";
  const name = `carelane_test_${Date.now()}_${process.pid}`;
  const databaseUrl = `${base}/${name}`;
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  await Promise.all([importIcd10(databaseUrl), importLoinc(databaseUrl), importDrugs(databaseUrl)]);
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisPrefix", `carelane-test-${Date.now()}`);
  return async () => {
    if (!process.env.KEEP_TEST_DB) await dropDatabase(databaseUrl);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisPrefix: string;
  }
}
