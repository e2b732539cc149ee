import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { createWebServer, type WebServer } from "../../app.ts";
import { callerFor, createClinic, createPatient, createScheduling, DEMO_PASSWORD } from "../../../tests/factories/index.ts";
import { connected, HttpClient, subscribe } from "../../../tests/helpers/http.ts";

/**
 * Every chart section announces its changes to `patient:<id>` after commit, as ids and versions
 * only; a refused write announces nothing.
 */

let server: WebServer;
beforeAll(async () => {
  server = await createWebServer({ port: 0, host: "127.0.0.1", remix: "none" });
});
afterAll(() => server.close());

/** Collects every charts.* event the socket receives. */
function collect(socket: Socket) {
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  socket.onAny((event: string, payload: Record<string, unknown>) => {
    if (event.startsWith("charts.")) events.push({ event, payload });
  });
  return {
    events,
    /** Resolves once `event` has arrived (or fails after 5 s). */
    async next(event: string) {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const index = events.findIndex((e) => e.event === event);
        if (index >= 0) return events.splice(index, 1)[0]!.payload;
        if (Date.now() > deadline) throw new Error(`no '${event}' within 5 s (got ${events.map((e) => e.event).join(", ") || "nothing"})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe("chart events", () => {
  it("each section's save reaches a nurse watching the chart, with ids and versions only", async () => {
    const fixture = await createClinic();
    const setup = await createScheduling(fixture);
    const patient = await createPatient(fixture.clinic.id);
    const watcher = new HttpClient(server.url);
    await watcher.signIn(fixture.users.NURSE.email, DEMO_PASSWORD);
    const socket = watcher.socket();
    await connected(socket);
    expect(await subscribe(socket, `patient:${patient.id}`)).toMatchObject({ ok: true });
    const live = collect(socket);
    const physician = await callerFor(fixture.users.PHYSICIAN.id);
    const patientId = patient.id;

    const vitals = await physician.charts.recordVitals({ patientId, heartRate: 88 });
    expect(await live.next("charts.vitals.changed")).toEqual({ patientId, vitalsId: vitals.id, version: 1 });

    const problem = await physician.charts.addProblem({ patientId, icd10Code: "J45909" });
    expect(await live.next("charts.problems.changed")).toEqual({ patientId, problemId: problem.id, version: 1 });
    await physician.charts.updateProblem({ id: problem.id, version: 1, notes: "Uses inhaler twice a week" });
    expect(await live.next("charts.problems.changed")).toEqual({ patientId, problemId: problem.id, version: 2 });

    const allergy = await physician.charts.addAllergy({ patientId, substance: "Latex", category: "ENVIRONMENTAL" });
    expect(await live.next("charts.allergies.changed")).toEqual({ patientId, allergyId: allergy.id, version: 1 });

    const medication = await physician.charts.addMedication({ patientId, drugName: "Albuterol inhaler", frequency: "as needed" });
    expect(await live.next("charts.medications.changed")).toEqual({ patientId, medicationId: medication.id, version: 1 });

    const order = await physician.charts.orderLab({ patientId, loincCode: "2345-7" });
    expect(await live.next("charts.labs.changed")).toEqual({ patientId, labOrderId: order.id, labResultId: null, version: 1 });
    const result = await physician.charts.recordLabResult({ labOrderId: order.id, valueNumeric: 101, unit: "mg/dL", referenceLow: 70, referenceHigh: 99 });
    expect(await live.next("charts.labs.changed")).toEqual({ patientId, labOrderId: order.id, labResultId: result.id, version: 1 });

    const { encounter } = await physician.charts.openEncounter({ patientId, providerId: setup.provider.id, type: "FOLLOW_UP" });
    expect(await live.next("charts.encounters.changed")).toEqual({ patientId, encounterId: encounter.id, version: 1 });
    await physician.charts.saveNote({ noteId: encounter.noteId!, version: 1, assessment: "Asthma, mild intermittent." });
    expect(await live.next("charts.note.changed")).toEqual({ patientId, noteId: encounter.noteId, encounterId: encounter.id, version: 2 });
    await physician.charts.signNote({ noteId: encounter.noteId!, version: 2 });
    expect(await live.next("charts.note.changed")).toEqual({ patientId, noteId: encounter.noteId, encounterId: encounter.id, version: 3 });
    expect(await live.next("charts.encounters.changed")).toEqual({ patientId, encounterId: encounter.id, version: 2 });

    // Refused writes announce nothing.
    await physician.charts.updateProblem({ id: problem.id, version: 1, notes: "stale" }).catch(() => undefined);
    await physician.charts.recordVitals({ patientId, heartRate: 900 }).catch(() => undefined);
    await physician.charts.saveNote({ noteId: encounter.noteId!, version: 3, plan: "after signing" }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(live.events).toEqual([]);
    socket.close();
  });
});
