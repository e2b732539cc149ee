/**
 * Charts benchmark: `npm run bench:charts` (script line: "bench:charts": "tsx bench/charts.ts").
 * Run `npm run build` first: the chart pages are measured as production serves them.
 *
 * 1. Chart page server render. One patient with 300 encounters (signed SOAP notes), 2,000 sets of
 *    vitals and 1,000 lab orders with their results, plus problems, allergies and medications, all
 *    written with INSERT … SELECT generate_series. The built server (server/index.ts, production,
 *    Remix SSR) runs as a child process; a physician signs in through Auth.js; then N sequential GETs
 *    of the chart page (`/patients/:id/chart`: every loader of the page, i.e. session, the app
 *    layout, the patient banner, the chart summary and the encounter timeline, then the React render)
 *    measure TTFB (response headers) and the whole document. The vitals (latest 200 sets + trends), labs and
 *    encounter pages are measured the same way, and the chart page again with C concurrent clients.
 *    Same run, same data:
 *    - floor: the chart page's queries sent straight through `pg` (session lookup, layout, banner +
 *      its audit insert, chart scope, the five summary reads, the timeline page), in the loaders'
 *      parallel shape, without HTTP, tRPC, Prisma or React;
 *    - naive: everything on the patient's chart loaded unpaged (Prisma, as a first version of the
 *      page would) and serialised, without HTTP or rendering.
 * 2. Collaboration (bench/lib/collab-bench.ts, when present): 20 editors co-editing one note at
 *    10 edits/s for 60 s over two web processes: propagation p50/p95/p99, lost edits, convergence.
 *
 * One combined table is printed; results go to bench/results/charts.{json,md}. The machine's load
 * is recorded before and after: other work on a shared machine shows up in every number here.
 *
 * Data: BENCH_CHARTS_DATABASE_URL (default carelane_bench_charts), dropped, created and migrated on
 * every run; Redis keys use REDIS_PREFIX carelane-bench-charts.
 *
 * Options: --requests 300 --warmup 30 --concurrency 4 --concurrent-requests 200
 *          --collab-seconds 60 --no-collab
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { BENCH_PASSWORD, databaseName } from "./lib/bench-db.ts";
import { backendPids, measureCpu } from "./lib/cpu.ts";
import { freePort, startChild, type BenchChild } from "./lib/processes.ts";
import { markdownTable, ms, runClosedLoop, summarize, type Summary } from "./lib/stats.ts";
import { HttpClient } from "../tests/helpers/http.ts";
import { applyMigrations, dropDatabase, ensureDatabase } from "../scripts/db/engine.ts";

// Server modules read their configuration when first imported: point them at the bench database
// first (hence the dynamic imports in main()).
const DATABASE_URL = process.env.BENCH_CHARTS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/carelane_bench_charts";
const REDIS_PREFIX = "carelane-bench-charts";
process.env.DATABASE_URL = DATABASE_URL;
process.env.REDIS_PREFIX = REDIS_PREFIX;
process.env.LOG_LEVEL ??= "warn";
// Cheaper argon2 for the bench users: sign-in is not what is measured.
process.env.ARGON2_MEMORY_KIB ??= "4096";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS_DIR = path.join(ROOT, "bench", "results");
const COLLAB_LIB = path.join(ROOT, "bench", "lib", "collab-bench.ts");
const EMAIL_DOMAIN = "bench-charts.carelane.test";
const TARGET_P95_MS = 150;
const SIZES = { encounters: 300, vitals: 2_000, labResults: 1_000 };

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: "string", default: "300" },
      warmup: { type: "string", default: "30" },
      concurrency: { type: "string", default: "4" },
      "concurrent-requests": { type: "string", default: "200" },
      "page-requests": { type: "string", default: "100" },
      "floor-requests": { type: "string", default: "300" },
      "naive-requests": { type: "string", default: "30" },
      "collab-seconds": { type: "string", default: "60" },
      "no-collab": { type: "boolean", default: false },
    },
  });
  const int = (name: keyof typeof values, min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return n;
  };
  return {
    requests: int("requests", 1),
    warmup: int("warmup", 0),
    concurrency: int("concurrency", 1),
    concurrentRequests: int("concurrent-requests", 1),
    pageRequests: int("page-requests", 1),
    floorRequests: int("floor-requests", 1),
    naiveRequests: int("naive-requests", 1),
    collabSeconds: int("collab-seconds", 1),
    collab: !values["no-collab"],
  };
}

const now = () => performance.now();
const load = () => os.loadavg().map((l) => Number(l.toFixed(2)));
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const trio = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;

// ------------------------------------------------------------------------------------------ data

interface Seeded {
  clinicId: string;
  patientId: string;
  physicianId: string;
  physicianEmail: string;
  latestEncounterId: string;
  counts: Record<string, number>;
}

/** Common numeric tests with plausible adult ranges; only codes the LOINC import has are used. */
const LAB_TESTS: [code: string, unit: string, low: number, high: number, mean: number, spread: number][] = [
  ["2345-7", "mg/dL", 70, 99, 104, 40],
  ["2823-3", "mmol/L", 3.5, 5.1, 4.3, 1.4],
  ["2951-2", "mmol/L", 136, 145, 140, 10],
  ["2160-0", "mg/dL", 0.6, 1.3, 1.0, 0.8],
  ["4548-4", "%", 4, 5.6, 6.1, 2.4],
  ["718-7", "g/dL", 12, 16, 13.8, 4],
  ["6690-2", "10*3/uL", 4.5, 11, 7.5, 6],
  ["777-3", "10*3/uL", 150, 400, 260, 200],
  ["3016-3", "m[IU]/L", 0.4, 4, 2.1, 3],
  ["2093-3", "mg/dL", 100, 200, 190, 80],
];

