import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { can, ROLES, type Permission, type Role } from "../../server/permissions/registry.ts";
import { appRouter } from "../../server/trpc/router.ts";
import { callerFor, createClinic, type ClinicFixture } from "../factories/index.ts";

type AnyProcedure = { _def: { procedure?: true; meta?: { permission?: Permission } } };

/** Every procedure in the app router, by dotted path, however deeply nested. */
function flatten(record: Record<string, unknown>, prefix = ""): [string, AnyProcedure][] {
  return Object.entries(record).flatMap(([key, value]) => {
    const node = value as AnyProcedure & Record<string, unknown>;
    return node._def?.procedure ? [[prefix + key, node] as [string, AnyProcedure]] : flatten(node, `${prefix}${key}.`);
  });
}
const procedures = flatten(appRouter._def.record as Record<string, unknown>);

async function call(userId: string | null, path: string): Promise<string> {
  const caller = (await callerFor(userId)) as unknown as Record<string, unknown>;
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    // An empty input: a permitted caller gets past the guard and, for most procedures, a BAD_REQUEST.
    await fn({});
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/**
 * Who may call what, written out by hand: a change to the matrix or a new procedure must be
 * reflected here on purpose (this table is the reviewable statement of access).
 */
const EXPECTED: Record<string, readonly Role[]> = {
  "access.me": ROLES,
  "access.auditLog": ["ADMIN", "MANAGER"],
  "access.listUsers": ["ADMIN"],
  "access.createUser": ["ADMIN"],
  "access.setUserActive": ["ADMIN"],
  "patients.register": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "patients.get": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING"],
  "patients.update": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "patients.duplicates": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "patients.banner": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING"],
  "patients.setStatus": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "patients.revealIdentifier": ["ADMIN", "BILLING"],
  "patients.careProviders": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING"],
  "patients.merge": ["ADMIN"],
  "patients.unmerge": ["ADMIN"],
  "patients.search": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING"],
  "patients.history.get": ["PHYSICIAN", "NURSE"],
  "patients.history.addCondition": ["PHYSICIAN", "NURSE"],
  "patients.history.updateCondition": ["PHYSICIAN", "NURSE"],
  "patients.history.removeCondition": ["PHYSICIAN", "NURSE"],
  "patients.history.addSurgery": ["PHYSICIAN", "NURSE"],
  "patients.history.updateSurgery": ["PHYSICIAN", "NURSE"],
  "patients.history.removeSurgery": ["PHYSICIAN", "NURSE"],
  "patients.history.addFamilyHistory": ["PHYSICIAN", "NURSE"],
  "patients.history.updateFamilyHistory": ["PHYSICIAN", "NURSE"],
  "patients.history.removeFamilyHistory": ["PHYSICIAN", "NURSE"],
  "patients.history.saveSocialHistory": ["PHYSICIAN", "NURSE"],
  "codes.icd10Search": ["PHYSICIAN", "NURSE", "BILLING"],
  "codes.loincSearch": ["PHYSICIAN", "NURSE", "BILLING"],
  "codes.rxnormSearch": ["PHYSICIAN", "NURSE", "BILLING"],
  "codes.allergenSearch": ["PHYSICIAN", "NURSE", "BILLING"],
  "charts.summary": ["PHYSICIAN", "NURSE"],
  "charts.timeline": ["PHYSICIAN", "NURSE"],
  "charts.encounter": ["PHYSICIAN", "NURSE"],
  "charts.vitals": ["PHYSICIAN", "NURSE"],
  "charts.problems": ["PHYSICIAN", "NURSE"],
  "charts.allergies": ["PHYSICIAN", "NURSE"],
  "charts.medications": ["PHYSICIAN", "NURSE"],
  "charts.labs": ["PHYSICIAN", "NURSE"],
  "charts.labTrend": ["PHYSICIAN", "NURSE"],
  "charts.loincSearch": ["PHYSICIAN", "NURSE"],
  "charts.templates": ["PHYSICIAN", "NURSE"],
  "charts.allTemplates": ["ADMIN", "PHYSICIAN"],
  "charts.addTemplate": ["ADMIN", "PHYSICIAN"],
  "charts.updateTemplate": ["ADMIN", "PHYSICIAN"],
  "charts.openEncounter": ["PHYSICIAN", "NURSE"],
  "charts.saveNote": ["PHYSICIAN", "NURSE"],
  "charts.signNote": ["PHYSICIAN"],
  "charts.addAddendum": ["PHYSICIAN", "NURSE"],
  "charts.recordVitals": ["PHYSICIAN", "NURSE"],
  "charts.updateVitals": ["PHYSICIAN", "NURSE"],
  "charts.addProblem": ["PHYSICIAN", "NURSE"],
  "charts.updateProblem": ["PHYSICIAN", "NURSE"],
  "charts.addAllergy": ["PHYSICIAN", "NURSE"],
  "charts.updateAllergy": ["PHYSICIAN", "NURSE"],
  "charts.setNoKnownAllergies": ["PHYSICIAN", "NURSE"],
  "charts.addMedication": ["PHYSICIAN", "NURSE"],
  "charts.updateMedication": ["PHYSICIAN", "NURSE"],
  "charts.orderLab": ["PHYSICIAN", "NURSE"],
  "charts.cancelLabOrder": ["PHYSICIAN", "NURSE"],
  "charts.recordLabResult": ["PHYSICIAN", "NURSE"],
  "charts.acknowledgeResult": ["PHYSICIAN", "NURSE"],
  "scheduling.locations": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.providers": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.appointmentTypes": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.findSlots": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.day": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.board": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.publicBoard": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.patientAppointments": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.screens": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"],
  "scheduling.pairScreen": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.pairScreenByCode": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.revokeScreen": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.book": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.reschedule": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.cancel": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.confirm": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.checkIn": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.room": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.startVisit": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.checkOut": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.markNoShow": ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST"],
  "scheduling.setup.upsertProvider": ["ADMIN", "MANAGER"],
  "scheduling.setup.createAppointmentType": ["ADMIN", "MANAGER"],
  "scheduling.setup.setAvailability": ["ADMIN", "MANAGER"],
  "scheduling.setup.addException": ["ADMIN", "MANAGER"],
};

