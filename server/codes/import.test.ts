import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { countCsvRecords, ICD10_CSV_PATH, parseIcd10Csv } from "./import.ts";

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
