import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer, type WebServer } from "../../server/app.ts";
import { db } from "../../server/db.ts";
import { enqueue, closeQueues } from "../../jobs/client.ts";
import { createClinic, createPatient, createScheduling, DEMO_PASSWORD, type ClinicFixture } from "../factories/index.ts";
import { connected, HttpClient, waitFor } from "../helpers/http.ts";
import { startProcess, stopProcess } from "../helpers/processes.ts";

// Tests that run worker processes live in this one file so that they run one after another:
// two workers on the same queues at once would take each other's jobs.
let server: WebServer;
let worker: ChildProcess;
let fixture: ClinicFixture;

afterAll(() => closeQueues());

describe("background jobs", () => {
  beforeAll(async () => {
    [server, worker, fixture] = await Promise.all([
      createWebServer({ port: 0, host: "127.0.0.1", remix: "none" }),
      startProcess("jobs/worker.ts", {}, "workers started"),
      createClinic(),
    ]);
  });
  afterAll(async () => {
    await server?.close();
    if (worker) expect(await stopProcess(worker)).toBe(0); // graceful shutdown exits cleanly
  });

  it("a job enqueued by the web side runs in the worker process and its event reaches the user's socket", async () => {
    const client = new HttpClient(server.url);
    await client.signIn(fixture.users.MANAGER.email, DEMO_PASSWORD);
    const socket = client.socket();
    await connected(socket);
    const session = await db.session.findFirstOrThrow({ where: { userId: fixture.users.MANAGER.id, revokedAt: null }, select: { id: true } });
    // The user walked away: the session has been idle past the limit.
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(Date.now() - 45 * 60_000) } });

    const expired = waitFor<{ sessionId: string; reason: string }>(socket, "access.session.expired", 15_000);
    const disconnected = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    const job = await enqueue("access.expire-idle-sessions", {});
    expect(job.id).toMatch(/^access\.expire-idle-sessions\.\d+$/);

    expect(await expired).toEqual({ sessionId: session.id, reason: "idle" });
    expect(await disconnected).toBe("io server disconnect");
    expect(await db.session.findUnique({ where: { id: session.id }, select: { endReason: true } })).toEqual({ endReason: "idle" });
    expect(await db.auditEvent.count({ where: { sessionId: session.id, action: "auth.session-expired" } })).toBe(1);
  });

  it("enqueueing the same work twice makes one job", async () => {
    const a = await enqueue("access.expire-idle-sessions", {});
    const b = await enqueue("access.expire-idle-sessions", {});
    // Same 10-second bucket in the common case; across a boundary the ids differ by one bucket.
    const bucket = (id: string | undefined) => Number(id!.split(".").pop());
    expect(Math.abs(bucket(a.id) - bucket(b.id))).toBeLessThanOrEqual(1);
    if (bucket(a.id) === bucket(b.id)) expect(a.id).toBe(b.id);
  });

  it("rejects a payload the job does not declare", async () => {
    await expect(enqueue("access.expire-idle-sessions", { patientName: "x" } as never)).rejects.toThrow();
  });
});

const REMINDERS = 1_500;

async function sentCount(ids: string[]) {
  return db.reminder.count({ where: { id: { in: ids }, status: "SENT" } });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met in time");
}

describe("reminder delivery under a worker crash", () => {
  let crashy: ChildProcess | undefined;
  afterAll(async () => {
    if (crashy) await stopProcess(crashy);
  });

  it("a worker killed mid-batch leaves nothing unsent and nothing sent twice once a worker restarts", async () => {
    const fixture = await createClinic();
    const setup = await createScheduling(fixture);
    // Many appointments spread over future days, each with one email reminder due now.
    const patient = await createPatient(fixture.clinic.id);
    await db.patient.update({ where: { id: patient.id }, data: { email: "pat@example.com" } });
    const start = Date.now() + 7 * 86_400_000;
    const appointments = Array.from({ length: REMINDERS }, (_, i) => ({
      clinicId: fixture.clinic.id,
      patientId: patient.id,
      providerId: setup.provider.id,
      locationId: setup.location.id,
      appointmentTypeId: setup.type.id,
      startsAt: new Date(start + i * 30 * 60_000),
      endsAt: new Date(start + i * 30 * 60_000 + 30 * 60_000),
      createdById: fixture.users.RECEPTIONIST.id,
    }));
    await db.appointment.createMany({ data: appointments });
    const created = await db.appointment.findMany({ where: { providerId: setup.provider.id }, select: { id: true } });
    await db.reminder.createMany({ data: created.map((a) => ({ appointmentId: a.id, channel: "EMAIL" as const, offsetMinutes: 1440, dueAt: new Date() })) });
    const reminders = await db.reminder.findMany({ where: { appointmentId: { in: created.map((a) => a.id) } }, select: { id: true } });
    const ids = reminders.map((r) => r.id);

    // Small batches, so that the kill lands in the middle of one of many.
    const env = { WORKER_LOCK_MS: "3000", REMINDER_BATCH_SIZE: "50" };
    crashy = await startProcess("jobs/worker.ts", env, "workers started");
    await waitUntil(async () => (await sentCount(ids)) >= 50, 30_000);
    crashy.kill("SIGKILL"); // no graceful shutdown: jobs in flight are abandoned mid-batch
    await new Promise((r) => crashy!.once("exit", r));
    const sentBeforeRestart = await sentCount(ids);
    expect(sentBeforeRestart).toBeLessThan(REMINDERS);

    crashy = await startProcess("jobs/worker.ts", env, "workers started");
    await waitUntil(async () => (await sentCount(ids)) === REMINDERS, 60_000);
    const perReminder = await db.outboxMessage.groupBy({ by: ["reminderId"], where: { reminderId: { in: ids } }, _count: { _all: true } });
    expect(perReminder).toHaveLength(REMINDERS);
    expect(perReminder.every((r) => r._count._all === 1)).toBe(true);
  }, 120_000);
});
