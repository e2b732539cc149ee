import { describe, expect, it } from "vitest";
import { buildSearch, classifyQuery, searchInput } from "./search.ts";

// A fixed "today" so two-digit years and future dates do not drift with the calendar.
const today = new Date(2026, 10, 26);
const classify = (q: string) => classifyQuery(q, today);

describe("classifyQuery", () => {
  it("reads 8 digits as an MRN, with or without spaces and dashes", () => {
    for (const q of ["10000427", "1000-0427", "100 00 427", " 10000427 "]) {
      expect(classify(q), q).toEqual({ kind: "mrn", mrn: "10000427" });
    }
  });

  it("reads dates of birth in the usual formats", () => {
    const cases: [string, string][] = [
      ["1984-03-27", "1984-03-27"],
      ["1984-3-7", "1984-03-07"],
      ["03/27/1984", "1984-03-27"],
      ["3/7/1984", "1984-03-07"],
      ["03-27-1984", "1984-03-27"],
      ["27.03.1984", "1984-03-27"],
      ["Mar 27 1984", "1984-03-27"],
      ["mar 27, 1984", "1984-03-27"],
      ["March 27 1984", "1984-03-27"],
      ["27 March 1984", "1984-03-27"],
      ["27 Mar 1984", "1984-03-27"],
      ["27-Mar-1984", "1984-03-27"],
    ];
    for (const [q, date] of cases) expect(classify(q), q).toEqual({ kind: "dob", dateOfBirth: date });
  });

  it("puts two-digit years in the past: nobody is born in the future", () => {
    expect(classify("3/27/84")).toEqual({ kind: "dob", dateOfBirth: "1984-03-27" });
    expect(classify("1/5/20")).toEqual({ kind: "dob", dateOfBirth: "2020-01-05" });
    expect(classify("1/5/30")).toEqual({ kind: "dob", dateOfBirth: "1930-01-05" });
    expect(classify("12/31/26")).toEqual({ kind: "dob", dateOfBirth: "1926-12-31" });
  });

  it("does not take impossible dates for dates", () => {
    expect(classify("02/30/1984").kind).not.toBe("dob");
    expect(classify("13/01/1984").kind).not.toBe("dob");
    expect(classify("1984-02-30").kind).not.toBe("dob");
  });

  it("reads phone numbers, keeping the last 10 digits (or 7 for a local number)", () => {
    expect(classify("(617) 555-0123")).toEqual({ kind: "phone", digits: "6175550123" });
    expect(classify("+1 617.555.0123")).toEqual({ kind: "phone", digits: "6175550123" });
    expect(classify("1-617-555-0123")).toEqual({ kind: "phone", digits: "6175550123" });
    expect(classify("6175550123")).toEqual({ kind: "phone", digits: "6175550123" });
    expect(classify("555-0123")).toEqual({ kind: "phone", digits: "5550123" });
    expect(classify("5550123")).toEqual({ kind: "phone", digits: "5550123" });
  });

  it("reads anything else as a name, split into words", () => {
    expect(classify("jonh smth")).toEqual({ kind: "name", tokens: ["jonh", "smth"], familyFirst: false });
    expect(classify("Smith, John")).toEqual({ kind: "name", tokens: ["Smith", "John"], familyFirst: true });
    expect(classify("smith,john")).toEqual({ kind: "name", tokens: ["smith", "john"], familyFirst: true });
    expect(classify("José  García")).toEqual({ kind: "name", tokens: ["José", "García"], familyFirst: false });
    expect(classify("O'Brien-Smith")).toEqual({ kind: "name", tokens: ["O'Brien-Smith"], familyFirst: false });
    expect(classify("smith%")).toEqual({ kind: "name", tokens: ["smith"], familyFirst: false });
    expect(classify("a b c d e f")).toMatchObject({ tokens: ["a", "b", "c", "d"] });
    expect(classify("123").kind).toBe("name");
    expect(classify("!!!")).toEqual({ kind: "name", tokens: [], familyFirst: false });
  });
});

describe("buildSearch", () => {
  const clinicId = "00000000-0000-4000-8000-000000000000";

  it("sends what the user typed only as bind parameters", () => {
    for (const q of ["'; DROP TABLE patient; --", "smith' OR '1'='1", "jonh smth"]) {
      const { sql } = buildSearch(clinicId, searchInput.parse({ q }), today);
      expect(sql.text).not.toMatch(/drop table|'1'='1|jonh/i);
      expect(sql.values).toContain(clinicId);
    }
  });

  it("matches typos against the name-word list, with two edits only for words of six letters or more", () => {
    const short = buildSearch(clinicId, searchInput.parse({ q: "jonh smth" }), today);
    expect(short.sql.text).toContain("patient_name_word v");
    expect(short.sql.text).toContain("carelane_name_words(p.name_search) &&");
    expect(short.sql.text).toContain("levenshtein_less_equal(v.word, q.typed, 1)");
    expect(short.fallback).toBeUndefined();
    // two edits: a statement of its own, run only when the first found nobody
    const long = buildSearch(clinicId, searchInput.parse({ q: "jonh schmitt" }), today);
    expect(long.sql.text).not.toContain("typo_second");
    expect(long.fallback?.text).toContain("typo_second");
    expect(long.fallback?.text).toContain("levenshtein_less_equal(v.word, q.typed, 2)");
  });

  it("compares typed words the way the name-word list holds them: apostrophes dropped, hyphens split", () => {
    const { sql } = buildSearch(clinicId, searchInput.parse({ q: "O'Connor-Lopez ana" }), today);
    expect(sql.values).toEqual(expect.arrayContaining(["OConnor", "Lopez", "ana"]));
  });

  it("runs a single family-name word through the short statement first", () => {
    expect(buildSearch(clinicId, searchInput.parse({ q: "smi" }), today).fast?.text).toContain("ORDER BY p.family_search USING ~<~, p.name_search USING ~<~, p.mrn");
    expect(buildSearch(clinicId, searchInput.parse({ q: "john smith" }), today).fast).toBeUndefined();
  });

  it("scopes every statement to the clinic and leaves merged records out", () => {
    for (const q of ["smith", "jonh smth", "jonh schmitt", "10000427", "1984-03-27", "617 555 0123", "555 0123"]) {
      const { sql, fast, fallback } = buildSearch(clinicId, searchInput.parse({ q }), today);
      for (const statement of [sql, fast, fallback]) {
        if (!statement) continue;
        expect(statement.text, q).toContain("p.clinic_id = $");
        expect(statement.text, q).toContain("p.status <> 'MERGED'");
      }
    }
  });
});
