import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer, type WebServer } from "../../server/app.ts";
import { db } from "../../server/db.ts";
import { pendingPairing, SCREEN_COOKIE, screenFromCookie } from "../../server/modules/scheduling/screens.ts";
import { callerFor, createClinic, createPatient, createScheduling, DEMO_PASSWORD, middayZone, type ClinicFixture } from "../factories/index.ts";
import { connected, HttpClient, waitFor } from "../helpers/http.ts";

/**
 * Waiting-room screens: a browser paired to a location holds the screen's credential only. It sees
 * that location's board events live, nothing else, never as a person; unpairing ends it at once.
 * (The pages, /board/<id>/screen and /screen, are driven in tests/e2e/scheduling.spec.ts.)
 */
let server: WebServer;
let fixture: ClinicFixture;
let setup: Awaited<ReturnType<typeof createScheduling>>;
beforeAll(async () => {
  [server, fixture] = await Promise.all([createWebServer({ port: 0, host: "127.0.0.1", remix: "none" }), createClinic()]);
  setup = await createScheduling(fixture, { timeZone: middayZone() });
});
afterAll(() => server.close());

async function pairedScreen(name = "Front TV") {
  const staff = new HttpClient(server.url);
  await staff.signIn(fixture.users.RECEPTIONIST.email, DEMO_PASSWORD);
  const paired = await staff.trpc("scheduling.pairScreen", { locationId: setup.location.id, name }, "mutation");
  expect(paired.status).toBe(200);
  const { screen, token } = paired.body.result!.data as { screen: { id: string }; token: string };
  const tv = new HttpClient(server.url);
  tv.setCookie(SCREEN_COOKIE, token);
  return { staff, tv, screenId: screen.id, token };
}

