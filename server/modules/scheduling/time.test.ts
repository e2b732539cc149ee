import { describe, expect, it } from "vitest";
import { addDays, localDayRange, localParts, localToUtc } from "./time.ts";

describe("scheduling time helpers", () => {
  it("converts local clinic time to UTC across DST changes", () => {
    expect(localToUtc("2026-07-01", "09:00", "America/New_York").toISOString()).toBe("2026-07-01T13:00:00.000Z");
    expect(localToUtc("2026-12-01", "09:00", "America/New_York").toISOString()).toBe("2026-12-01T14:00:00.000Z");
    // The spring-forward gap: 02:30 does not exist; it is 03:30 EDT.
    expect(localToUtc("2026-03-08", "02:30", "America/New_York").toISOString()).toBe("2026-03-08T07:30:00.000Z");
  });

  it("gives a 23-hour day on spring-forward and a 25-hour day on fall-back", () => {
    const spring = localDayRange("2026-03-08", "America/New_York");
    const fall = localDayRange("2026-11-01", "America/New_York");
    expect((+spring.end - +spring.start) / 3_600_000).toBe(23);
    expect((+fall.end - +fall.start) / 3_600_000).toBe(25);
  });

  it("reads local date, time and weekday back", () => {
    expect(localParts(new Date("2026-11-26T14:30:00Z"), "America/Chicago")).toEqual({ date: "2026-11-26", time: "08:30", weekday: 4 });
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});
