/**
 * Loads N realistic synthetic patients into a separate benchmark database, fast.
 *
 *   npm run bench:seed -- --patients 1000000 [--reset] [--seed 20261126] [--name-words bulk|trigger]
 *
 * Target: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/carelane_bench), created
 * and migrated with the same tooling as production (scripts/db/engine.ts). One clinic ("bench"),
 * one user per role (`<role>@bench.carelane.test`, password `carelane-bench`), then the patients
 * through COPY in a single transaction. Deterministic: the same --seed gives the same rows.
 *
 * Without --reset it refuses to add patients to a bench clinic that already has some (a second
 * load would double every name and skew the benchmark); --reset drops and recreates the database.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { fakerEN_US, fakerES_MX, fakerFR, fakerDE, type Faker } from "@faker-js/faker";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { applyMigrations, dropDatabase, ensureDatabase } from "../scripts/db/engine.ts";
import { BENCH_CLINIC_SLUG, BENCH_DATABASE_URL, BENCH_PASSWORD, BENCH_ROLES, benchEmail, databaseName } from "./lib/bench-db.ts";

// ---------------------------------------------------------------------------------------------
// Realistic names. Faker's own surname list is uniform, but real surnames are very skewed (Smith
// alone is 0.8% of the US): searches for common names must return thousands of candidates, which
// is exactly what makes patient search slow. So ~10% of US-style patients take a surname from the
// 2010 Census top 50, weighted by frequency (counts per 100,000 people); the rest use faker's list.
// ---------------------------------------------------------------------------------------------
const CENSUS_TOP_SURNAMES: [string, number][] = [
  ["Smith", 828], ["Johnson", 655], ["Williams", 551], ["Brown", 487], ["Jones", 483], ["Garcia", 395],
  ["Miller", 378], ["Davis", 370], ["Rodriguez", 327], ["Martinez", 311], ["Hernandez", 305], ["Lopez", 260],
  ["Gonzalez", 256], ["Wilson", 243], ["Anderson", 238], ["Thomas", 232], ["Taylor", 230], ["Moore", 210],
  ["Jackson", 207], ["Martin", 206], ["Lee", 206], ["Perez", 201], ["Thompson", 199], ["White", 197],
  ["Harris", 182], ["Sanchez", 177], ["Clark", 158], ["Ramirez", 156], ["Lewis", 150], ["Robinson", 148],
  ["Walker", 146], ["Young", 134], ["Allen", 133], ["King", 132], ["Wright", 130], ["Scott", 125],
  ["Torres", 122], ["Nguyen", 120], ["Hill", 119], ["Flores", 117], ["Green", 117], ["Adams", 114],
  ["Nelson", 114], ["Baker", 113], ["Hall", 111], ["Rivera", 109], ["Campbell", 108], ["Mitchell", 106],
  ["Carter", 104], ["Roberts", 104],
];
const CENSUS_TOTAL = CENSUS_TOP_SURNAMES.reduce((sum, [, n]) => sum + n, 0);
/** Share of the US population carrying one of the top-50 surnames (about 9.5%). */
const CENSUS_TOP_SHARE = CENSUS_TOTAL / 100_000;

const US_STATES = ["AL", "AZ", "CA", "CO", "FL", "GA", "IL", "MA", "MD", "MI", "MN", "NC", "NJ", "NY", "OH", "OR", "PA", "TN", "TX", "VA", "WA", "WI"];

interface Options {
  patients: number;
  reset: boolean;
  seed: number;
  /** How patient_name_word gets the names' words: one INSERT after the load, or the row trigger. */
  nameWords: "bulk" | "trigger";
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      patients: { type: "string", default: "100000" },
      reset: { type: "boolean", default: false },
      seed: { type: "string", default: "20261126" },
      "name-words": { type: "string", default: "bulk" },
    },
  });
  const nameWords = values["name-words"];
  if (nameWords !== "bulk" && nameWords !== "trigger") throw new Error("--name-words must be bulk or trigger");
  const patients = Number(values.patients);
  if (!Number.isInteger(patients) || patients < 1 || patients > 8_000_000) {
    throw new Error("--patients must be a whole number between 1 and 8,000,000 (the MRN sequence holds 9M)");
  }
  return { patients, reset: values.reset ?? false, seed: Number(values.seed), nameWords };
}

