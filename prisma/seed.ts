import { fakerEN_US as faker } from "@faker-js/faker";
import { pathToFileURL } from "node:url";
import { db } from "../server/db.ts";
import { ROLES } from "../server/permissions/registry.ts";
import { createClinic, createPatient, DEMO_PASSWORD } from "../tests/factories/index.ts";

export const DEMO_DOMAIN = "carelane.test";

/**
 * The demo clinic: two locations, one user per role (password `carelane-demo`), a handful of
 * patients. Deterministic (fixed faker seed) and idempotent: a second run finds the clinic and
 * changes nothing.
 */
export async function seedDemo(): Promise<{ created: boolean }> {
  const existing = await db.clinic.findUnique({ where: { slug: "demo" }, select: { id: true } });
  if (existing) return { created: false };

  faker.seed(20261126);
  const { clinic } = await createClinic({ name: "Carelane Demo Clinic", slug: "demo", emailDomain: DEMO_DOMAIN, password: DEMO_PASSWORD });
  for (let i = 0; i < 25; i++) {
    const sex = faker.helpers.arrayElement(["FEMALE", "MALE"] as const);
    await createPatient(clinic.id, {
      givenName: faker.person.firstName(sex === "FEMALE" ? "female" : "male"),
      familyName: faker.person.lastName(),
      dateOfBirth: faker.date.birthdate({ min: 1, max: 95, mode: "age", refDate: "2026-01-01" }).toISOString().slice(0, 10),
      sex,
    });
  }
  return { created: true };
}

export const demoSignIns = () => ROLES.map((role) => ({ role, email: `${role === "RECEPTIONIST" ? "reception" : role.toLowerCase()}@${DEMO_DOMAIN}`, password: DEMO_PASSWORD }));

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { created } = await seedDemo();
  console.log(created ? "Seeded the demo clinic." : "Demo clinic already present; nothing changed.");
  await db.$disconnect();
}
