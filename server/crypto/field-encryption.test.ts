import { describe, expect, it } from "vitest";
import { lookupHash, open, seal } from "./field-encryption.ts";

describe("field encryption", () => {
  it("round-trips, never stores the plaintext, and uses a fresh IV each time", () => {
    const a = seal("123456789", "patient:1:SSN");
    const b = seal("123456789", "patient:1:SSN");
    expect(a.ciphertext).not.toContain("123456789");
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(open(a, "patient:1:SSN")).toBe("123456789");
  });

  it("refuses a ciphertext moved to another record or tampered with", () => {
    const sealed = seal("123456789", "patient:1:SSN");
    expect(() => open(sealed, "patient:2:SSN")).toThrow();
    const [iv, tag, body] = sealed.ciphertext.split(".");
    const flipped = body!.slice(0, -1) + (body!.endsWith("A") ? "B" : "A");
    expect(() => open({ ...sealed, ciphertext: [iv, tag, flipped].join(".") }, "patient:1:SSN")).toThrow();
  });

  it("hashes equal values equally and different kinds differently", () => {
    expect(lookupHash("SSN", "123456789")).toBe(lookupHash("SSN", "123456789"));
    expect(lookupHash("SSN", "123456789")).not.toBe(lookupHash("NATIONAL_ID", "123456789"));
  });
});
