import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer, type WebServer } from "../../server/app.ts";
import { db } from "../../server/db.ts";
import { enqueue, closeQueues } from "../../jobs/client.ts";
import { createClinic, DEMO_PASSWORD, type ClinicFixture } from "../factories/index.ts";
import { connected, HttpClient, waitFor } from "../helpers/http.ts";
import { startProcess, stopProcess } from "../helpers/processes.ts";

let server: WebServer;
let worker: ChildProcess;
let fixture: ClinicFixture;

beforeAll(async () => {
  [server, worker, fixture] = await Promise.all([
    createWebServer({ port: 0, host: "127.0.0.1", remix: "none" }),
    startProcess("jobs/worker.ts", {}, "workers started"),
    createClinic(),
  ]);
});
afterAll(async () => {
  await closeQueues();
  await server?.close();
  if (worker) expect(await stopProcess(worker)).toBe(0); // graceful shutdown exits cleanly
});

describe("background jobs", () => {
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
