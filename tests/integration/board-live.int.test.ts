import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer, type WebServer } from "../../server/app.ts";
import { db } from "../../server/db.ts";
import { callerFor, createClinic, createPatient, createScheduling, DEMO_PASSWORD, middayZone } from "../factories/index.ts";
import { connected, HttpClient, subscribe, waitFor } from "../helpers/http.ts";

let server: WebServer;
beforeAll(async () => {
  server = await createWebServer({ port: 0, host: "127.0.0.1", remix: "none" });
});
afterAll(() => server.close());

describe("live waiting-room board", () => {
  it("a check-in and a rooming reach every board watching the location, as ids only", async () => {
    const fixture = await createClinic();
    const setup = await createScheduling(fixture, { timeZone: middayZone() });
    const patient = await createPatient(fixture.clinic.id);
    const board = new HttpClient(server.url);
    await board.signIn(fixture.users.NURSE.email, DEMO_PASSWORD);
    const socket = board.socket();
    await connected(socket);
    expect(await subscribe(socket, `location:${setup.location.id}`)).toMatchObject({ ok: true });

    const reception = await callerFor(fixture.users.RECEPTIONIST.id);
    const start = new Date(Math.ceil((Date.now() + 30 * 60_000) / 900_000) * 900_000);
    const appointment = await reception.scheduling.book({ patientId: patient.id, providerId: setup.provider.id, locationId: setup.location.id, appointmentTypeId: setup.type.id, start });

    const checkedIn = waitFor<Record<string, unknown>>(socket, "scheduling.appointment.checked-in");
    await reception.scheduling.checkIn({ appointmentId: appointment.id });
    expect(await checkedIn).toEqual({ appointmentId: appointment.id, locationId: setup.location.id, version: 2 });

    const roomed = waitFor<Record<string, unknown>>(socket, "scheduling.appointment.roomed");
    await reception.scheduling.room({ appointmentId: appointment.id, room: "Exam 2" });
    expect(await roomed).toEqual({ appointmentId: appointment.id, locationId: setup.location.id, version: 3 });
    socket.close();
    expect(await db.appointment.findUnique({ where: { id: appointment.id }, select: { room: true } })).toEqual({ room: "Exam 2" });
  });

  it("refuses a location board to roles without schedule:read and to other clinics", async () => {
    const fixture = await createClinic();
    const other = await createClinic();
    const client = new HttpClient(server.url);
    await client.signIn(fixture.users.RECEPTIONIST.email, DEMO_PASSWORD);
    const socket = client.socket();
    await connected(socket);
    expect(await subscribe(socket, `location:${other.locations[0]!.id}`)).toEqual({ ok: false, reason: "location not found" });
    socket.close();
  });
});
