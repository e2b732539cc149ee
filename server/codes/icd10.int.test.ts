import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../scripts/db/engine.ts";
import { createClinic, signIn, type ClinicFixture } from "../../tests/factories/index.ts";
import { db } from "../db.ts";
import { contextFor } from "../trpc/context.ts";
import { createCallerFactory, router } from "../trpc/init.ts";
import { getIcd10, searchIcd10 } from "./icd10.ts";
import { importIcd10 } from "./import.ts";
import { codesRouter } from "./router.ts";

// Not mounted in the app router yet: a caller over just this router, with real sessions.
const createCaller = createCallerFactory(router({ codes: codesRouter }));
const callerFor = async (userId: string) => createCaller(contextFor(await signIn(userId), "127.0.0.1"));

async function runSql(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let fixture: ClinicFixture;
beforeAll(async () => {
  fixture = await createClinic();
});

describe("getIcd10", () => {
  it("finds a code written with or without the dot, in any case", async () => {
    const expected = { code: "E119", codeDotted: "E11.9", description: "Type 2 diabetes mellitus without complications" };
    expect(await getIcd10("E11.9")).toEqual(expected);
    expect(await getIcd10("e119")).toEqual(expected);
    expect(await getIcd10("I10")).toMatchObject({ codeDotted: "I10", description: "Essential (primary) hypertension" });
  });

  it("returns null for a code that does not exist", async () => {
    expect(await getIcd10("E11.99999")).toBeNull();
    expect(await getIcd10("")).toBeNull();
  });
});

describe("searchIcd10 by code", () => {
  it("matches a prefix, in code order", async () => {
    const results = await searchIcd10("E11", 50);
    expect(results).toHaveLength(50);
    expect(results.every((r) => r.code.startsWith("E11"))).toBe(true);
    expect(results.map((r) => r.code)).toEqual([...results.map((r) => r.code)].sort());
    expect(results[0]).toMatchObject({ codeDotted: "E11.00" });
  });

  it("takes the dot or not, and lower case", async () => {
    const dotted = await searchIcd10("e11.6");
    expect(dotted.length).toBeGreaterThan(0);
    expect(dotted.every((r) => r.codeDotted.startsWith("E11.6"))).toBe(true);
    expect(await searchIcd10("E116")).toEqual(dotted);
  });

  it("puts an exact category first", async () => {
    expect((await searchIcd10("I10"))[0]).toMatchObject({ code: "I10" });
  });

  it("handles FY2026 codes with a letter second", async () => {
    expect((await searchIcd10("QA0.01")).map((r) => r.code)).toContain("QA00101");
  });

  it("falls back to words when nothing starts with a code-like query (vitamin B12)", async () => {
    const results = await searchIcd10("b12");
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => /B12/i.test(r.description))).toBe(true);
  });
});