const PROBLEM_CODES = ["I10", "E119", "E785", "K219", "E039", "F411", "J45909", "M545", "E669", "E559", "G43909", "J309"];

async function seedChart(pool: pg.Pool): Promise<Seeded> {
  const { createClinic, createPatient, createScheduling } = await import("../tests/factories/index.ts");
  const fixture = await createClinic({ slug: "bench-charts", name: "Bench Charts Clinic", emailDomain: EMAIL_DOMAIN, password: BENCH_PASSWORD });
  const { provider } = await createScheduling(fixture);
  const patient = await createPatient(fixture.clinic.id, { givenName: "Benchmark", familyName: "Chartpatient", dateOfBirth: "1958-04-11", sex: "FEMALE" });
  const clinicId = fixture.clinic.id;
  const physicianId = fixture.users.PHYSICIAN.id;
  const nurseId = fixture.users.NURSE.id;
  const locationId = fixture.locations[0]!.id;
  const p = [clinicId, patient.id];
  const q = (sql: string, params: unknown[] = []) => pool.query(sql, params);

  // 300 encounters, 12 days apart; all but the latest signed (with a signed note).
  await q(
    `INSERT INTO encounter (id, clinic_id, patient_id, provider_id, location_id, type, reason_for_visit, started_at, status, signed_at, signed_by_id, created_by_id, updated_at)
     SELECT gen_random_uuid(), $1, $2, $3, $4,
            (ARRAY['OFFICE_VISIT','FOLLOW_UP','ACUTE','ANNUAL_PHYSICAL','TELEHEALTH'])[1 + i % 5]::"EncounterType",
            (ARRAY['Blood pressure follow-up','Cough','Diabetes review','Annual physical','Back pain','Medication review'])[1 + i % 6],
            now() - (i - 1) * interval '12 days' - interval '2 hours',
            CASE WHEN i = 1 THEN 'OPEN' ELSE 'SIGNED' END::"EncounterStatus",
            CASE WHEN i = 1 THEN NULL ELSE now() - (i - 1) * interval '12 days' END,
            CASE WHEN i = 1 THEN NULL ELSE $5::uuid END,
            $5, now()
       FROM generate_series(1, $6::int) i`,
    [...p, provider.id, locationId, physicianId, SIZES.encounters],
  );
  await q(
    `INSERT INTO note (id, clinic_id, patient_id, encounter_id, subjective, objective, assessment, plan, signed_at, signed_by_id, content_hash, created_by_id, updated_at)
     SELECT gen_random_uuid(), e.clinic_id, e.patient_id, e.id,
            repeat('Patient reports feeling generally well. Sleep and appetite unchanged. ', 6),
            repeat('Alert, oriented. Heart regular, lungs clear. No edema. ', 5),
            'Hypertension, controlled. Type 2 diabetes, stable.',
            repeat('Continue current medications. Labs before next visit. ', 3),
            e.signed_at, e.signed_by_id,
            CASE WHEN e.signed_at IS NULL THEN NULL ELSE encode(sha256(convert_to(e.id::text, 'UTF8')), 'hex') END,
            $3, now()
       FROM encounter e WHERE e.clinic_id = $1 AND e.patient_id = $2`,
    [...p, physicianId],
  );
  // 2,000 sets of vitals, about two days apart, some abnormal.
  await q(
    `INSERT INTO vitals (id, clinic_id, patient_id, taken_at, recorded_by_id, systolic_mmhg, diastolic_mmhg, heart_rate_per_min, respiratory_rate_per_min,
                         temperature_c, spo2_percent, height_cm, weight_kg, pain_score, created_by_id, updated_at)
     SELECT gen_random_uuid(), $1, $2, now() - i * interval '43 hours', $3,
            105 + (random() * 50)::int, 62 + (random() * 30)::int, 52 + (random() * 55)::int, 11 + (random() * 10)::int,
            round((36.0 + random() * 2.5)::numeric, 1), 90 + (random() * 10)::int, 165.0, round((68 + random() * 16)::numeric, 2), (random() * 8)::int,
            $3, now()
       FROM generate_series(1, $4::int) i`,
    [...p, nurseId, SIZES.vitals],
  );
  // 1,000 lab orders, each with its result; the five newest not yet acknowledged.
  const present = (await q(`SELECT code FROM loinc_code WHERE code = ANY($1::text[])`, [LAB_TESTS.map((t) => t[0])])).rows.map((r: { code: string }) => r.code);
  const tests = LAB_TESTS.filter((t) => present.includes(t[0]));
  if (!tests.length) throw new Error("none of the benchmark's LOINC codes is in loinc_code: did the LOINC import run?");
  await q(
    `WITH t(code, unit, low, high, mean, spread, n) AS (
       SELECT * FROM unnest($3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[]) WITH ORDINALITY
     ), orders AS (
       INSERT INTO lab_order (id, clinic_id, patient_id, loinc_code, ordered_by_id, ordered_at, status, created_by_id, updated_at)
       SELECT gen_random_uuid(), $1, $2, t.code, $9, now() - i * interval '86 hours' - interval '1 day',
              CASE WHEN i <= 5 THEN 'RESULTED' ELSE 'ACKNOWLEDGED' END::"LabOrderStatus", $9, now()
         FROM generate_series(1, $10::int) i JOIN t ON t.n = 1 + i % (SELECT count(*) FROM t)
       RETURNING id, loinc_code, ordered_at, status
     ), v AS (
       SELECT o.*, t.unit, t.low, t.high, round(t.mean + t.spread * (random() - 0.5)::numeric, 2) AS value FROM orders o JOIN t ON t.code = o.loinc_code
     )
     INSERT INTO lab_result (id, clinic_id, patient_id, lab_order_id, loinc_code, value_numeric, unit, reference_low, reference_high, abnormal_flag,
                             resulted_at, acknowledged_by_id, acknowledged_at, created_by_id, updated_at)
     SELECT gen_random_uuid(), $1, $2, v.id, v.loinc_code, v.value, v.unit, v.low, v.high,
            CASE WHEN v.value < v.low THEN 'L' WHEN v.value > v.high THEN 'H' ELSE 'N' END::"AbnormalFlag",
            v.ordered_at + interval '20 hours',
            CASE WHEN v.status = 'ACKNOWLEDGED' THEN $9::uuid END,
            CASE WHEN v.status = 'ACKNOWLEDGED' THEN v.ordered_at + interval '2 days' END,
            $9, now()
       FROM v`,
    [...p, tests.map((t) => t[0]), tests.map((t) => t[1]), tests.map((t) => t[2]), tests.map((t) => t[3]), tests.map((t) => t[4]), tests.map((t) => t[5]), physicianId, SIZES.labResults],
  );
  // The lists: problems (8 active, the rest resolved), allergies, medications.
  await q(
    `INSERT INTO problem (id, clinic_id, patient_id, icd10_code, description, onset_date, status, resolved_at, created_by_id, updated_at)
     SELECT gen_random_uuid(), $1, $2, c.code, c.description, date '2012-01-01' + (n * 180)::int,
            CASE WHEN n <= 8 THEN 'ACTIVE' ELSE 'RESOLVED' END::"ProblemStatus",
            CASE WHEN n <= 8 THEN NULL ELSE date '2012-01-01' + (n * 180 + 90)::int END, $4, now()
       FROM (SELECT code, description, row_number() OVER (ORDER BY code) AS n FROM icd10cm_code WHERE code = ANY($3::text[])) c`,
    [...p, PROBLEM_CODES, physicianId],
  );
  await q(
    `INSERT INTO allergy (id, clinic_id, patient_id, substance, category, reaction, severity, status, created_by_id, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'Penicillin', 'DRUG', 'Hives', 'MODERATE', 'ACTIVE', $3, now()),
            (gen_random_uuid(), $1, $2, 'Peanuts', 'FOOD', 'Anaphylaxis', 'LIFE_THREATENING', 'ACTIVE', $3, now()),
            (gen_random_uuid(), $1, $2, 'Latex', 'ENVIRONMENTAL', 'Rash', 'MILD', 'INACTIVE', $3, now())`,
    [...p, nurseId],
  );
  await q(`UPDATE patient SET allergy_status = 'HAS_ALLERGIES', allergy_status_at = now(), allergy_status_by_id = $2 WHERE id = $1`, [patient.id, nurseId]);
  await q(
    `INSERT INTO medication_statement (id, clinic_id, patient_id, drug_name, dose, route, frequency, start_date, stop_date, status, created_by_id, updated_at)
     SELECT gen_random_uuid(), $1, $2, m.name, m.dose, 'oral', m.freq, date '2015-03-01' + m.n * 200, CASE WHEN m.n > 6 THEN date '2015-03-01' + m.n * 200 + 120 END,
            CASE WHEN m.n > 6 THEN 'STOPPED' ELSE 'ACTIVE' END::"MedicationStatus", $3, now()
       FROM (VALUES (1, 'Lisinopril', '20 mg', 'once daily'), (2, 'Metformin', '1000 mg', 'twice daily'), (3, 'Atorvastatin', '40 mg', 'at bedtime'),
                    (4, 'Levothyroxine', '75 mcg', 'once daily'), (5, 'Omeprazole', '20 mg', 'once daily'), (6, 'Sertraline', '50 mg', 'once daily'),
                    (7, 'Amoxicillin', '500 mg', 'three times daily'), (8, 'Prednisone', '20 mg', 'once daily')) AS m(n, name, dose, freq)`,
    [...p, physicianId],
  );
  await q("ANALYZE");

  const counts = (await q(
    `SELECT (SELECT count(*) FROM encounter WHERE patient_id = $1)::int AS encounters, (SELECT count(*) FROM note WHERE patient_id = $1)::int AS notes,
            (SELECT count(*) FROM vitals WHERE patient_id = $1)::int AS vitals, (SELECT count(*) FROM lab_order WHERE patient_id = $1)::int AS "labOrders",
            (SELECT count(*) FROM lab_result WHERE patient_id = $1)::int AS "labResults", (SELECT count(*) FROM problem WHERE patient_id = $1)::int AS problems,
            (SELECT count(*) FROM allergy WHERE patient_id = $1)::int AS allergies, (SELECT count(*) FROM medication_statement WHERE patient_id = $1)::int AS medications`,
    [patient.id],
  )).rows[0] as Record<string, number>;
  const latest = (await q(`SELECT id FROM encounter WHERE patient_id = $1 ORDER BY started_at DESC LIMIT 1`, [patient.id])).rows[0] as { id: string };
  return { clinicId, patientId: patient.id, physicianId, physicianEmail: fixture.users.PHYSICIAN.email, latestEncounterId: latest.id, counts };
}

