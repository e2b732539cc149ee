import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { importDrugs, parseDrugCsvs } from "./import.ts";
import { searchAllergens, searchRxnorm } from "./rxnorm.ts";

// data/code-sets/rxnorm-common.csv and drug-allergy-classes.csv
const DRUGS = 1_003;
const CLASS_MEMBERS = 121;

describe("importDrugs", () => {
  it("has loaded the test database (global setup)", async () => {
    expect(await db.rxnormDrug.count()).toBe(DRUGS);
    expect(await db.drugClassMember.count()).toBe(CLASS_MEMBERS);
    expect(await db.rxnormDrug.findUnique({ where: { rxcui: "314076" } })).toMatchObject({ name: "lisinopril 10 MG Oral Tablet", ingredient: "lisinopril", strength: "10 MG", doseForm: "Oral Tablet" });
    expect(await db.rxnormDrug.findUnique({ where: { rxcui: "835603" }, select: { deaSchedule: true } })).toEqual({ deaSchedule: "CIV" });
  });

  it("skips when loaded, and a lost row comes back once however many callers race", async () => {
    expect(await importDrugs(process.env.DATABASE_URL)).toEqual({ inserted: 0, updated: 0, skipped: true });
    // Spironolactone suspension: no other test reads it.
    await db.rxnormDrug.delete({ where: { rxcui: "104232" } });
    const results = await Promise.all([importDrugs(process.env.DATABASE_URL), importDrugs(process.env.DATABASE_URL), importDrugs(process.env.DATABASE_URL)]);
    expect(results.filter((r) => !r.skipped)).toEqual([{ inserted: 1, updated: 0, skipped: false }]);
    expect(await db.rxnormDrug.count()).toBe(DRUGS);
  });

  it("refuses a bad file naming the record, and loads nothing from it", () => {
    const header = "rxcui,name,ingredient,strength,dose_form,tty,category,dea_schedule,quantity_factor,vsac_value_sets,source";
    const classes = "class,ingredient,rxcui,note\nNSAIDs,ibuprofen,5640,x\n";
    expect(() => parseDrugCsvs(`${header}\n12a,x 1 MG Oral Tablet,x,1 MG,Oral Tablet,SCD,,,,,s\n`, classes)).toThrow('RxNorm CSV record 2: "12a" is not an RxCUI');
    expect(() => parseDrugCsvs(`${header}\n1,x 1 MG Oral Tablet,x,1 MG,Oral Tablet,SBD,,,,,s\n`, classes)).toThrow("record 2: 1 has term type");
    expect(() => parseDrugCsvs(`${header}\n`, `${classes}NSAIDs,ibuprofen,5640,y\n`)).toThrow("Drug classes CSV record 3: ibuprofen appears twice in NSAIDs");
  });
});

describe("searchRxnorm", () => {
  it("finds drugs by words in any order, single-ingredient tablets first, and by RxCUI", async () => {
    expect((await searchRxnorm("amox 500", 3)).map((d) => d.name)).toEqual([
      "amoxicillin 500 MG Oral Tablet",
      "amoxicillin 500 MG Oral Capsule",
      "amoxicillin 500 MG / clavulanate 125 MG Oral Tablet",
    ]);
    expect((await searchRxnorm("10 lisinopril"))[0]).toMatchObject({ rxcui: "314076" });
    expect(await searchRxnorm("314076")).toEqual([expect.objectContaining({ name: "lisinopril 10 MG Oral Tablet" })]);
    expect(await searchRxnorm("%")).toEqual([]);
  });
});

describe("searchAllergens", () => {
  it("offers classes first, then ingredients by the start of a word, without salts whose base is listed", async () => {
    expect(await searchAllergens("nsaid")).toEqual([{ kind: "CLASS", name: "NSAIDs", rxcui: null, members: 26 }]);
    expect((await searchAllergens("oxycod")).map((a) => a.name)).toEqual(["oxycodone"]);
    expect((await searchAllergens("ace")).slice(0, 2)).toEqual([
      { kind: "CLASS", name: "ACE inhibitors", rxcui: null, members: 12 },
      expect.objectContaining({ kind: "INGREDIENT", name: "aceclofenac" }),
    ]);
    expect(await searchAllergens("cillin")).toEqual([]);
  });
});
