import { fakerEN_US as faker } from "@faker-js/faker";
import { pathToFileURL } from "node:url";
import { db } from "../server/db.ts";
import { ROLES } from "../server/permissions/registry.ts";
import { withCheckDigit } from "../server/modules/patients/service.ts";
import { importDrugs, importIcd10, importLoinc } from "../server/codes/import.ts";
import { createClinic, DEMO_PASSWORD, npiFor, type ClinicFixture } from "../tests/factories/index.ts";
import { addDays, localToUtc, todayIn } from "../server/modules/scheduling/time.ts";
import { seedCharts } from "./seed-charts.ts";

export const DEMO_DOMAIN = "carelane.test";
const PATIENTS = 500;

/**
 * Common primary-care conditions, looked up by their official description at seed time so no
 * code is ever typed by hand; any that the loaded code set lacks are simply skipped.
 */
const COMMON_CONDITIONS = [
  "Essential (primary) hypertension",
  "Type 2 diabetes mellitus without complications",
  "Hyperlipidemia, unspecified",
  "Gastro-esophageal reflux disease without esophagitis",
  "Hypothyroidism, unspecified",
  "Generalized anxiety disorder",
  "Major depressive disorder, single episode, unspecified",
  "Mild intermittent asthma, uncomplicated",
  "Chronic obstructive pulmonary disease, unspecified",
  "Obesity, unspecified",
  "Migraine, unspecified, not intractable, without status migrainosus",
  "Low back pain, unspecified",
  "Allergic rhinitis, unspecified",
  "Vitamin D deficiency, unspecified",
];
const SURGERIES = ["Appendectomy", "Cholecystectomy", "Tonsillectomy", "Knee arthroscopy", "Cesarean section", "Inguinal hernia repair", "Cataract extraction", "Carpal tunnel release"];
const RELATIVES = ["mother", "father", "sister", "brother", "maternal grandmother", "paternal grandfather"];
const LANGUAGES = ["en", "en", "en", "en", "en", "es", "es", "pt", "zh", "vi", "ht"];

/**
 * The demo clinic: two locations, one user per role (password `carelane-demo`) and ~500 patients
 * with medical history. Deterministic (fixed faker seed) and idempotent: a second run finds the
 * clinic and changes nothing. Built from the same factories as the tests.
 */