/** COPY text format: tab-separated, \N for null. Our values never hold tabs, newlines or backslashes. */
const cell = (value: string | null | undefined) => (value == null ? "\\N" : value);

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

function makeRowGenerator(clinicId: string, firstMrn: number, seed: number, withCheckDigit: (d: string) => string) {
  // Every locale gets its own seed so the output depends only on --seed.
  const fakers: Faker[] = [fakerEN_US, fakerES_MX, fakerFR, fakerDE];
  fakers.forEach((f, i) => f.seed(seed + i));
  const f = fakerEN_US;
  const censusWeights = CENSUS_TOP_SURNAMES.map(([name, weight]) => ({ value: name, weight }));

  // Address pools: realistic enough for search benchmarks (addresses are not searched) and keeps
  // the generator fast (a faker call per address part per row would dominate the load time).
  const streets = Array.from({ length: 5_000 }, () => f.location.streetAddress());
  const cities = Array.from({ length: 600 }, () => [f.location.city(), f.helpers.arrayElement(US_STATES), f.location.zipCode("#####")] as const);

  const phone = () => {
    // NANP: area code and exchange never start with 0 or 1.
    const area = f.number.int({ min: 201, max: 989 });
    const exchange = f.number.int({ min: 200, max: 999 });
    const line = f.number.int({ min: 0, max: 9999 }).toString().padStart(4, "0");
    return `+1${area}${exchange}${line}`;
  };

  const start = Date.UTC(1925, 0, 1);
  const end = Date.UTC(2025, 11, 31);
  const today = new Date().toISOString();

  let previous: { id: string; given: string; family: string; dob: string; sex: string } | null = null;

  return function row(i: number): string {
    const roll = f.number.float({ min: 0, max: 1 });
    // ~10% Hispanic names (many accented: José, Hernández), ~2% French, ~1% German (Müller).
    const locale = roll < 0.1 ? fakerES_MX : roll < 0.12 ? fakerFR : roll < 0.13 ? fakerDE : fakerEN_US;
    const sexRoll = f.number.float({ min: 0, max: 1 });
    const sex = sexRoll < 0.51 ? "FEMALE" : sexRoll < 0.995 ? "MALE" : sexRoll < 0.997 ? "INTERSEX" : "UNKNOWN";
    const nameSex = sex === "FEMALE" ? "female" : "male";

    const id = f.string.uuid();
    let given = locale.person.firstName(nameSex);
    let family =
      locale === fakerEN_US && f.number.float({ min: 0, max: 1 }) < CENSUS_TOP_SHARE
        ? f.helpers.weightedArrayElement(censusWeights)
        : locale.person.lastName();
    let dob = isoDate(new Date(f.number.int({ min: start, max: end })));
    let patientSex = sex;
    const middle = f.number.float({ min: 0, max: 1 }) < 0.3 ? locale.person.middleName(nameSex) : null;
    const preferred = f.number.float({ min: 0, max: 1 }) < 0.04 ? locale.person.firstName(nameSex) : null;

    const statusRoll = f.number.float({ min: 0, max: 1 });
    let status = "ACTIVE";
    let deceasedOn: string | null = null;
    let mergedInto: string | null = null;
    if (statusRoll < 0.003 && previous) {
      // A duplicate registration of the previous patient, since merged: a tombstone that search
      // must never return, carrying the same name and birth date as its survivor.
      status = "MERGED";
      mergedInto = previous.id;
      ({ given, family, dob, sex: patientSex } = previous);
    } else if (statusRoll < 0.013) {
      status = "DECEASED";
      deceasedOn = isoDate(new Date(Math.max(Date.parse(dob) + 86_400_000, Date.parse(today) - f.number.int({ min: 0, max: 3650 }) * 86_400_000)));
    } else if (statusRoll < 0.033) {
      status = "INACTIVE";
    }

    const mobile = f.number.float({ min: 0, max: 1 }) < 0.85 ? phone() : null;
    const home = f.number.float({ min: 0, max: 1 }) < 0.25 ? phone() : null;
    const email = f.number.float({ min: 0, max: 1 }) < 0.6 ? `${given}.${family}${i % 1000}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, "") : null;
    const [city, region, postalCode] = cities[i % cities.length]!;
    const language = locale === fakerES_MX && f.number.float({ min: 0, max: 1 }) < 0.5 ? "es" : "en";

    if (status !== "MERGED") previous = { id, given, family, dob, sex: patientSex };
    const mrn = withCheckDigit(String(firstMrn + i));
    return [
      id, clinicId, mrn, given, cell(middle), family, cell(preferred), dob, patientSex,
      cell(mobile), cell(home), cell(email), streets[(i * 7) % streets.length]!, city, region, postalCode,
      language, status, cell(deceasedOn), cell(mergedInto), today,
    ].join("\t") + "\n";
  };
}

/** The row trigger of the patient_search_words migration that fills patient_name_word on insert. */
const NAME_WORD_TRIGGER = "patient_name_word_collect_insert";

const COPY_COLUMNS = [
  "id", "clinic_id", "mrn", "given_name", "middle_name", "family_name", "preferred_name", "date_of_birth", "sex",
  "phone_mobile", "phone_home", "email", "address_line1", "city", "region", "postal_code",
  "preferred_language", "status", "deceased_on", "merged_into_id", "updated_at",
];

async function ensureClinic(client: pg.Client, passwordHash: string): Promise<string> {
  const existing = await client.query<{ id: string }>("SELECT id FROM clinic WHERE slug = $1", [BENCH_CLINIC_SLUG]);
  if (existing.rows[0]) return existing.rows[0].id;
  const { rows } = await client.query<{ id: string }>(
    "INSERT INTO clinic (id, name, slug) VALUES (gen_random_uuid(), 'Carelane Benchmark Clinic', $1) RETURNING id",
    [BENCH_CLINIC_SLUG],
  );
  const clinicId = rows[0]!.id;
  await client.query("INSERT INTO location (id, clinic_id, name, rooms) VALUES (gen_random_uuid(), $1, 'Main Street', ARRAY['Exam 1','Exam 2','Exam 3'])", [clinicId]);
  for (const role of BENCH_ROLES) {
    await client.query(
      `INSERT INTO app_user (id, clinic_id, email, name, role, password_hash, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4::"Role", $5, now())`,
      [clinicId, benchEmail(role), `Bench ${role.toLowerCase()}`, role, passwordHash],
    );
  }
  return clinicId;
}

async function main() {
  const options = parseOptions();
  const url = BENCH_DATABASE_URL;
  const database = databaseName(url);
  // Server modules read DATABASE_URL at import time; point them at the bench database first.
  process.env.DATABASE_URL = url;
  const { withCheckDigit } = await import("../server/modules/patients/service.ts");
  const { hashPassword } = await import("../server/auth/password.ts");

  if (options.reset && (await dropDatabase(url))) console.log(`dropped ${database}`);
  if (await ensureDatabase(url)) console.log(`created ${database}`);
  const applied = await applyMigrations(url, { warn: (m) => console.warn(m) });
  if (applied.length) console.log(`applied ${applied.length} migration(s)`);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const clinicId = await ensureClinic(client, await hashPassword(BENCH_PASSWORD));
    const { rows: counted } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM patient WHERE clinic_id = $1", [clinicId]);
    if (counted[0]!.n > 0) {
      console.error(
        `${database} already holds ${counted[0]!.n.toLocaleString("en-US")} bench patients. ` +
          `Run again with --reset to drop and reload it (npm run bench:seed -- --patients ${options.patients} --reset).`,
      );
      process.exitCode = 1;
      return;
    }

    // MRNs come from patient_mrn_seq like every registration: reserve a block of N numbers.
    const { rows: reserved } = await client.query<{ first: string }>(
      "SELECT setval('patient_mrn_seq', nextval('patient_mrn_seq') + $1::bigint - 1) - $1::bigint + 1 AS first",
      [options.patients],
    );
    const firstMrn = Number(reserved[0]!.first);

    const started = performance.now();
    await client.query("BEGIN");
    // Building indexes once after the load is several times faster than maintaining them row by
    // row (the trigram GIN index especially). Their exact definitions are read back from the
    // catalogue and replayed, so the benchmark always runs against the migration's indexes. All in
    // one transaction: a failed load leaves the table and its indexes as they were.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i
        WHERE i.indrelid = 'patient'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    );
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    await client.query("SET LOCAL maintenance_work_mem = '1GB'");
    // patient_name_word (the typo step's word list) is kept by a row trigger on patient. Firing it
    // for every copied row is much slower than one INSERT ... SELECT DISTINCT after the load
    // (measured on 200k rows: see docs/performance.md), so it is off during the COPY, within this
    // transaction; --name-words trigger leaves it on, to compare.
    if (options.nameWords === "bulk") await client.query(`ALTER TABLE patient DISABLE TRIGGER ${NAME_WORD_TRIGGER}`);

    const next = makeRowGenerator(clinicId, firstMrn, options.seed, withCheckDigit);
    let produced = 0;
    let lastReport = performance.now();
    async function* lines() {
      const batch = 2_000;
      while (produced < options.patients) {
        let chunk = "";
        const stop = Math.min(produced + batch, options.patients);
        for (; produced < stop; produced++) chunk += next(produced);
        yield chunk;
        if (performance.now() - lastReport > 5_000) {
          lastReport = performance.now();
          const seconds = (lastReport - started) / 1000;
          console.log(`  ${produced.toLocaleString("en-US")} rows, ${Math.round(produced / seconds).toLocaleString("en-US")} rows/s`);
        }
      }
    }
    const copy = client.query(copyFrom(`COPY patient (${COPY_COLUMNS.join(", ")}) FROM STDIN`));
    await pipeline(Readable.from(lines()), copy);
    const loadedAt = performance.now();
    console.log(
      `copied ${options.patients.toLocaleString("en-US")} patients in ${((loadedAt - started) / 1000).toFixed(1)} s ` +
        `(${Math.round(options.patients / ((loadedAt - started) / 1000)).toLocaleString("en-US")} rows/s)`,
    );
    if (options.nameWords === "bulk") {
      // The same statement as the migration's backfill, for this clinic's rows.
      const words = await client.query(
        `INSERT INTO patient_name_word (word)
           SELECT DISTINCT unnest(carelane_name_words(name_search)) FROM patient WHERE clinic_id = $1
           ON CONFLICT DO NOTHING`,
        [clinicId],
      );
      await client.query(`ALTER TABLE patient ENABLE TRIGGER ${NAME_WORD_TRIGGER}`);
      const wordsAt = performance.now();
      console.log(`name word list: ${words.rowCount} new words in ${((wordsAt - loadedAt) / 1000).toFixed(1)} s`);
    }
    const wordsDoneAt = performance.now();
    for (const index of indexes) await client.query(index.def);
    await client.query("COMMIT");
    const indexedAt = performance.now();
    console.log(`rebuilt ${indexes.length} indexes in ${((indexedAt - wordsDoneAt) / 1000).toFixed(1)} s`);

    // VACUUM sets hint bits and the visibility map now rather than during the first benchmark
    // queries; ANALYZE gives the planner real statistics for the trigram and phone indexes.
    await client.query("VACUUM (ANALYZE) patient");
    const total = (performance.now() - started) / 1000;
    console.log(
      `done: ${options.patients.toLocaleString("en-US")} patients in ${total.toFixed(1)} s overall ` +
        `(${Math.round(options.patients / total).toLocaleString("en-US")} rows/s including indexes and ANALYZE)`,
    );
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
