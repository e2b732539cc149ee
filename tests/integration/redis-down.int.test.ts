import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { deliverDueReminders } from "../../server/modules/scheduling/index.ts";
import { createClinic, createPatient, createScheduling, DEMO_PASSWORD, middayZone, type ClinicFixture } from "../factories/index.ts";
import { HttpClient } from "../helpers/http.ts";
import { freePorts, startProcess, stopProcess } from "../helpers/processes.ts";

// A web process whose Redis is unreachable (nothing listens on that port).
const [PORT] = (await freePorts(1)) as [number];
let web: ChildProcess;
let fixture: ClinicFixture;

beforeAll(async () => {
  [web, fixture] = await Promise.all([startProcess("tests/helpers/web-process.ts", { PORT: String(PORT), REDIS_URL: "redis://127.0.0.1:1/0" }, "web process ready"), createClinic()]);
});
afterAll(async () => {
  if (web) await stopProcess(web);
});

describe("Redis briefly down", () => {
  it("booking still succeeds; health names Redis; its reminders go out once workers run again, late ones included", async () => {
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
    const reminders = await db.reminder.findMany({ where: { appointmentId }, select: { id: true, status: true } });
    expect(reminders.map((r) => r.status)).toEqual(["SCHEDULED", "SCHEDULED"]);

    // Redis (and with it the workers' 5-second tick) stayed down past both due times; the first
    // sweep once it is back (what the worker runs) sends both, once.
    await db.reminder.updateMany({ where: { appointmentId }, data: { dueAt: new Date(Date.now() - 10 * 60_000) } });
    for (let i = 0; i < 100 && (await db.reminder.count({ where: { appointmentId, status: "SCHEDULED" } })) > 0; i++) {
      await deliverDueReminders({ clinicId: fixture.clinic.id });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await db.reminder.findMany({ where: { appointmentId }, select: { status: true } })).map((r) => r.status)).toEqual(["SENT", "SENT"]);
    expect(await db.outboxMessage.count({ where: { reminderId: { in: reminders.map((r) => r.id) } } })).toBe(2);
  });
});