// ------------------------------------------------------------------------------------------ HTTP

interface PageSample {
  ttfb: number;
  total: number;
  bytes: number;
}

/** One document GET as a browser makes it (gzip accepted); TTFB = response headers received. */
async function getPage(client: HttpClient, url: string): Promise<PageSample> {
  const started = now();
  const response = await client.fetch(url, { headers: { accept: "text/html", "accept-encoding": "gzip" } });
  const ttfb = now() - started;
  const body = await response.text();
  const total = now() - started;
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
  return { ttfb, total, bytes: body.length };
}

interface PageResult {
  label: string;
  path: string;
  concurrency: number;
  ttfb: Summary;
  total: Summary;
  htmlBytes: number;
  requestsPerSecond: number;
  /** CPU used per request by the web process and by PostgreSQL: what a page costs, whatever else the machine does */
  cpuMsPerRequest: { web: number; postgres: number };
}

interface Processes {
  webPid: number;
  pool: pg.Pool;
}

async function measurePage(clients: HttpClient[], procs: Processes, label: string, url: string, requests: number, concurrency: number, warmup: number): Promise<PageResult> {
  for (let i = 0; i < warmup; i++) await getPage(clients[i % clients.length]!, url);
  const samples: PageSample[] = [];
  const stopCpu = await measureCpu({ web: () => [procs.webPid], postgres: () => backendPids(procs.pool) });
  const started = now();
  await runClosedLoop(requests, concurrency, async (_i, worker) => {
    samples.push(await getPage(clients[worker % clients.length]!, url));
  });
  const seconds = (now() - started) / 1000;
  const cpu = await stopCpu();
  return {
    cpuMsPerRequest: { web: cpu.web! / requests, postgres: cpu.postgres! / requests },
    label,
    path: url,
    concurrency,
    ttfb: summarize(samples.map((s) => s.ttfb)),
    total: summarize(samples.map((s) => s.total)),
    htmlBytes: samples[0]?.bytes ?? 0,
    requestsPerSecond: requests / seconds,
  };
}

