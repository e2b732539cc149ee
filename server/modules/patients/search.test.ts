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

  it("scopes every statement to the clinic and leaves merged records out", () => {
    for (const q of ["smith", "jonh smth", "10000427", "1984-03-27", "617 555 0123"]) {
      const { sql } = buildSearch(clinicId, searchInput.parse({ q }), today);
      expect(sql.text).toContain("p.clinic_id = $");
      expect(sql.text).toContain("p.status <> 'MERGED'");
    }
  });
});
