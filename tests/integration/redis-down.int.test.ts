import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { closeQueues, getQueue } from "../../jobs/client.ts";
import { enqueueReminders, scheduledReminders } from "../../server/modules/scheduling/index.ts";
import { createClinic, createPatient, createScheduling, DEMO_PASSWORD, middayZone, type ClinicFixture } from "../factories/index.ts";
import { HttpClient } from "../helpers/http.ts";
import { startProcess, stopProcess } from "../helpers/processes.ts";

// A web process whose Redis is unreachable (nothing listens on that port).
const PORT = 3810 + (process.pid % 50);
let web: ChildProcess;
let fixture: ClinicFixture;

beforeAll(async () => {
  [web, fixture] = await Promise.all([startProcess("tests/helpers/web-process.ts", { PORT: String(PORT), REDIS_URL: "redis://127.0.0.1:1/0" }, "web process ready"), createClinic()]);
});
afterAll(async () => {
  if (web) await stopProcess(web);
  await closeQueues();
});

describe("Redis briefly down", () => {
  it("booking still succeeds; health names Redis; the reminders are scheduled when Redis is back", async () => {
    const setup = await createScheduling(fixture, { timeZone: middayZone() });
    const patient = await createPatient(fixture.clinic.id);
    await db.patient.update({ where: { id: patient.id }, data: { email: "pat@example.com" } });
    const client = new HttpClient(`http://127.0.0.1:${PORT}`);
    expect((await client.signIn(fixture.users.RECEPTIONIST.email, DEMO_PASSWORD)).location).not.toContain("error");

    const health = await client.fetch("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "degraded", db: "ok", redis: "down" });

    // Three days ahead at about local noon (the location's zone is chosen so that now is mid-day).
    const start = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 900_000) * 900_000);
    const booked = await client.trpc("scheduling.book", { patientId: patient.id, providerId: setup.provider.id, locationId: setup.location.id, appointmentTypeId: setup.type.id, start }, "mutation");
    expect(booked.status).toBe(200);
    const appointmentId = (booked.body.result?.data as { id: string }).id;
    const reminders = await db.reminder.findMany({ where: { appointmentId }, select: { id: true, generation: true, dueAt: true, status: true } });
    expect(reminders.map((r) => r.status)).toEqual(["SCHEDULED", "SCHEDULED"]);
    for (const r of reminders) expect(await getQueue("scheduling").getJob(`reminder.${r.id}.1`)).toBeUndefined();

    // What the reconciling job does once Redis answers again (it runs every minute in the worker).
    const due = (await scheduledReminders(7 * 86_400_000, 100_000)).filter((r) => reminders.some((x) => x.id === r.id));
    await enqueueReminders(due);
    for (const r of reminders) expect(await getQueue("scheduling").getJob(`reminder.${r.id}.1`)).toBeDefined();
  });
});