export async function seedDemo(): Promise<{ created: boolean }> {
  await Promise.all([importIcd10(), importLoinc(), importDrugs()]);
  const existing = await db.clinic.findUnique({ where: { slug: "demo" }, select: { id: true, name: true } });
  if (existing) {
    // A demo seeded before charts existed gets its chart data once; after that, nothing changes.
    if ((await db.encounter.count({ where: { clinicId: existing.id } })) === 0 && (await db.provider.count({ where: { clinicId: existing.id } })) > 0) {
      const users = Object.fromEntries((await db.user.findMany({ where: { clinicId: existing.id }, select: { id: true, email: true, name: true, role: true } })).map((u) => [u.role, u]));
      await seedCharts({ clinic: existing, users: users as ClinicFixture["users"] });
    }
    return { created: false };
  }

  faker.seed(20261126);
  const { clinic, users } = await createClinic({ name: "Carelane Demo Clinic", slug: "demo", emailDomain: DEMO_DOMAIN, password: DEMO_PASSWORD });
  const conditions = await db.icd10Code.findMany({ where: { description: { in: COMMON_CONDITIONS } }, select: { code: true, description: true }, orderBy: { code: "asc" } });
  const recordedById = users.NURSE.id;
  const mrns = await db.$queryRaw<{ n: bigint }[]>`SELECT nextval('patient_mrn_seq') AS n FROM generate_series(1, ${PATIENTS})`;

  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < PATIENTS; i++) {
        const sex = faker.helpers.arrayElement(["FEMALE", "MALE"] as const);
        const givenName = faker.person.firstName(sex === "FEMALE" ? "female" : "male");
        const familyName = faker.person.lastName();
        const dateOfBirth = faker.date.birthdate({ min: 1, max: 95, mode: "age", refDate: "2026-01-01" });
        const age = 2026 - dateOfBirth.getUTCFullYear();
        const patient = await tx.patient.create({
          data: {
            clinicId: clinic.id,
            mrn: withCheckDigit(String(mrns[i]!.n)),
            givenName,
            familyName,
            preferredName: faker.helpers.maybe(() => faker.person.firstName(), { probability: 0.08 }) ?? null,
            dateOfBirth: new Date(`${dateOfBirth.toISOString().slice(0, 10)}T00:00:00Z`),
            sex,
            pronouns: faker.helpers.maybe(() => (sex === "FEMALE" ? "she/her" : "he/him"), { probability: 0.3 }) ?? null,
            phoneMobile: `+1617555${String(faker.number.int({ min: 100, max: 9999 })).padStart(4, "0")}`,
            email: faker.helpers.maybe(() => faker.internet.email({ firstName: givenName, lastName: familyName, provider: "example.com" }).toLowerCase(), { probability: 0.7 }) ?? null,
            addressLine1: faker.location.streetAddress(),
            city: faker.helpers.arrayElement(["Boston", "Cambridge", "Somerville", "Brookline", "Quincy"]),
            region: "MA",
            postalCode: faker.helpers.arrayElement(["02118", "02139", "02143", "02446", "02169"]),
            preferredLanguage: faker.helpers.arrayElement(LANGUAGES),
            maritalStatus: age < 18 ? "SINGLE" : faker.helpers.arrayElement(["SINGLE", "MARRIED", "DIVORCED", "WIDOWED", "DOMESTIC_PARTNER"] as const),
            primaryCareProviderId: users.PHYSICIAN.id,
            allowSms: faker.datatype.boolean({ probability: 0.9 }),
            status: faker.helpers.weightedArrayElement([{ value: "ACTIVE" as const, weight: 96 }, { value: "INACTIVE" as const, weight: 4 }]),
            createdById: users.RECEPTIONIST.id,
            updatedById: users.RECEPTIONIST.id,
            emergencyContacts: {
              create: [{ name: faker.person.fullName(), relation: faker.helpers.arrayElement(["spouse", "parent", "sibling", "friend", "child"]), phone: `+1617555${String(faker.number.int({ min: 100, max: 9999 })).padStart(4, "0")}` }],
            },
          },
          select: { id: true },
        });
        if (age >= 18 && conditions.length) {
          for (const condition of faker.helpers.arrayElements(conditions, { min: 0, max: 3 })) {
            await tx.pastCondition.create({
              data: { patientId: patient.id, icd10Code: condition.code, description: condition.description, onsetYear: faker.number.int({ min: Math.max(1950, 2026 - age + 15), max: 2025 }), recordedById },
            });
          }
        }
        if (faker.datatype.boolean({ probability: 0.3 })) {
          await tx.pastSurgery.create({ data: { patientId: patient.id, procedure: faker.helpers.arrayElement(SURGERIES), performedOn: String(faker.number.int({ min: 2026 - age, max: 2025 })), recordedById } });
        }
        if (faker.datatype.boolean({ probability: 0.4 }) && conditions.length) {
          const condition = faker.helpers.arrayElement(conditions);
          await tx.familyHistoryItem.create({ data: { patientId: patient.id, relative: faker.helpers.arrayElement(RELATIVES), condition: condition.description, icd10Code: condition.code, recordedById } });
        }
        if (age >= 18) {
          const tobaccoStatus = faker.helpers.weightedArrayElement([
            { value: "NEVER" as const, weight: 60 },
            { value: "FORMER" as const, weight: 25 },
            { value: "CURRENT_EVERY_DAY" as const, weight: 12 },
            { value: "CURRENT_SOME_DAYS" as const, weight: 3 },
          ]);
          await tx.socialHistory.create({
            data: {
              patientId: patient.id,
              tobaccoStatus,
              packYears: tobaccoStatus === "NEVER" ? null : faker.number.int({ min: 1, max: 40 }),
              alcohol: faker.helpers.arrayElement(["none", "social", "1-2 drinks/week", "daily"]),
              occupation: faker.person.jobTitle(),
              recordedById,
            },
          });
        }
      }
    },
    { timeout: 120_000 },
  );
  await seedScheduling({ clinic, users, locations: await db.location.findMany({ where: { clinicId: clinic.id }, select: { id: true, name: true }, orderBy: { name: "desc" } }) });
  await seedCharts({ clinic, users });
  return { created: true };
}

/**
 * The physician sees patients every day 08:00–18:00 at both locations. Today at Riverside there
 * is a booked appointment at the top of every local hour (so a demo or an end-to-end run at any
 * time of day finds one to check in) and a few patients already waiting, roomed or in a visit.
 */
