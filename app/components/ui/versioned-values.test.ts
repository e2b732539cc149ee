import { describe, expect, it } from "vitest";
import { changedValues, rebaseValues } from "./versioned-values";

describe("changedValues", () => {
  it("lists only the fields the user changed, comparing lists and objects by value", () => {
    const base = { dose: "10 mg", code: { text: "Asthma", code: "J45" }, contacts: [{ name: "Ann" }] };
    const mine = { dose: "15 mg", code: { text: "Asthma", code: "J45" }, contacts: [{ name: "Ann" }] };
    expect(changedValues(base, mine)).toEqual({ dose: "15 mg" });
  });
});

describe("rebaseValues", () => {
  it("keeps the user's changed fields and takes theirs for the rest", () => {
    const base = { dose: "10 mg", route: "oral", notes: "" };
    const theirs = { dose: "20 mg", route: "IV", notes: "" };
    const mine = { dose: "15 mg", route: "oral", notes: "with food" };
    expect(rebaseValues(base, theirs, mine)).toEqual({ dose: "15 mg", route: "IV", notes: "with food" });
    // What a save then sends: only the user's changes, measured against theirs.
    expect(changedValues(theirs, rebaseValues(base, theirs, mine))).toEqual({ dose: "15 mg", notes: "with food" });
  });
});