// ------------------------------------------------------------------------------------------ floor and naive

/**
 * The chart page's reads as plain SQL, in the loaders' shape: the session first (every request),
 * then the layout, the banner (with its audit row), and the chart summary and timeline (each after
 * its own chart-scope query), in parallel.
 */
async function floorOnce(pool: pg.Pool, s: Seeded, sessionId: string): Promise<void> {
  await pool.query(
    `SELECT s.id, s.last_seen_at, s.expires_at, s.revoked_at, u.id AS user_id, u.clinic_id, u.email, u.name, u.role, u.active
       FROM session s JOIN app_user u ON u.id = s.user_id WHERE s.id = $1`,
    [sessionId],
  );
  const scope = () =>
    pool.query(
      `WITH RECURSIVE up AS (SELECT id, merged_into_id, 0 AS depth FROM patient WHERE id = $1 AND clinic_id = $2
         UNION ALL SELECT p.id, p.merged_into_id, up.depth + 1 FROM patient p JOIN up ON p.id = up.merged_into_id WHERE up.depth < 10 AND p.clinic_id = $2),
       root AS (SELECT id FROM up WHERE merged_into_id IS NULL LIMIT 1),
       down AS (SELECT id, 0 AS depth FROM root UNION ALL SELECT p.id, down.depth + 1 FROM patient p JOIN down ON p.merged_into_id = down.id WHERE down.depth < 10)
       SELECT r.id AS root_id, (SELECT array_agg(id) FROM down) AS ids, p.allergy_status::text FROM root r JOIN patient p ON p.id = r.id`,
      [s.patientId, s.clinicId],
    );
  const ids = [s.patientId];
  await Promise.all([
    pool.query(`SELECT c.id, c.name, l.id AS location_id, l.name AS location_name FROM clinic c LEFT JOIN location l ON l.clinic_id = c.id WHERE c.id = $1 ORDER BY l.name`, [s.clinicId]),
    (async () => {
      await pool.query(
        `SELECT id, mrn, given_name, family_name, preferred_name, date_of_birth, deceased_on, sex, pronouns, status, alerts, allergy_status FROM patient WHERE id = $1 AND clinic_id = $2`,
        [s.patientId, s.clinicId],
      );
      await pool.query(
        `SELECT a.substance FROM allergy a JOIN patient p ON p.id = a.patient_id WHERE a.status = 'ACTIVE' AND (p.id = $1 OR p.merged_into_id = $1) ORDER BY a.created_at LIMIT 20`,
        [s.patientId],
      );
      await pool.query(
        `INSERT INTO audit_event (clinic_id, user_id, role, session_id, action, resource_type, resource_id, patient_id, outcome) VALUES ($1, $2, 'PHYSICIAN', $3, 'patients.banner', 'Patient', $4, $5, 'SUCCESS')`,
        [s.clinicId, s.physicianId, sessionId, s.patientId, s.patientId],
      );
    })(),
    (async () => {
      await scope();
      await Promise.all([
        pool.query(`SELECT id, substance, category, severity, reaction FROM allergy WHERE patient_id = ANY($1::uuid[]) AND status = 'ACTIVE' ORDER BY created_at DESC LIMIT 50`, [ids]),
        pool.query(`SELECT id, icd10_code, description, onset_date FROM problem WHERE patient_id = ANY($1::uuid[]) AND status = 'ACTIVE' AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 50`, [ids]),
        pool.query(
          `SELECT id, drug_name, dose, route, frequency FROM medication_statement WHERE patient_id = ANY($1::uuid[]) AND status = 'ACTIVE' AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 50`,
          [ids],
        ),
        pool.query(`SELECT * FROM vitals WHERE patient_id = ANY($1::uuid[]) ORDER BY taken_at DESC, id DESC LIMIT 1`, [ids]),
        pool.query(`SELECT count(*) FROM lab_result WHERE patient_id = ANY($1::uuid[]) AND acknowledged_at IS NULL`, [ids]),
      ]);
    })(),
    (async () => {
      await scope();
      const page = await pool.query(
        `SELECT e.id, e.patient_id, e.appointment_id, e.type, e.reason_for_visit, e.started_at, e.status, e.signed_at, e.signed_by_id, e.version,
                pr.id AS provider_id, u.name AS provider_name, l.id AS location_id, l.name AS location_name,
                (SELECT n.id FROM note n WHERE n.encounter_id = e.id ORDER BY n.created_at LIMIT 1) AS note_id
           FROM encounter e JOIN provider pr ON pr.id = e.provider_id JOIN app_user u ON u.id = pr.user_id LEFT JOIN location l ON l.id = e.location_id
          WHERE e.patient_id = ANY($1::uuid[]) ORDER BY e.started_at DESC, e.id DESC LIMIT 21`,
        [ids],
      );
      const signers = [...new Set(page.rows.map((r: { signed_by_id: string | null }) => r.signed_by_id).filter(Boolean))];
      await pool.query(`SELECT id, name FROM app_user WHERE id = ANY($1::uuid[])`, [signers]);
    })(),
  ]);
}

