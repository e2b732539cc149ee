import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer, type WebServer } from "../../server/app.ts";
import { db } from "../../server/db.ts";
import { createClinic, DEMO_PASSWORD, type ClinicFixture } from "../factories/index.ts";
import { HttpClient } from "../helpers/http.ts";

/** What a form receives over HTTP when input is refused: each message under its field's path. */
let server: WebServer;
let fixture: ClinicFixture;
beforeAll(async () => {
  [server, fixture] = await Promise.all([createWebServer({ port: 0, host: "127.0.0.1", remix: "none" }), createClinic()]);
});
afterAll(() => server.close());

describe("field errors", () => {
  it("name the exact field inside lists (the second contact's phone, the first identifier), and nothing is written", async () => {
    const reception = new HttpClient(server.url);
    await reception.signIn(fixture.users.RECEPTIONIST.email, DEMO_PASSWORD);
    const before = await db.patient.count({ where: { clinicId: fixture.clinic.id } });
    const refused = await reception.trpc(
      "patients.register",
      {
        givenName: "Ines",
        familyName: "Duarte",
        dateOfBirth: "1980-04-04",
        sex: "FEMALE",
        emergencyContacts: [
          { name: "Rui Duarte", relation: "husband", phone: "617-555-0142" },
          { name: "Ana Duarte", relation: "sister", phone: "12" },
        ],
        identifiers: [{ kind: "SSN", value: "000-12-3456" }],
      },
      "mutation",
    );
    expect(refused.status).toBe(400);
    const fieldErrors = (refused.body.error?.data as { fieldErrors?: Record<string, string[]> }).fieldErrors!;
    expect(Object.keys(fieldErrors).sort()).toEqual(["emergencyContacts.1.phone", "identifiers.0.value"]);
    expect(fieldErrors["identifiers.0.value"]).toEqual([expect.stringContaining("SSN must be 9 digits")]);
    expect(await db.patient.count({ where: { clinicId: fixture.clinic.id } })).toBe(before);
  });
});
