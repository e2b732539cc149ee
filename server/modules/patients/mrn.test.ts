import { describe, expect, it } from "vitest";
import { withCheckDigit } from "./service.ts";

describe("MRN check digit", () => {
  it("appends a Luhn digit that catches a single mistyped digit", () => {
    expect(withCheckDigit("7992739871")).toBe("79927398713");
    const mrn = withCheckDigit("1000042");
    const typo = mrn.slice(0, 3) + ((Number(mrn[3]) + 1) % 10) + mrn.slice(4);
    expect(withCheckDigit(typo.slice(0, -1))).not.toBe(typo);
  });
});
