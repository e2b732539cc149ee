import { describe, expect, it } from "vitest";
import { labFlag, parseBoundText, toCelsius, toCentimetres, toKilograms, vitalFlags } from "./ranges.ts";
import { recordVitalsInput } from "./schemas.ts";

describe("unit conversion", () => {
  it("converts imperial entry to the metric the columns keep", () => {
    expect(toCelsius(98.6, "F")).toBe(37);
    expect(toCelsius(100.4, "F")).toBe(38);
    expect(toCelsius(36.84, "C")).toBe(36.8);
    expect(toKilograms(180, "lb")).toBe(81.65);
    expect(toCentimetres(70, "in")).toBe(177.8);
  });

  it("the input schema converts and names the field of an impossible value", () => {
    const ok = recordVitalsInput.parse({ patientId: crypto.randomUUID(), temperature: 101.2, temperatureUnit: "F", weight: 150, weightUnit: "lb" });
    expect(ok).toMatchObject({ temperatureC: 38.4, weightKg: 68.04 });
    const bad = recordVitalsInput.safeParse({ patientId: crypto.randomUUID(), temperature: 37, temperatureUnit: "F" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ["temperature"], message: expect.stringContaining("was it °C?") });
  });
});

describe("vital flags", () => {
  it("flags at the documented thresholds", () => {
    expect(vitalFlags({ systolicMmHg: 139, diastolicMmHg: 89, heartRatePerMin: 100, spo2Percent: 92, temperatureC: 37.9 })).toEqual([]);
    expect(vitalFlags({ systolicMmHg: 140, diastolicMmHg: 90, heartRatePerMin: 101, spo2Percent: 91, temperatureC: 38 }).map((f) => `${f.field}:${f.level}`)).toEqual([
      "systolicMmHg:HIGH",
      "diastolicMmHg:HIGH",
      "heartRatePerMin:HIGH",
      "temperatureC:HIGH",
      "spo2Percent:LOW",
    ]);
    expect(vitalFlags({ heartRatePerMin: 49, bmi: 31.2 }).map((f) => `${f.field}:${f.level}`)).toEqual(["heartRatePerMin:LOW", "bmi:HIGH"]);
  });
});

describe("lab flags", () => {
  const potassium = { loincCode: "2823-3", unit: "mmol/L", referenceLow: 3.5, referenceHigh: 5.1 };
  it("numeric against a range, with critical limits in the same unit only", () => {
    expect(labFlag({ ...potassium, valueNumeric: 4 })).toBe("N");
    expect(labFlag({ ...potassium, valueNumeric: 5.2 })).toBe("H");
    expect(labFlag({ ...potassium, valueNumeric: 3.4 })).toBe("L");
    expect(labFlag({ ...potassium, valueNumeric: 6.2 })).toBe("HH");
    expect(labFlag({ ...potassium, valueNumeric: 2.8 })).toBe("LL");
    expect(labFlag({ ...potassium, unit: "mEq/dL", valueNumeric: 6.5 })).toBe("H");
  });

  it("numeric against a bound, text against text, nothing to compare", () => {
    expect(parseBoundText("≤ 5.6")).toEqual({ op: "<=", value: 5.6 });
    expect(labFlag({ loincCode: "2093-3", valueNumeric: 199, referenceText: "<200" })).toBe("N");
    expect(labFlag({ loincCode: "2093-3", valueNumeric: 200, referenceText: "<200" })).toBe("H");
    expect(labFlag({ loincCode: "2085-9", valueNumeric: 35, referenceText: ">40" })).toBe("L");
    expect(labFlag({ loincCode: "5811-5", valueText: "POSITIVE", referenceText: "negative" })).toBe("A");
    expect(labFlag({ loincCode: "5811-5", valueText: " Negative ", referenceText: "negative" })).toBe("N");
    expect(labFlag({ loincCode: "2345-7", valueNumeric: 90 })).toBeNull();
  });
});
