import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { countCsvRecords, ICD10_CSV_PATH, LOINC_COMMON_CSV_PATH, LOINC_VITALS_CSV_PATH, parseIcd10Csv, parseLoincCsvs } from "./import.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const HEADER = "code,code_dotted,description\n";

describe("countCsvRecords (the cheap 'already loaded?' check)", () => {
  it.each([
    ["header only", HEADER, 0],
    ["no trailing newline", `${HEADER}A000,A00.0,Cholera`, 1],
    ["trailing newline", `${HEADER}A000,A00.0,Cholera\n`, 1],
    ["CRLF line ends", "code,code_dotted,description\r\nA000,A00.0,Cholera\r\nA001,A00.1,Other\r\n", 2],
    ["blank lines are not records", `${HEADER}\nA000,A00.0,Cholera\n\r\n\nA001,A00.1,Other\n\n`, 2],
    ["quoted commas", `${HEADER}A009,A00.9,"Cholera, unspecified"\n`, 1],
    ["line break inside quotes", `${HEADER}A009,A00.9,"Cholera,\nunspecified"\nA010,A01.0,Typhoid\n`, 2],
    ["escaped quotes", `${HEADER}A009,A00.9,"The ""classic"" form, with\nbreak"\n`, 1],
    ["empty file", "", 0],
  ])("%s", (_name, text, expected) => {
    expect(countCsvRecords(bytes(text))).toBe(expected);
  });

  it("agrees with a real CSV parser on the shipped code set", async () => {
    const file = await readFile(ICD10_CSV_PATH);
    const parsed = parse(file, { skip_empty_lines: true }) as string[][];
    expect(countCsvRecords(file)).toBe(parsed.length - 1);
    expect(parsed.length - 1).toBe(74_719);
  });
});

describe("parseIcd10Csv", () => {
  it("reads quoted fields with commas, quotes and line breaks", () => {
    const rows = parseIcd10Csv(`${HEADER}A009,A00.9,"Cholera, ""unspecified""\nor not"\nI10,I10,Essential (primary) hypertension\n`);
    expect(rows).toEqual([
      { code: "A009", codeDotted: "A00.9", description: 'Cholera, "unspecified"\nor not' },
      { code: "I10", codeDotted: "I10", description: "Essential (primary) hypertension" },
    ]);
  });

  it("reads CRLF files", () => {
    expect(parseIcd10Csv("code,code_dotted,description\r\nA000,A00.0,Cholera\r\nA001,A00.1,Other\r\n")).toHaveLength(2);
  });

  it("accepts FY2026 codes with a letter in second place", () => {
    expect(parseIcd10Csv(`${HEADER}QA00101,QA0.0101,SCN2A-related neurodevelopmental disorder\n`)).toHaveLength(1);
  });

  it.each([
    ["a wrong header", "code,description\nA000,Cholera\n", /expected the header/],
    ["a malformed code", `${HEADER}a000,a00.0,Cholera\n`, /record 2: "a000" is not an ICD-10-CM code/],
    ["a mismatched dotted form", `${HEADER}A000,A0.00,Cholera\n`, /record 2: dotted form "A0.00" does not match A000/],
    ["a missing description", `${HEADER}A000,A00.0, \n`, /record 2: A000 has no description/],
    ["a duplicate code", `${HEADER}A000,A00.0,Cholera\nA000,A00.0,Cholera\n`, /record 3: A000 appears twice/],
    ["an unclosed quote", `${HEADER}A000,A00.0,"Cholera\n`, /quote/i],
  ])("refuses %s, naming the record", (_name, text, message) => {
    expect(() => parseIcd10Csv(text)).toThrow(message);
  });

  it("parses the shipped code set: 74,719 codes, spot checks from the data README", async () => {
    const rows = parseIcd10Csv(await readFile(ICD10_CSV_PATH));
    expect(rows).toHaveLength(74_719);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(byCode.get("I10")).toEqual({ code: "I10", codeDotted: "I10", description: "Essential (primary) hypertension" });
    expect(byCode.get("E119")?.description).toBe("Type 2 diabetes mellitus without complications");
    expect(byCode.get("Z0000")?.codeDotted).toBe("Z00.00");
  });
});

describe("parseLoincCsvs", () => {
  const COMMON = "loinc_num,long_common_name,component,system,unit,loinc_class,top2000_rank\n";
  const VITALS = "loinc_num,long_common_name,component,system,unit,name_source\n";

  it("merges the two files: a code in both keeps its lab class and rank and is a vital sign", () => {
    const rows = parseLoincCsvs(
      `${COMMON}2345-7,Glucose [Mass/volume] in Serum or Plasma,Glucose,Serum or Plasma,mg/dL,Chem,1\n29463-7,Body weight,Body weight,,kg,BDYWGT.ATOM,593\n`,
      `${VITALS}29463-7,Body weight,Body weight,,kg,x\n8480-6,Systolic blood pressure,Intravascular systolic,,mm[Hg],x\n`,
    );
    expect(rows).toEqual([
      { code: "2345-7", longCommonName: "Glucose [Mass/volume] in Serum or Plasma", component: "Glucose", system: "Serum or Plasma", exampleUnit: "mg/dL", loincClass: "Chem", top2000Rank: 1, vitalSign: false },
      { code: "29463-7", longCommonName: "Body weight", component: "Body weight", system: null, exampleUnit: "kg", loincClass: "BDYWGT.ATOM", top2000Rank: 593, vitalSign: true },
      { code: "8480-6", longCommonName: "Systolic blood pressure", component: "Intravascular systolic", system: null, exampleUnit: "mm[Hg]", loincClass: null, top2000Rank: null, vitalSign: true },
    ]);
  });

  it.each([
    ["a wrong header", "code,name\n", VITALS, /LOINC common CSV: expected the header/],
    ["a malformed code", `${COMMON}2345,Glucose,Glucose,,mg/dL,Chem,1\n`, VITALS, /record 2: "2345" is not a LOINC code/],
    ["a duplicate code", `${COMMON}2345-7,G,G,,,Chem,1\n2345-7,G,G,,,Chem,2\n`, VITALS, /record 3: 2345-7 appears twice/],
    ["a bad rank", `${COMMON}2345-7,G,G,,,Chem,first\n`, VITALS, /rank "first"/],
    ["a vitals record with no name", COMMON, `${VITALS}8480-6,,,,,x\n`, /LOINC vitals CSV record 2: 8480-6 has no name/],
  ])("refuses %s, naming the record", (_name, common, vitals, message) => {
    expect(() => parseLoincCsvs(common, vitals)).toThrow(message);
  });

  it("parses the shipped files: 2,187 distinct codes, 14 of them vital signs", async () => {
    const rows = parseLoincCsvs(await readFile(LOINC_COMMON_CSV_PATH), await readFile(LOINC_VITALS_CSV_PATH));
    expect(rows).toHaveLength(2_187);
    expect(rows.filter((r) => r.vitalSign)).toHaveLength(14);
    expect(rows.find((r) => r.code === "718-7")).toMatchObject({ component: "Hemoglobin", exampleUnit: "g/dL" });
  });
});