async function seedScheduling(fixture: Pick<ClinicFixture, "clinic" | "users" | "locations">) {
  const riverside = fixture.locations.find((l) => l.name === "Riverside")!;
  const location = await db.location.findUniqueOrThrow({ where: { id: riverside.id }, select: { id: true, timeZone: true } });
  const provider = await db.provider.create({ data: { clinicId: fixture.clinic.id, userId: fixture.users.PHYSICIAN.id, npi: npiFor(123456789), specialty: "Family medicine" }, select: { id: true } });
  await db.availability.createMany({
    data: fixture.locations.flatMap((l) => [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ providerId: provider.id, locationId: l.id, weekday, startTime: "08:00", endTime: "18:00" }))),
  });
  const types = await Promise.all(
    ([["New patient", 45, "#7c3aed"], ["Follow-up", 30, "#0ea5e9"], ["Annual physical", 60, "#16a34a"]] as const).map(([name, durationMinutes, color]) =>
      db.appointmentType.create({ data: { clinicId: fixture.clinic.id, name, durationMinutes, color }, select: { id: true } }),
    ),
  );
  const followUp = types[1]!.id;
  const patients = await db.patient.findMany({ where: { clinicId: fixture.clinic.id, status: "ACTIVE" }, select: { id: true }, orderBy: { mrn: "asc" }, take: 60 });
  const today = todayIn(location.timeZone);
  const nowHour = Number(new Date().toLocaleString("en-US", { timeZone: location.timeZone, hour: "2-digit", hour12: false })) % 24;
  const createdById = fixture.users.RECEPTIONIST.id;
  const base = { clinicId: fixture.clinic.id, providerId: provider.id, locationId: location.id, appointmentTypeId: followUp, createdById };
  const at = (date: string, hour: number, minute: number) => localToUtc(date, `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`, location.timeZone);

  let next = 0;
  for (let hour = 0; hour < 24; hour++) {
    const startsAt = at(today, hour, 0);
    await db.appointment.create({
      data: { ...base, patientId: patients[next++]!.id, startsAt, endsAt: new Date(+startsAt + 30 * 60_000), outsideAvailability: hour < 8 || hour >= 18, transitions: { create: { toStatus: "BOOKED", byId: createdById } } },
    });
  }
  // Already in the building: waiting, roomed, with the doctor (half past the hours around now).
  const present = [
    { status: "ARRIVED" as const, waited: 6 },
    { status: "ARRIVED" as const, waited: 19 },
    { status: "ROOMED" as const, waited: 27, room: "Exam 1" },
    { status: "IN_VISIT" as const, waited: 41, room: "Exam 3" },
  ];
  for (const [i, p] of present.entries()) {
    const hour = (nowHour - 1 + i + 24) % 24;
    const startsAt = at(today, hour, 30);
    await db.appointment.create({
      data: {
        ...base,
        patientId: patients[next++]!.id,
        startsAt,
        endsAt: new Date(+startsAt + 30 * 60_000),
        status: p.status,
        room: p.room ?? null,
        ticket: i + 1,
        arrivedAt: new Date(Date.now() - p.waited * 60_000),
        transitions: { create: [{ toStatus: "BOOKED", byId: createdById }, { fromStatus: "BOOKED", toStatus: "ARRIVED", byId: createdById }] },
      },
    });
  }
  // The coming week, during opening hours.
  for (let day = 1; day <= 6; day++) {
    for (const hour of [9, 11, 14, 16]) {
      const startsAt = at(addDays(today, day), hour, 0);
      const kind = (day + hour) % 3;
      await db.appointment.create({ data: { ...base, appointmentTypeId: types[kind]!.id, patientId: patients[next++ % patients.length]!.id, startsAt, endsAt: new Date(+startsAt + [45, 30, 60][kind]! * 60_000), transitions: { create: { toStatus: "BOOKED", byId: createdById } } } });
    }
  }
}

export const demoSignIns = () => ROLES.map((role) => ({ role, email: `${role === "RECEPTIONIST" ? "reception" : role.toLowerCase()}@${DEMO_DOMAIN}`, password: DEMO_PASSWORD }));

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = Date.now();
  const { created } = await seedDemo();
  console.log(created ? `Seeded the demo clinic in ${((Date.now() - started) / 1000).toFixed(1)} s.` : "Demo clinic already present; nothing changed.");
  await db.$disconnect();
  // Importing services opens the shared Redis connection; nothing else is pending.
  process.exit(0);
}
