import { describe, expect, it } from "vitest";
import { npiValid } from "./schemas.ts";

describe("NPI check digit", () => {
  it("accepts valid NPIs and rejects a mistyped digit", () => {
    expect(npiValid("1234567893")).toBe(true); // CMS's published example
    expect(npiValid("1234567890")).toBe(false);
    expect(npiValid("123456789")).toBe(false);
  });
});
