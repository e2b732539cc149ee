import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../scripts/db/engine.ts";
import { db } from "../db.ts";
import { importLoinc } from "./import.ts";

// 2,177 common lab codes + 14 vital-sign codes, 4 of them in both files.
const LOINC_CODES = 2_187;

async function runSql(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("importLoinc", () => {
  it("has loaded the test database (global setup)", async () => {
    expect(await db.loincCode.count()).toBe(LOINC_CODES);
    expect(await db.loincCode.findUnique({ where: { code: "4548-4" } })).toMatchObject({
      longCommonName: "Hemoglobin A1c/Hemoglobin.total in Blood",
      loincClass: "HEM/BC",
      exampleUnit: "%",
      vitalSign: false,
    });
    // In both files: lab-list class and rank kept, marked as a vital sign.
    expect(await db.loincCode.findUnique({ where: { code: "29463-7" } })).toMatchObject({ longCommonName: "Body weight", exampleUnit: "kg", loincClass: "BDYWGT.ATOM", vitalSign: true });
    // Only in the vitals file.
    expect(await db.loincCode.findUnique({ where: { code: "8480-6" } })).toMatchObject({ longCommonName: "Systolic blood pressure", exampleUnit: "mm[Hg]", loincClass: null, top2000Rank: null, vitalSign: true });
    expect(await db.loincCode.count({ where: { vitalSign: true } })).toBe(14);
  });

  it("skips when already loaded", async () => {
    expect(await importLoinc(process.env.DATABASE_URL)).toEqual({ inserted: 0, updated: 0, skipped: true });
  });

  describe("into an empty database", () => {
    const target = new URL(process.env.DATABASE_URL!);
    target.pathname += "_loinc";
    const url = target.toString();
    beforeAll(async () => {
      await ensureDatabase(url);
      await applyMigrations(url);
    });
    afterAll(async () => {
      await dropDatabase(url);
    });

    it(`loads all ${LOINC_CODES} codes, then skips; forced, it rewrites only what changed`, async () => {
      expect(await importLoinc(url)).toEqual({ inserted: LOINC_CODES, updated: 0, skipped: false });
      expect(await importLoinc(url)).toEqual({ inserted: 0, updated: 0, skipped: true });
      expect(await importLoinc(url, { force: true })).toEqual({ inserted: 0, updated: 0, skipped: false });
      await runSql(url, "UPDATE loinc_code SET long_common_name = 'tampered' WHERE code = '2345-7'");
      expect(await importLoinc(url, { force: true })).toEqual({ inserted: 0, updated: 1, skipped: false });
      // A missing code changes the count, so a plain run loads it.
      await runSql(url, "DELETE FROM loinc_code WHERE code = '8480-6'");
      expect(await importLoinc(url)).toEqual({ inserted: 1, updated: 0, skipped: false });
    });

    it("loads once however many callers race", async () => {
      await runSql(url, "DELETE FROM loinc_code");
      const results = await Promise.all([importLoinc(url), importLoinc(url), importLoinc(url)]);
      expect(results.filter((r) => !r.skipped)).toEqual([{ inserted: LOINC_CODES, updated: 0, skipped: false }]);
    });
  });
});