describe("waiting-room screens", () => {
  it("pairing ends the staff session in that browser; the screen's cookie opens no tRPC and no person's rooms", async () => {
    const { staff, tv, screenId } = await pairedScreen();
    // The person who paired it is signed out there: the TV keeps no staff session.
    expect((await staff.trpc("access.me")).status).toBe(401);
    expect(await db.auditEvent.count({ where: { action: "scheduling.screen.paired", resourceId: screenId } })).toBe(1);

    expect(await screenFromCookie(tv.cookieHeader)).toMatchObject({ id: screenId, locationId: setup.location.id, name: "Front TV" });
    expect((await tv.trpc("scheduling.publicBoard", { locationId: setup.location.id })).status).toBe(401);
    // The staff namespace refuses it outright.
    const staffSocket = tv.socket();
    await expect(connected(staffSocket)).rejects.toThrow("unauthorized");
    staffSocket.close();
    expect(await db.displayScreen.findUniqueOrThrow({ where: { id: screenId }, select: { tokenHash: true } })).toEqual({ tokenHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("gets its location's check-ins and roomings live, ids only, and cannot join another room", async () => {
    const { tv } = await pairedScreen();
    const socket = tv.socket("/screen");
    await connected(socket);
    const patient = await createPatient(fixture.clinic.id);
    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const start = new Date(Math.ceil((Date.now() + 30 * 60_000) / 900_000) * 900_000);
    const appointment = await reception.scheduling.book({ patientId: patient.id, providerId: setup.provider.id, locationId: setup.location.id, appointmentTypeId: setup.type.id, start });
    const checkedIn = waitFor<Record<string, unknown>>(socket, "scheduling.appointment.checked-in");
    await reception.scheduling.checkIn({ appointmentId: appointment.id });
    expect(await checkedIn).toEqual({ appointmentId: appointment.id, locationId: setup.location.id, version: 2 });
    // Nothing to ask for: there is no subscribe in this namespace (no answer comes back).
    await expect(socket.timeout(500).emitWithAck("subscribe", `patient:${patient.id}`)).rejects.toThrow();
    socket.close();
  });

  it("unpairing closes the screen's connection at once and refuses it afterwards; only staff of the clinic may unpair", async () => {
    const { tv, screenId } = await pairedScreen("Lobby");
    const socket = tv.socket("/screen");
    await connected(socket);
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

    const outsider = await callerFor((await createClinic()).users.RECEPTIONIST.id);
    await expect(outsider.scheduling.revokeScreen({ screenId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const billing = await callerFor(fixture.users.BILLING.id);
    await expect(billing.scheduling.revokeScreen({ screenId })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    expect(await reception.scheduling.revokeScreen({ screenId })).toEqual({ revoked: true });
    expect(await closed).toBe("io server disconnect");
    expect(await screenFromCookie(tv.cookieHeader)).toBeNull();
    await expect(connected(tv.socket("/screen"))).rejects.toThrow("unauthorized");
    expect(await reception.scheduling.revokeScreen({ screenId })).toEqual({ revoked: false });
    const listed = await reception.scheduling.screens({ locationId: setup.location.id });
    expect(listed.find((s) => s.id === screenId)).toMatchObject({ name: "Lobby", pairedBy: fixture.users.RECEPTIONIST.name, revokedAt: expect.any(Date) });
  });

  it("refuses a screen without a name, naming the field, and pairs nothing", async () => {
    const staff = new HttpClient(server.url);
    await staff.signIn(fixture.users.NURSE.email, DEMO_PASSWORD);
    const before = await db.displayScreen.count({ where: { clinicId: fixture.clinic.id } });
    const refused = await staff.trpc("scheduling.pairScreen", { locationId: setup.location.id, name: "  " }, "mutation");
    expect(refused.status).toBe(400);
    expect(refused.body.error?.data).toMatchObject({ fieldErrors: { name: ["Screen name is required"] } });
    expect(await db.displayScreen.count({ where: { clinicId: fixture.clinic.id } })).toBe(before);
    expect((await staff.trpc("access.me")).status).toBe(200); // a refused pairing signs no one out
  });

  it("pairs a TV by the code it shows: once, by staff of any computer; wrong codes are limited per user", async () => {
    // The TV's unpaired /screen page: a pending token (its cookie) and a code; a reload keeps both.
    const first = (await pendingPairing(undefined, "192.0.2.10"))!;
    expect(first.code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    const tvCookie = `${SCREEN_COOKIE}=${first.token}`;
    expect(await pendingPairing(tvCookie, "192.0.2.10")).toEqual(first);
    expect(await screenFromCookie(tvCookie)).toBeNull();

    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const typed = `${first.code.slice(0, 4).toLowerCase()} ${first.code.slice(4)}`; // as someone types it
    const { screen } = await reception.scheduling.pairScreenByCode({ locationId: setup.location.id, code: typed, name: "Hall TV" });
    expect(await screenFromCookie(tvCookie)).toMatchObject({ id: screen.id, locationId: setup.location.id, name: "Hall TV" });
    expect(await db.auditEvent.count({ where: { action: "scheduling.screen.paired", resourceId: screen.id } })).toBe(1);
    // The code worked once.
    await expect(reception.scheduling.pairScreenByCode({ locationId: setup.location.id, code: first.code, name: "Again" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("not valid or has expired"),
    });

    // Unpaired later, the TV starts over with a new token and a new code.
    await reception.scheduling.revokeScreen({ screenId: screen.id });
    const next = (await pendingPairing(tvCookie, "192.0.2.10"))!;
    expect(next.token).not.toBe(first.token);
    expect(next.code).not.toBe(first.code);

    // Guessing: after 10 wrong codes a user is refused even the right one for a while.
    const guesser = await callerFor(fixture.users.NURSE.id);
    for (let i = 0; i < 10; i++) {
      await expect(guesser.scheduling.pairScreenByCode({ locationId: setup.location.id, code: `ZZZZ-ZZZ${"ABCDEFGHJK"[i]}`, name: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(guesser.scheduling.pairScreenByCode({ locationId: setup.location.id, code: next.code, name: "x" })).rejects.toMatchObject({
      message: expect.stringContaining("Too many wrong codes"),
    });
    expect(await screenFromCookie(`${SCREEN_COOKIE}=${next.token}`)).toBeNull();
    // Another user still pairs it.
    await reception.scheduling.pairScreenByCode({ locationId: setup.location.id, code: next.code, name: "Hall TV" });
    expect(await screenFromCookie(`${SCREEN_COOKIE}=${next.token}`)).toMatchObject({ name: "Hall TV" });
  });

  it("limits new pairing codes per address (the page is anonymous); a screen that has one keeps it", async () => {
    const address = "198.51.100.7";
    const shown = (await pendingPairing(undefined, address))!;
    for (let i = 1; i < 30; i++) expect(await pendingPairing(undefined, address)).not.toBeNull();
    expect(await pendingPairing(undefined, address)).toBeNull(); // the 31st new code in 10 minutes
    expect(await pendingPairing(`${SCREEN_COOKIE}=${shown.token}`, address)).toEqual(shown);
    expect(await pendingPairing(undefined, "198.51.100.8")).not.toBeNull();
  });
});
