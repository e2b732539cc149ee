import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer, type WebServer } from "../../server/app.ts";
import { db } from "../../server/db.ts";
import { createClinic, DEMO_PASSWORD, type ClinicFixture } from "../factories/index.ts";
import { connected, HttpClient } from "../helpers/http.ts";

let server: WebServer;
let fixture: ClinicFixture;

beforeAll(async () => {
  server = await createWebServer({ port: 0, host: "127.0.0.1", remix: "none" });
  fixture = await createClinic();
});
afterAll(() => server.close());

async function signedInClient(email = fixture.users.NURSE.email) {
  const client = new HttpClient(server.url);
  const result = await client.signIn(email, DEMO_PASSWORD);
  expect(result.status).toBe(302);
  return client;
}

async function sessionIdOf(userId: string) {
  const row = await db.session.findFirst({ where: { userId, revokedAt: null }, orderBy: { createdAt: "desc" }, select: { id: true } });
  return row!.id;
}

describe("sign-in and sessions", () => {
  it("signs in with email and password and answers access.me with the user and role", async () => {
    const client = await signedInClient();
    const me = await client.trpc("access.me");
    expect(me.status).toBe(200);
    expect(me.body.result?.data).toMatchObject({ user: { email: fixture.users.NURSE.email, role: "NURSE" }, clinic: { id: fixture.clinic.id } });
    const session = await client.fetch("/api/auth/session").then((r) => r.json());
    expect(session.user.role).toBe("NURSE");
    const audited = await db.auditEvent.count({ where: { userId: fixture.users.NURSE.id, action: "auth.sign-in", outcome: "SUCCESS" } });
    expect(audited).toBeGreaterThan(0);
  });

  it("gives a wrong password and an unknown email the same answer, and audits both", async () => {
    const wrongPassword = await new HttpClient(server.url).signIn(fixture.users.ADMIN.email, "not-the-password");
    const unknownEmail = await new HttpClient(server.url).signIn(`nobody-${Date.now()}@example.test`, "not-the-password");
    expect(wrongPassword.status).toBe(302);
    expect(wrongPassword.location).toContain("/login?error=CredentialsSignin");
    expect(unknownEmail).toEqual(wrongPassword);
    const failures = await db.auditEvent.findMany({ where: { action: "auth.sign-in", outcome: "FAILURE", userId: fixture.users.ADMIN.id }, select: { reason: true } });
    expect(failures.map((f) => f.reason)).toContain("wrong-password");
    expect(await db.auditEvent.count({ where: { action: "auth.sign-in", outcome: "FAILURE", reason: "unknown-email" } })).toBeGreaterThan(0);
  });

  it("without a session, tRPC answers UNAUTHORIZED and the socket handshake is refused", async () => {
    const anonymous = new HttpClient(server.url);
    const me = await anonymous.trpc("access.me");
    expect(me.status).toBe(401);
    expect(me.body.error?.data.code).toBe("UNAUTHORIZED");
    const socket = anonymous.socket();
    await expect(connected(socket)).rejects.toThrow("unauthorized");
    socket.close();
  });

  it("after sign-out the old cookie is refused by tRPC and at the socket handshake", async () => {
    const client = await signedInClient(fixture.users.PHYSICIAN.email);
    const before = client.socket();
    await connected(before);
    const oldCookie = client.cookieHeader;
    const disconnected = new Promise<string>((resolve) => before.once("disconnect", (reason) => resolve(reason)));

    expect(await client.signOut()).toBe(302);
    // The open socket of that session is closed by the server as well.
    expect(await disconnected).toBe("io server disconnect");

    const replay = new HttpClient(server.url);
    const me = await replay.fetch("/api/trpc/access.me", { headers: { cookie: oldCookie } });
    expect(me.status).toBe(401);
    const socket = (await import("socket.io-client")).io(server.url, { transports: ["websocket"], extraHeaders: { cookie: oldCookie }, reconnection: false, forceNew: true });
    await expect(connected(socket)).rejects.toThrow("unauthorized");
    socket.close();
    expect(await db.auditEvent.count({ where: { userId: fixture.users.PHYSICIAN.id, action: "auth.sign-out" } })).toBe(1);
  });

  it("ends a session left idle past the limit", async () => {
    const client = await signedInClient(fixture.users.BILLING.email);
    expect((await client.trpc("access.me")).status).toBe(200);
    const sid = await sessionIdOf(fixture.users.BILLING.id);
    await db.session.update({ where: { id: sid }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });

    expect((await client.trpc("access.me")).status).toBe(401);
    const socket = client.socket();
    await expect(connected(socket)).rejects.toThrow("unauthorized");
    socket.close();
    expect(await db.session.findUnique({ where: { id: sid }, select: { endReason: true } })).toEqual({ endReason: "idle" });
  });

  it("disabling a user ends their open sessions at once", async () => {
    const fresh = await createClinic();
    const client = new HttpClient(server.url);
    await client.signIn(fresh.users.RECEPTIONIST.email, DEMO_PASSWORD);
    expect((await client.trpc("access.me")).status).toBe(200);

    const admin = new HttpClient(server.url);
    await admin.signIn(fresh.users.ADMIN.email, DEMO_PASSWORD);
    const result = await admin.trpc("access.setUserActive", { userId: fresh.users.RECEPTIONIST.id, active: false }, "mutation");
    expect(result.status).toBe(200);

    expect((await client.trpc("access.me")).status).toBe(401);
    expect((await new HttpClient(server.url).signIn(fresh.users.RECEPTIONIST.email, DEMO_PASSWORD)).location).toContain("error=CredentialsSignin");
  });

  it("answers bad input over HTTP with BAD_REQUEST and a message per field, and writes nothing", async () => {
    const client = await signedInClient(fixture.users.RECEPTIONIST.email);
    const before = await db.patient.count({ where: { clinicId: fixture.clinic.id } });
    const result = await client.trpc("patients.register", { givenName: "Ann", familyName: "", dateOfBirth: "1899-12-31", sex: "X" }, "mutation");
    expect(result.status).toBe(400);
    expect(result.body.error?.data).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: {
        familyName: ["Family name is required"],
        dateOfBirth: ["Date of birth cannot be before 1900"],
        sex: ["Sex assigned at birth must be female, male, intersex or unknown"],
      },
    });
    expect(await db.patient.count({ where: { clinicId: fixture.clinic.id } })).toBe(before);
  });

  it("locks an account after 10 failed sign-ins, even against the right password", async () => {
    const clinic = await createClinic();
    const email = clinic.users.MANAGER.email;
    for (let i = 0; i < 10; i++) {
      expect((await new HttpClient(server.url).signIn(email, `wrong-${i}`)).location).toContain("error=CredentialsSignin");
    }
    const locked = await new HttpClient(server.url).signIn(email, DEMO_PASSWORD);
    expect(locked.location).toContain("error=CredentialsSignin");
    const last = await db.auditEvent.findFirst({ where: { userId: clinic.users.MANAGER.id, action: "auth.sign-in" }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ outcome: "FAILURE", reason: "rate-limited" });
    // Another account from the same address is unaffected.
    expect((await new HttpClient(server.url).signIn(clinic.users.NURSE.email, DEMO_PASSWORD)).location).not.toContain("error");
  });

  it("reports health of the database and Redis", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok", redis: "ok" });
  });
});