/** The first version of a chart page: everything on the patient, unpaged, then serialised. */
async function naiveOnce(patientId: string): Promise<number> {
  const { db } = await import("../server/db.ts");
  const [patient, encounters, vitals, labOrders, problems, allergies, medications] = await Promise.all([
    db.patient.findUniqueOrThrow({ where: { id: patientId } }),
    db.encounter.findMany({ where: { patientId }, include: { notes: { include: { addenda: true } }, provider: { include: { user: { select: { name: true } } } }, location: true }, orderBy: { startedAt: "desc" } }),
    db.vitals.findMany({ where: { patientId }, orderBy: { takenAt: "desc" } }),
    db.labOrder.findMany({ where: { patientId }, include: { results: true, loinc: true }, orderBy: { orderedAt: "desc" } }),
    db.problem.findMany({ where: { patientId } }),
    db.allergy.findMany({ where: { patientId } }),
    db.medicationStatement.findMany({ where: { patientId } }),
  ]);
  const json = JSON.stringify({ patient, encounters, vitals, labOrders, problems, allergies, medications }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return json.length;
}

// ------------------------------------------------------------------------------------------ collab

/** What this file uses of bench/lib/collab-bench.ts (the collaboration helper's; optional). */
interface CollabRun {
  label: string;
  editors: number;
  processes: number;
  editsPerSecondActual: number;
  edits: number;
  deliveriesApplied: number;
  deliveriesExpected: number;
  lostEdits: number;
  lostDeliveries: number;
  converged: boolean;
  storedMatches: boolean | null;
  latencyMs: Summary;
}
interface CollabResult {
  ours: CollabRun;
  floor: CollabRun | null;
  target: { p95Ms: number; lost: number };
  pass: boolean;
  machine: { cpus: number; loadAverage: number[] };
}
interface CollabModule {
  runCollabBench(options: { durationSeconds?: number; log?: (line: string) => void }): Promise<CollabResult>;
}

// ------------------------------------------------------------------------------------------ main

async function main() {
  const opts = options();
  if (!databaseName(DATABASE_URL).includes("bench")) throw new Error(`refusing to drop ${databaseName(DATABASE_URL)}: its name must contain "bench"`);
  if (!existsSync(path.join(ROOT, "build", "server", "index.js"))) throw new Error("no build: run `npm run build` first (the chart pages are measured as production serves them)");
  const machineBefore = { cpus: os.cpus().length, loadAverage: load(), freeMemMiB: Math.round(os.freemem() / 2 ** 20) };
  const startedAt = new Date().toISOString();
  log(`load average before: ${machineBefore.loadAverage.join(" / ")} on ${machineBefore.cpus} cores`);

  log(`recreating ${databaseName(DATABASE_URL)}`);
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await applyMigrations(DATABASE_URL, { warn: () => {} });
  const { importDrugs, importIcd10, importLoinc } = await import("../server/codes/import.ts");
  log("importing ICD-10-CM and LOINC");
  await Promise.all([importIcd10(DATABASE_URL), importLoinc(DATABASE_URL), importDrugs(DATABASE_URL)]);

  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  let web: BenchChild | undefined;
  try {
    log(`seeding one patient: ${SIZES.encounters} encounters, ${SIZES.vitals} vitals, ${SIZES.labResults} lab results`);
    const seedStarted = now();
    const seeded = await seedChart(pool);
    const seedSeconds = (now() - seedStarted) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}`);

    const port = await freePort();
    web = await startChild(
      "web",
      "server/index.ts",
      { DATABASE_URL, REDIS_PREFIX, NODE_ENV: "production", CARELANE_DEMO: "1", PORT: String(port), LOG_LEVEL: "warn", ARGON2_MEMORY_KIB: process.env.ARGON2_MEMORY_KIB! },
      "Carelane is running",
    );
    const base = `http://127.0.0.1:${port}`;
    const clients: HttpClient[] = [];
    for (let i = 0; i < Math.max(1, opts.concurrency); i++) {
      const client = new HttpClient(base);
      const { location } = await client.signIn(seeded.physicianEmail, BENCH_PASSWORD);
      if (/error/i.test(location)) throw new Error(`sign-in failed: ${location}`);
      clients.push(client);
    }
    const procs: Processes = { webPid: web.process.pid!, pool };
    const chartPath = `/patients/${seeded.patientId}/chart`;
    const first = await getPage(clients[0]!, chartPath);
    const html = await (await clients[0]!.fetch(chartPath)).text();
    for (const expected of ["Chart summary", "Encounter timeline", "Penicillin", "Lisinopril"]) {
      if (!html.includes(expected)) throw new Error(`the chart page does not show "${expected}": is the build current?`);
    }
    log(`chart page: ${first.bytes} bytes of HTML, first request ${ms(first.total)} ms`);

    const pages: PageResult[] = [];
    log(`chart page: ${opts.warmup} warm-up + ${opts.requests} sequential requests`);
    pages.push(await measurePage(clients, procs, "Chart page (summary + timeline)", chartPath, opts.requests, 1, opts.warmup));
    log(`  TTFB p50/p95/p99 ${trio(pages[0]!.ttfb)} ms; CPU/request web ${ms(pages[0]!.cpuMsPerRequest.web)} ms, PostgreSQL ${ms(pages[0]!.cpuMsPerRequest.postgres)} ms`);
    for (const [label, suffix] of [
      ["Vitals page (latest 200 sets, trends)", "/vitals"],
      ["Labs page (100 orders + results)", "/labs"],
      ["Encounter page (note)", `/encounters/${seeded.latestEncounterId}`],
    ] as const) {
      log(`${label}: ${opts.pageRequests} sequential requests`);
      pages.push(await measurePage(clients, procs, label, chartPath + suffix, opts.pageRequests, 1, 5));
      log(`  TTFB p50/p95/p99 ${trio(pages.at(-1)!.ttfb)} ms; ${(pages.at(-1)!.htmlBytes / 1024).toFixed(0)} KiB HTML; CPU/request web ${ms(pages.at(-1)!.cpuMsPerRequest.web)} ms`);
    }
    if (opts.concurrency > 1) {
      log(`chart page: ${opts.concurrentRequests} requests, ${opts.concurrency} at a time`);
      pages.push(await measurePage(clients, procs, `Chart page, ${opts.concurrency} concurrent clients`, chartPath, opts.concurrentRequests, opts.concurrency, 0));
      log(`  TTFB p50/p95/p99 ${trio(pages.at(-1)!.ttfb)} ms, ${pages.at(-1)!.requestsPerSecond.toFixed(1)} pages/s`);
    }
    await web.stop();
    web = undefined;

    // Floor: the same reads, straight SQL, over a session row that exists.
    const session = (await pool.query(`SELECT id FROM session WHERE user_id = $1 AND revoked_at IS NULL LIMIT 1`, [seeded.physicianId])).rows[0] as { id: string };
    log(`floor: ${opts.floorRequests} runs of the chart page's queries straight through pg`);
    for (let i = 0; i < 20; i++) await floorOnce(pool, seeded, session.id);
    const floorSamples = await runClosedLoop(opts.floorRequests, 1, () => floorOnce(pool, seeded, session.id));
    const floor = summarize(floorSamples);
    log(`  p50/p95/p99 ${trio(floor)} ms`);

    log(`naive: ${opts.naiveRequests} runs loading the whole chart unpaged (Prisma) and serialising it`);
    let naiveBytes = await naiveOnce(seeded.patientId);
    await naiveOnce(seeded.patientId);
    const naiveSamples = await runClosedLoop(opts.naiveRequests, 1, async () => {
      naiveBytes = await naiveOnce(seeded.patientId);
    });
    const naive = summarize(naiveSamples);
    log(`  p50/p95/p99 ${trio(naive)} ms, ${(naiveBytes / 1024).toFixed(0)} KiB of JSON`);
    const { db } = await import("../server/db.ts");
    await db.$disconnect();

    // Collaboration: the collab helper's benchmark, on this database (it makes its own clinic).
    let collab: CollabResult | null = null;
    let collabNote = "";
    if (!opts.collab) collabNote = "skipped (--no-collab)";
    else if (!existsSync(COLLAB_LIB)) collabNote = "bench/lib/collab-bench.ts is not there: not run";
    else {
      log(`collaboration: 20 editors, 10 edits/s, ${opts.collabSeconds} s`);
      // Loaded by path: the module is the collaboration work's, and optional here.
      const mod = (await import(pathToFileURL(COLLAB_LIB).href)) as CollabModule;
      collab = await mod.runCollabBench({ durationSeconds: opts.collabSeconds, log: (line) => log(`[collab] ${line}`) });
      log(`  p95 ${ms(collab.ours.latencyMs.p95)} ms, lost edits ${collab.ours.lostEdits}, converged ${collab.ours.converged}`);
    }

    const machineAfter = { loadAverage: load() };
    const chart = pages[0]!;
    const pass = chart.ttfb.p95 < TARGET_P95_MS;
    const rows: string[][] = [
      ...pages.map((p, i) => [
        p.label,
        p.concurrency > 1 ? `${p.ttfb.n} (×${p.concurrency})` : String(p.ttfb.n),
        trio(p.ttfb),
        trio(p.total),
        `${ms(p.cpuMsPerRequest.web)} + ${ms(p.cpuMsPerRequest.postgres)}`,
        i === 0 ? `p95 < ${TARGET_P95_MS} ms: ${pass ? "met" : "NOT met"}` : p.concurrency > 1 ? `${p.requestsPerSecond.toFixed(1)} pages/s` : "",
      ]),
      ["Floor: the chart page's queries, direct SQL (pg)", String(floor.n), trio(floor), "", "", `${ms(chart.ttfb.p50 / floor.p50, 1)}× floor at p50`],
      ["Naive: whole chart unpaged (Prisma) + JSON, no HTTP/render", String(naive.n), trio(naive), "", "", `${(naiveBytes / 1024).toFixed(0)} KiB JSON`],
      ...(collab
        ? [collab.ours, ...(collab.floor ? [collab.floor] : [])].map((r, i) => [
            `Note co-editing propagation: ${r.label}`,
            `${r.edits} edits, ${r.editors} editors / ${r.processes} processes`,
            trio(r.latencyMs),
            "",
            "",
            i === 0
              ? `p95 ≤ ${collab!.target.p95Ms} ms: ${r.latencyMs.p95 <= collab!.target.p95Ms ? "met" : "NOT met"}; lost edits ${r.lostEdits}, lost deliveries ${r.lostDeliveries}; identical text: ${r.converged ? (r.storedMatches === false ? "no (PostgreSQL differs)" : "yes") : "NO"}`
              : `lost ${r.lostEdits}`,
          ])
        : [["Note co-editing propagation", "-", "-", "-", "-", collabNote]]),
    ];
    const table = markdownTable(["measurement", "n", "TTFB / latency p50 / p95 / p99 ms", "whole response p50 / p95 / p99 ms", "CPU ms/request web + PostgreSQL", "target / note"], rows);
    const context =
      `${startedAt}. One patient: ${seeded.counts.encounters} encounters (signed notes), ${seeded.counts.vitals} vitals, ${seeded.counts.labResults} lab results, ` +
      `${seeded.counts.problems} problems, ${seeded.counts.allergies} allergies, ${seeded.counts.medications} medications (seeded in ${seedSeconds.toFixed(1)} s). ` +
      `Built server (NODE_ENV=production, one process), physician session, gzip accepted; chart page HTML ${(chart.htmlBytes / 1024).toFixed(0)} KiB. ` +
      `Machine: ${machineBefore.cpus} cores, load average ${machineBefore.loadAverage.join(" / ")} before and ${machineAfter.loadAverage.join(" / ")} after ` +
      `(other sessions run tests and benchmarks on this machine at the same time; the numbers carry that load).`;
    console.log(`\n${table}\n\n${context}\n`);

    await mkdir(RESULTS_DIR, { recursive: true });
    const result = {
      startedAt,
      options: opts,
      machine: { before: machineBefore, after: machineAfter },
      data: { ...seeded.counts, seedSeconds },
      target: { chartPageTtfbP95Ms: TARGET_P95_MS },
      pass,
      pages,
      floor,
      naive: { ...naive, jsonBytes: naiveBytes },
      collab: collab ?? { skipped: collabNote },
    };
    await writeFile(path.join(RESULTS_DIR, "charts.json"), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      path.join(RESULTS_DIR, "charts.md"),
      `# Charts benchmark\n\n\`npm run bench:charts\` (bench/charts.ts)\n\n${table}\n\n${context}\n\n` +
        `TTFB: from sending the request until the response headers arrive (every loader has run and React has begun streaming the document); ` +
        `whole response: until the last byte. The floor sends the same reads straight to PostgreSQL; the naive baseline loads the whole chart ` +
        `unpaged in-process (no HTTP, no rendering), so a page built on it would cost at least that much more.\n`,
    );
    log(`results written to bench/results/charts.{json,md}`);
    return pass && (!collab || collab.pass) ? 0 : 1;
  } finally {
    await web?.stop();
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