let fixture: ClinicFixture;
beforeAll(async () => {
  fixture = await createClinic();
});

describe("permission matrix", () => {
  it("every procedure declares a permission from the registry", () => {
    expect(procedures.length).toBeGreaterThan(0);
    const undeclared = procedures.filter(([, p]) => !p._def.meta?.permission).map(([path]) => path);
    expect(undeclared, "procedures without a declared permission").toEqual([]);
    expect(procedures.map(([path]) => path).sort(), "every procedure has a row in EXPECTED").toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(procedures)("%s: nobody is UNAUTHORIZED; each role gets exactly what the matrix grants", async (path, procedure) => {
    expect(await call(null, path)).toBe("UNAUTHORIZED");
    const permission = procedure._def.meta!.permission!;
    for (const role of ROLES) {
      const outcome = await call(fixture.users[role].id, path);
      expect(can(role, permission), `${role} on ${path}: registry vs EXPECTED`).toBe(EXPECTED[path]?.includes(role) ?? false);
      if (EXPECTED[path]?.includes(role)) {
        expect(["FORBIDDEN", "UNAUTHORIZED"], `${role} on ${path}`).not.toContain(outcome);
      } else {
        expect(outcome, `${role} on ${path}`).toBe("FORBIDDEN");
        const denial = await db.auditEvent.findFirst({
          where: { userId: fixture.users[role].id, action: path, outcome: "DENIED" },
          select: { reason: true },
        });
        expect(denial?.reason).toBe(`missing ${permission}`);
      }
    }
  });
});
