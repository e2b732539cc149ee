import { describe, expect, it } from "vitest";
import { dottedCode, isCodeShaped, normalizeCode, searchWords } from "./format.ts";

describe("code spelling", () => {
  it("normalizes dotted, lower-case and padded input to the stored form", () => {
    expect(normalizeCode(" e11.9 ")).toBe("E119");
    expect(normalizeCode("I10")).toBe("I10");
    expect(normalizeCode("QA0.0101")).toBe("QA00101");
  });

  it("dots after the category, never for a bare category", () => {
    expect(dottedCode("E119")).toBe("E11.9");
    expect(dottedCode("S72001A")).toBe("S72.001A");
    expect(dottedCode("I10")).toBe("I10");
  });

  it.each(["E", "E1", "E11", "e11.", "E11.9", "S72.001A", "QA0", "QA0.0101", "b12"])("%s is searched as a code", (q) => {
    expect(isCodeShaped(q)).toBe(true);
  });

  it.each(["flu", "copd", "type 2 diabetes", "E11 diabetes", "asthma", ""])("%s is searched as words", (q) => {
    expect(isCodeShaped(q)).toBe(false);
  });
});

describe("searchWords", () => {
  it("splits on anything but letters and digits, lower-cases and drops accents", () => {
    expect(searchWords("Sjögren's  syndrome")).toEqual(["sjogren", "s", "syndrome"]);
    expect(searchWords("Type-2 DIABETES, mellitus")).toEqual(["type", "2", "diabetes", "mellitus"]);
  });

  it("yields nothing that could break a tsquery", () => {
    expect(searchWords("a & b | !c:* (d) <-> 'e'")).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("keeps at most eight words", () => {
    expect(searchWords("one two three four five six seven eight nine ten")).toHaveLength(8);
  });
});