describe("searchIcd10 by words", () => {
  it("ranks type 2 diabetes codes first, the uncomplicated one on top", async () => {
    const results = await searchIcd10("type 2 diabetes");
    expect(results).toHaveLength(20);
    expect(results[0]).toMatchObject({ codeDotted: "E11.9" });
    expect(results.every((r) => r.code.startsWith("E11"))).toBe(true);
  });

  it("matches word prefixes in any order", async () => {
    const results = await searchIcd10("mell diab type 2");
    expect(results[0]).toMatchObject({ codeDotted: "E11.9" });
    // Every word, anywhere, as the start of a word ("Type 1 diabetes mellitus, ... Stage 2" counts too).
    for (const r of results) for (const w of ["mell", "diab", "type", "2"]) expect(r.description).toMatch(new RegExp(`\\b${w}`, "i"));
  });

  it("finds common conditions by their everyday words", async () => {
    expect((await searchIcd10("hypertension")).map((r) => r.code)).toContain("I10");
    expect((await searchIcd10("essential hypertension"))[0]).toMatchObject({ code: "I10" });
    expect((await searchIcd10("atrial fibrillation")).map((r) => r.code.slice(0, 3))).toContain("I48");
    expect((await searchIcd10("osteoarthritis knee"))[0]?.code.slice(0, 3)).toBe("M17");
  });

  it("ignores accents and punctuation", async () => {
    const results = await searchIcd10("Sjögren's syndrome");
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.code.startsWith("M35"))).toBe(true);
  });

  it("tolerates a typo when the exact words find nothing", async () => {
    expect((await searchIcd10("type 2 diabtes"))[0]).toMatchObject({ codeDotted: "E11.9" });
    expect((await searchIcd10("hypertenion")).map((r) => r.code)).toContain("I10");
    expect((await searchIcd10("pnuemonia")).every((r) => /pneumonia/i.test(r.description))).toBe(true);
  });

  it("returns nothing, without errors, for nonsense, lone short words and query syntax", async () => {
    expect(await searchIcd10("xyzzy")).toEqual([]);
    expect(await searchIcd10("of")).toEqual([]);
    expect(await searchIcd10("!&|:*()<->'")).toEqual([]);
    expect(await searchIcd10("   ")).toEqual([]);
  });

  it("respects the limit", async () => {
    expect(await searchIcd10("fracture", 5)).toHaveLength(5);
    expect(await searchIcd10("fracture", 500)).toHaveLength(50);
  });
});

describe("codes.icd10Search (tRPC)", () => {
  it("answers a clinician", async () => {
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    const results = await physician.codes.icd10Search({ q: "I10" });
    expect(results[0]).toEqual({ code: "I10", codeDotted: "I10", description: "Essential (primary) hypertension" });
  });

  it("is refused to roles without codes:read", async () => {
    for (const role of ["RECEPTIONIST", "ADMIN", "MANAGER"] as const) {
      const caller = await callerFor(fixture.users[role].id);
      await expect(caller.codes.icd10Search({ q: "I10" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("names the field when the query is empty or the limit too large", async () => {
    const nurse = await callerFor(fixture.users.NURSE.id);
    const error = await nurse.codes.icd10Search({ q: " ", limit: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const issues = (error as { cause: { issues: { path: string[]; message: string }[] } }).cause.issues;
    expect(issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(["q: Search text is required", "limit: Limit must be 50 or less"]);
  });
});

describe("importIcd10", () => {
  it("skips when the table is already loaded", async () => {
    expect(await importIcd10(process.env.DATABASE_URL)).toEqual({ inserted: 0, updated: 0, skipped: true });
  });

  it("rewrites only rows that changed when forced", async () => {
    // QA08 is obscure enough that no other test file searches for it while it is altered.
    await db.icd10Code.update({ where: { code: "QA08" }, data: { description: "tampered" } });
    expect(await importIcd10(process.env.DATABASE_URL, { force: true })).toEqual({ inserted: 0, updated: 1, skipped: false });
    expect((await getIcd10("QA08"))?.description).toBe("Other neurodevelopmental disorders related to pathogenic variants in other specific genes");
  });

  describe("into an empty database", () => {
    // A sibling of the run's test database, dropped afterwards.
    const target = new URL(process.env.DATABASE_URL!);
    target.pathname += "_codes";
    const url = target.toString();
    beforeAll(async () => {
      await ensureDatabase(url);
      await applyMigrations(url);
    });
    afterAll(async () => {
      await dropDatabase(url);
    });

    // Timing is measured by `npm run codes:import`, not asserted here (no timing in tests).
    it("loads all 74,719 codes, then skips", async () => {
      expect(await importIcd10(url)).toEqual({ inserted: 74_719, updated: 0, skipped: false });
      expect(await importIcd10(url)).toMatchObject({ skipped: true });
    });

    it("loads once however many callers race", async () => {
      await runSql(url, "DELETE FROM icd10cm_code");
      const results = await Promise.all([importIcd10(url), importIcd10(url), importIcd10(url)]);
      expect(results.filter((r) => !r.skipped)).toEqual([{ inserted: 74_719, updated: 0, skipped: false }]);
    });
  });
});
