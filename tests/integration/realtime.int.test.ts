import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClinic, createPatient, DEMO_PASSWORD, type ClinicFixture } from "../factories/index.ts";
import { connected, HttpClient, subscribe, waitFor } from "../helpers/http.ts";
import { freePorts, startProcess, stopProcess } from "../helpers/processes.ts";

// Two real web processes on two ports, sharing one Redis, as in production behind a balancer.
const [PORT_A, PORT_B] = (await freePorts(2)) as [number, number];
let webA: ChildProcess;
let webB: ChildProcess;
let fixture: ClinicFixture;

beforeAll(async () => {
  [webA, webB, fixture] = await Promise.all([
    startProcess("tests/helpers/web-process.ts", { PORT: String(PORT_A) }, "web process ready"),
    startProcess("tests/helpers/web-process.ts", { PORT: String(PORT_B) }, "web process ready"),
    createClinic(),
  ]);
});
afterAll(async () => {
  await Promise.all([webA, webB].filter(Boolean).map(stopProcess));
});

describe("live events across web processes", () => {
  it("a change saved through one process reaches a socket on the other, with ids only", async () => {
    const patient = await createPatient(fixture.clinic.id);
    const watcher = new HttpClient(`http://127.0.0.1:${PORT_B}`);
    await watcher.signIn(fixture.users.PHYSICIAN.email, DEMO_PASSWORD);
    const socket = watcher.socket();
    await connected(socket);
    expect(await subscribe(socket, `patient:${patient.id}`)).toEqual({ ok: true, room: `patient:${patient.id}` });

    const editor = new HttpClient(`http://127.0.0.1:${PORT_A}`);
    await editor.signIn(fixture.users.RECEPTIONIST.email, DEMO_PASSWORD);
    const event = waitFor<Record<string, unknown>>(socket, "patients.patient.updated");
    const saved = await editor.trpc("patients.update", { id: patient.id, version: 1, familyName: "Okafor" }, "mutation");
    expect(saved.status).toBe(200);
    expect(await event).toEqual({ patientId: patient.id, version: 2 });
    socket.close();
  });

  it("refuses rooms the user may not watch, with a reason", async () => {
    const other = await createClinic();
    const foreignPatient = await createPatient(other.clinic.id);
    const client = new HttpClient(`http://127.0.0.1:${PORT_A}`);
    await client.signIn(fixture.users.BILLING.email, DEMO_PASSWORD);
    const socket = client.socket();
    await connected(socket);
    expect(await subscribe(socket, `patient:${foreignPatient.id}`)).toEqual({ ok: false, reason: "patient not found" });
    expect(await subscribe(socket, `user:${fixture.users.ADMIN.id}`)).toMatchObject({ ok: false });
    expect(await subscribe(socket, `clinic:${other.clinic.id}`)).toEqual({ ok: false, reason: "clinic not found" });
    expect(await subscribe(socket, `clinic:${fixture.clinic.id}`)).toMatchObject({ ok: true });
    expect(await subscribe(socket, "session:anything")).toMatchObject({ ok: false });
    socket.close();
  });
});
