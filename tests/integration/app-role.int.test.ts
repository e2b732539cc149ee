import type { ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantAppRole } from "../../scripts/db/app-role.ts";
import { createClinic, createScheduling, DEMO_PASSWORD, middayZone, type ClinicFixture } from "../factories/index.ts";
import { HttpClient } from "../helpers/http.ts";
import { freePorts, startProcess, stopProcess } from "../helpers/processes.ts";

/**
 * The production database role (scripts/db/app-role.ts): a web process connected as it does a
 * day's work (sign-in, registration, booking, check-in, a chart), and the role itself cannot touch
 * audit rows, the migration log or the code sets, whatever the code asks.
 */
const role = `carelane_app_t${process.pid}`;
const ownerUrl = process.env.DATABASE_URL!;
const roleUrl = (() => {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = "";
  return url.toString();
})();
const [PORT] = (await freePorts(1)) as [number];
let web: ChildProcess | undefined;
let fixture: ClinicFixture;

async function asRole<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: roleUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await grantAppRole(ownerUrl, role);
  await grantAppRole(ownerUrl, role); // idempotent
  [web, fixture] = await Promise.all([startProcess("tests/helpers/web-process.ts", { PORT: String(PORT), DATABASE_URL: roleUrl }, "web process ready"), createClinic()]);
}, 60_000);

afterAll(async () => {
  if (web) await stopProcess(web);
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query(`DROP OWNED BY ${role}`);
  await owner.query(`DROP ROLE IF EXISTS ${role}`);
  await owner.end();
});

describe("the application's database role", () => {
  it("runs the front desk and the chart", async () => {
    const setup = await createScheduling(fixture, { timeZone: middayZone() });
    const reception = new HttpClient(`http://127.0.0.1:${PORT}`);
    expect((await reception.signIn(fixture.users.RECEPTIONIST.email, DEMO_PASSWORD)).location).not.toMatch(/error/);
    const registered = await reception.trpc("patients.register", { givenName: "Odile", familyName: "Marchetti", dateOfBirth: "1971-03-09", sex: "FEMALE", confirmDuplicate: true }, "mutation");
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const patientId = (registered.body.result!.data as { id: string }).id;
    expect((await reception.trpc("patients.search", { q: "marchetti" })).status).toBe(200);
    const start = new Date(Math.ceil((Date.now() + 30 * 60_000) / 900_000) * 900_000);
    const booked = await reception.trpc("scheduling.book", { patientId, providerId: setup.provider.id, locationId: setup.location.id, appointmentTypeId: setup.type.id, start }, "mutation");
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    const appointmentId = (booked.body.result!.data as { id: string }).id;
    expect((await reception.trpc("scheduling.checkIn", { appointmentId }, "mutation")).status).toBe(200);

    const physician = new HttpClient(`http://127.0.0.1:${PORT}`);
    await physician.signIn(fixture.users.PHYSICIAN.email, DEMO_PASSWORD);
    const opened = await physician.trpc("charts.openEncounter", { appointmentId }, "mutation");
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const encounterId = (opened.body.result!.data as { encounter: { id: string } }).encounter.id;
    expect((await physician.trpc("charts.recordVitals", { patientId, encounterId, systolic: 128, diastolic: 82 }, "mutation")).status).toBe(200);
    expect((await physician.trpc("charts.addAllergy", { patientId, substance: "NSAIDs", drugClass: "NSAIDs", category: "DRUG" }, "mutation")).status).toBe(200);
    expect((await physician.trpc("charts.summary", { patientId })).status).toBe(200);
    expect((await physician.trpc("codes.rxnormSearch", { q: "ibuprofen" })).status).toBe(200);
  });

  it("cannot change or delete audit rows, the migration log or the code sets", async () => {
    const refusals = await asRole(async (client) => {
      const attempts = [
        "UPDATE audit_event SET reason = 'x' WHERE false",
        "DELETE FROM audit_event WHERE false",
        "DELETE FROM _prisma_migrations WHERE false",
        "UPDATE icd10cm_code SET description = 'x' WHERE false",
        "INSERT INTO rxnorm_drug (rxcui, name, ingredient, dose_form) VALUES ('1', 'x', 'x', 'x')",
        "UPDATE note_addendum SET text = 'x' WHERE false",
      ];
      const out: string[] = [];
      for (const sql of attempts) out.push(await client.query(sql).then(() => "allowed", (error: Error) => error.message));
      return out;
    });
    for (const message of refusals) expect(message).toMatch(/^permission denied for table/);
    expect(await asRole(async (c) => (await c.query("SELECT count(*)::int AS n FROM icd10cm_word")).rows[0].n)).toBeGreaterThan(0);
  });
});
