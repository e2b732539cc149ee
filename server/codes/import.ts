/**
 * Loads the ICD-10-CM code set (data/code-sets/icd10cm.csv, public domain, CMS/NCHS) into
 * `icd10cm_code`, LOINC (data/code-sets/loinc-common.csv + loinc-vitals.csv) into `loinc_code`, and
 * RxNorm drugs with drug classes (rxnorm-common.csv, drug-allergy-classes.csv) into `rxnorm_drug`
 * and `drug_class_member`.
 *
 * Deliberately standalone: it talks to PostgreSQL through a short-lived `pg` client and imports
 * nothing from the server (no env validation, no Prisma client), so the integration-test global
 * setup, the demo seed and `scripts/import-codes.ts` can all call it with just a database URL.
 *
 * Cheap to call every time: when the table already holds as many rows as the file has records, it
 * returns `{ skipped: true }` after one `count(*)` and a quote-aware scan of the file (a few ms);
 * the full CSV parse (~0.4 s) only happens when there is something to load.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { dottedCode, ICD10_CODE } from "./format.ts";

export const ICD10_CSV_PATH: string = fileURLToPath(new URL("../../data/code-sets/icd10cm.csv", import.meta.url));
const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/carelane";
const HEADER = ["code", "code_dotted", "description"] as const;
const BATCH_SIZE = 5_000;
/** Any constant works; it only has to be the same for every caller, so concurrent imports queue. */
const IMPORT_LOCK_KEY = 7_410_010;

export interface Icd10Row {
  code: string;
  codeDotted: string;
  description: string;
}

export interface ImportResult {
  /** Rows that were not in the table before. */
  inserted: number;
  /** Existing rows whose dotted form or description changed. Unchanged rows are not rewritten. */
  updated: number;
  /** True when the table already had the file's row count and nothing was read or written. */
  skipped: boolean;
}

export interface ImportOptions {
  /** Another CSV with the same three columns (tests use small fixtures). */
  file?: string;
  /** Upsert even when the row counts already match (e.g. after a same-size description fix). */
  force?: boolean;
}

/**
 * Counts CSV records (excluding the header) without parsing fields: line breaks inside quoted
 * fields do not end a record, and blank lines are not records. Escaped quotes ("") toggle twice and
 * cancel out, so tracking one bit is enough. This is what makes the "already loaded" check cheap
 * (~30 ms for the full file, against ~400 ms for a real parse). It scans UTF-8 bytes: the three
 * characters that matter are ASCII, and UTF-8 never reuses ASCII byte values inside a multi-byte
 * character, so no decoding is needed.
 */
export function countCsvRecords(bytes: Uint8Array): number {
  let records = 0;
  let inQuotes = false;
  let lineHasContent = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 34 /* " */) {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (c === 10 /* \n */ && !inQuotes) {
      if (lineHasContent) records++;
      lineHasContent = false;
    } else if (c !== 13 /* \r */) {
      lineHasContent = true;
    }
  }
  if (lineHasContent) records++;
  return Math.max(0, records - 1);
}

/** Parses and checks the whole file; throws naming the line of the first bad record. */
export function parseIcd10Csv(text: string | Uint8Array): Icd10Row[] {
  const records = parse(text, { skip_empty_lines: true, bom: true }) as string[][];
  const header = records[0];
  if (!header || header.join(",") !== HEADER.join(",")) {
    throw new Error(`ICD-10 CSV: expected the header "${HEADER.join(",")}", found "${header?.join(",") ?? ""}"`);
  }
  const seen = new Set<string>();
  const rows: Icd10Row[] = [];
  for (let i = 1; i < records.length; i++) {
    const [code = "", codeDotted = "", description = ""] = records[i]!;
    const where = `ICD-10 CSV record ${i + 1}`;
    if (records[i]!.length !== 3) throw new Error(`${where}: expected 3 fields, found ${records[i]!.length}`);
    if (!ICD10_CODE.test(code)) throw new Error(`${where}: "${code}" is not an ICD-10-CM code`);
    if (codeDotted !== dottedCode(code)) throw new Error(`${where}: dotted form "${codeDotted}" does not match ${code}`);
    if (description.trim() === "") throw new Error(`${where}: ${code} has no description`);
    if (seen.has(code)) throw new Error(`${where}: ${code} appears twice`);
    seen.add(code);
    rows.push({ code, codeDotted, description });
  }
  return rows;
}

/**
 * One statement per batch: three arrays, unnested into rows. An existing code is rewritten only
 * when something changed, so re-running over a loaded table writes (and bloats) nothing.
 * `xmax = 0` is PostgreSQL's tell for a freshly inserted row (an updated row carries the xmax of
 * the updating transaction); it lets one round trip report inserted and updated separately.
 */
const UPSERT = `
  WITH written AS (
    INSERT INTO icd10cm_code (code, code_dotted, description)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
    ON CONFLICT (code) DO UPDATE
      SET code_dotted = EXCLUDED.code_dotted, description = EXCLUDED.description
      WHERE (icd10cm_code.code_dotted, icd10cm_code.description) IS DISTINCT FROM (EXCLUDED.code_dotted, EXCLUDED.description)
    RETURNING (xmax = 0) AS fresh
  )
  SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM written`;

/**
 * The typo-tolerant search reads a materialized list of description words (icd10-search.sql).
 * Checked by name so an import still works on a database that predates that migration.
 */
async function refreshWordList(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('icd10cm_word') IS NOT NULL AS present");
  if (rows[0]!.present) await client.query("REFRESH MATERIALIZED VIEW icd10cm_word");
}

/**
 * Loads the code set into the database at `databaseUrl` (default: DATABASE_URL). Idempotent and
 * safe to run concurrently (parallel test workers): writers queue on an advisory lock and re-check,
 * so the second one skips. All batches commit together, so readers never see half a code set.
 *
 * Codes that disappear from a newer file are kept, not deleted: past conditions reference them,
 * and a historical diagnosis stays valid as recorded.
 */
export async function importIcd10(databaseUrl?: string, options: ImportOptions = {}): Promise<ImportResult> {
  const bytes = await readFile(options.file ?? ICD10_CSV_PATH);
  return loadCodeSet(databaseUrl, IMPORT_LOCK_KEY, countCsvRecords(bytes), options.force, (c) => countRows(c, "icd10cm_code"), async (client) => {
    // Parsed only now, so callers that end up skipping never pay for it.
    const rows = parseIcd10Csv(bytes);
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < rows.length; start += BATCH_SIZE) {
      const batch = rows.slice(start, start + BATCH_SIZE);
      const { rows: result } = await client.query<{ inserted: number; updated: number }>(UPSERT, [
        batch.map((r) => r.code),
        batch.map((r) => r.codeDotted),
        batch.map((r) => r.description),
      ]);
      inserted += result[0]!.inserted;
      updated += result[0]!.updated;
    }
    if (inserted + updated > 0) await refreshWordList(client);
    return { inserted, updated };
  });
}

// ------------------------------------------------------------------ LOINC
//
// This material contains content from LOINC® (http://loinc.org). LOINC is copyright © Regenstrief
// Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is
// available at no cost under the license at http://loinc.org/license. LOINC® is a registered United
// States trademark of Regenstrief Institute, Inc. (Full notice: data/code-sets/README.md.)

export const LOINC_COMMON_CSV_PATH: string = fileURLToPath(new URL("../../data/code-sets/loinc-common.csv", import.meta.url));
export const LOINC_VITALS_CSV_PATH: string = fileURLToPath(new URL("../../data/code-sets/loinc-vitals.csv", import.meta.url));
const LOINC_COMMON_HEADER = ["loinc_num", "long_common_name", "component", "system", "unit", "loinc_class", "top2000_rank"] as const;
const LOINC_VITALS_HEADER = ["loinc_num", "long_common_name", "component", "system", "unit", "name_source"] as const;
const LOINC_CODE = /^\d{1,7}-\d$/;
const LOINC_LOCK_KEY = 7_410_011;

export interface LoincRow {
  code: string;
  longCommonName: string;
  component: string;
  system: string | null;
  exampleUnit: string | null;
  loincClass: string | null;
  top2000Rank: number | null;
  vitalSign: boolean;
}

export interface LoincImportOptions {
  /** Other CSVs with the same columns (tests use small fixtures). */
  commonFile?: string;
  vitalsFile?: string;
  /** Upsert even when the row counts already match. */
  force?: boolean;
}

/** Parses a CSV whose first record must be `header`; every record must have as many fields. */
function parseWithHeader(text: string | Uint8Array, header: readonly string[], label: string): string[][] {
  const records = parse(text, { skip_empty_lines: true, bom: true }) as string[][];
  const found = records[0];
  if (!found || found.join(",") !== header.join(",")) {
    throw new Error(`${label}: expected the header "${header.join(",")}", found "${found?.join(",") ?? ""}"`);
  }
  records.slice(1).forEach((r, i) => {
    if (r.length !== header.length) throw new Error(`${label} record ${i + 2}: expected ${header.length} fields, found ${r.length}`);
  });
  return records.slice(1);
}

function parseLoincFile(text: string | Uint8Array, header: readonly string[], label: string): string[][] {
  const records = parseWithHeader(text, header, label);
  records.forEach(([code = "", longCommonName = "", component = ""], i) => {
    const where = `${label} record ${i + 2}`;
    if (!LOINC_CODE.test(code)) throw new Error(`${where}: "${code}" is not a LOINC code`);
    if (longCommonName.trim() === "" || component.trim() === "") throw new Error(`${where}: ${code} has no name or component`);
  });
  return records;
}

const orNull = (value: string | undefined): string | null => (value && value.trim() !== "" ? value : null);

/**
 * Parses both files into one list: the common-labs file first, then the vital signs. A code in both
 * (body weight, temperature, SpO2) keeps its lab-list class and rank and is marked as a vital sign.
 */
export function parseLoincCsvs(common: string | Uint8Array, vitals: string | Uint8Array): LoincRow[] {
  const byCode = new Map<string, LoincRow>();
  parseLoincFile(common, LOINC_COMMON_HEADER, "LOINC common CSV").forEach((r, i) => {
    const [code, longCommonName, component, system, unit, loincClass, rank] = r as [string, string, string, string, string, string, string];
    // The source list repeats a few codes; the README says the first (lowest rank) is kept, so a repeat here is a bad file.
    if (byCode.has(code)) throw new Error(`LOINC common CSV record ${i + 2}: ${code} appears twice`);
    const top2000Rank = rank.trim() === "" ? null : Number(rank);
    if (top2000Rank !== null && !Number.isInteger(top2000Rank)) throw new Error(`LOINC common CSV record ${i + 2}: rank "${rank}" is not a whole number`);
    byCode.set(code, { code, longCommonName, component, system: orNull(system), exampleUnit: orNull(unit), loincClass: orNull(loincClass), top2000Rank, vitalSign: false });
  });
  const vitalCodes = new Set<string>();
  parseLoincFile(vitals, LOINC_VITALS_HEADER, "LOINC vitals CSV").forEach((r, i) => {
    const [code, longCommonName, component, system, unit] = r as [string, string, string, string, string];
    if (vitalCodes.has(code)) throw new Error(`LOINC vitals CSV record ${i + 2}: ${code} appears twice`);
    vitalCodes.add(code);
    const existing = byCode.get(code);
    if (existing) existing.vitalSign = true;
    else byCode.set(code, { code, longCommonName, component, system: orNull(system), exampleUnit: orNull(unit), loincClass: null, top2000Rank: null, vitalSign: true });
  });
  return [...byCode.values()];
}

const LOINC_UPSERT = `
  WITH written AS (
    INSERT INTO loinc_code (code, long_common_name, component, system, example_unit, loinc_class, top2000_rank, vital_sign)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::boolean[])
    ON CONFLICT (code) DO UPDATE
      SET long_common_name = EXCLUDED.long_common_name, component = EXCLUDED.component, system = EXCLUDED.system,
          example_unit = EXCLUDED.example_unit, loinc_class = EXCLUDED.loinc_class, top2000_rank = EXCLUDED.top2000_rank,
          vital_sign = EXCLUDED.vital_sign
      WHERE (loinc_code.long_common_name, loinc_code.component, loinc_code.system, loinc_code.example_unit,
             loinc_code.loinc_class, loinc_code.top2000_rank, loinc_code.vital_sign)
        IS DISTINCT FROM (EXCLUDED.long_common_name, EXCLUDED.component, EXCLUDED.system, EXCLUDED.example_unit,
             EXCLUDED.loinc_class, EXCLUDED.top2000_rank, EXCLUDED.vital_sign)
    RETURNING (xmax = 0) AS fresh
  )
  SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM written`;

/**
 * The shared shape of every code-set import: skip when `count` already equals `expected` (one
 * query), otherwise take the set's advisory lock, re-check (a concurrent caller may have just
 * finished), and run `write` in the same transaction, so readers never see half a set.
 */
async function loadCodeSet(
  databaseUrl: string | undefined,
  lockKey: number,
  expected: number,
  force: boolean | undefined,
  count: (client: pg.Client) => Promise<number>,
  write: (client: pg.Client) => Promise<{ inserted: number; updated: number }>,
): Promise<ImportResult> {
  const client = new pg.Client({ connectionString: databaseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL });
  await client.connect();
  try {
    if (!force && (await count(client)) === expected) return { inserted: 0, updated: 0, skipped: true };
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [lockKey]);
      if (!force && (await count(client)) === expected) {
        await client.query("COMMIT");
        return { inserted: 0, updated: 0, skipped: true };
      }
      const written = await write(client);
      await client.query("COMMIT");
      return { ...written, skipped: false };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function countRows(client: pg.Client, table: "icd10cm_code" | "loinc_code" | "rxnorm_drug" | "drug_class_member"): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/**
 * Loads LOINC into `loinc_code` at `databaseUrl` (default: DATABASE_URL), the same way as
 * importIcd10: idempotent (skips when the table holds as many codes as the files), safe to run
 * concurrently (advisory lock, re-check), all-or-nothing, and codes missing from a newer file are
 * kept (orders and results reference them). The files are small (~2,200 codes), so they are
 * always parsed; that is a few milliseconds.
 */
export async function importLoinc(databaseUrl?: string, options: LoincImportOptions = {}): Promise<ImportResult> {
  const [common, vitals] = await Promise.all([
    readFile(options.commonFile ?? LOINC_COMMON_CSV_PATH),
    readFile(options.vitalsFile ?? LOINC_VITALS_CSV_PATH),
  ]);
  const rows = parseLoincCsvs(common, vitals);
  return loadCodeSet(databaseUrl, LOINC_LOCK_KEY, rows.length, options.force, (c) => countRows(c, "loinc_code"), async (client) => {
    const { rows: result } = await client.query<{ inserted: number; updated: number }>(LOINC_UPSERT, [
      rows.map((r) => r.code),
      rows.map((r) => r.longCommonName),
      rows.map((r) => r.component),
      rows.map((r) => r.system),
      rows.map((r) => r.exampleUnit),
      rows.map((r) => r.loincClass),
      rows.map((r) => r.top2000Rank),
      rows.map((r) => r.vitalSign),
    ]);
    return result[0]!;
  });
}

// ------------------------------------------------------------------ RxNorm and drug classes
//
// RxNorm names and RxCUIs are produced by the National Library of Medicine (NLM); NLM is not
// responsible for this product and does not endorse it. (data/code-sets/README.md has the sources.)

export const RXNORM_CSV_PATH: string = fileURLToPath(new URL("../../data/code-sets/rxnorm-common.csv", import.meta.url));
export const DRUG_CLASSES_CSV_PATH: string = fileURLToPath(new URL("../../data/code-sets/drug-allergy-classes.csv", import.meta.url));
const RXNORM_HEADER = ["rxcui", "name", "ingredient", "strength", "dose_form", "tty", "category", "dea_schedule", "quantity_factor", "vsac_value_sets", "source"] as const;
const DRUG_CLASSES_HEADER = ["class", "ingredient", "rxcui", "note"] as const;
const RXCUI = /^\d{1,10}$/;
const DRUGS_LOCK_KEY = 7_410_012;

export interface RxnormRow {
  rxcui: string;
  name: string;
  ingredient: string;
  strength: string | null;
  doseForm: string;
  category: string | null;
  deaSchedule: string | null;
  quantityFactor: string | null;
}

export interface DrugClassRow {
  drugClass: string;
  ingredient: string;
  rxcui: string | null;
}

/** Parses and checks both files; throws naming the record of the first problem. */
export function parseDrugCsvs(rxnorm: string | Uint8Array, classes: string | Uint8Array): { drugs: RxnormRow[]; classes: DrugClassRow[] } {
  const seen = new Set<string>();
  const drugs = parseWithHeader(rxnorm, RXNORM_HEADER, "RxNorm CSV").map((r, i) => {
    const [rxcui, name, ingredient, strength, doseForm, tty, category, deaSchedule, quantityFactor] = r as string[] as [string, string, string, string, string, string, string, string, string];
    const where = `RxNorm CSV record ${i + 2}`;
    if (!RXCUI.test(rxcui)) throw new Error(`${where}: "${rxcui}" is not an RxCUI`);
    if (seen.has(rxcui)) throw new Error(`${where}: ${rxcui} appears twice`);
    seen.add(rxcui);
    if (tty !== "SCD") throw new Error(`${where}: ${rxcui} has term type "${tty}", expected SCD`);
    if (!name.trim() || !ingredient.trim() || !doseForm.trim()) throw new Error(`${where}: ${rxcui} lacks a name, ingredient or dose form`);
    return { rxcui, name, ingredient, strength: orNull(strength), doseForm, category: orNull(category), deaSchedule: orNull(deaSchedule), quantityFactor: orNull(quantityFactor) };
  });
  const members = new Set<string>();
  const classRows = parseWithHeader(classes, DRUG_CLASSES_HEADER, "Drug classes CSV").map((r, i) => {
    const [drugClass, ingredient, rxcui] = r as [string, string, string];
    const where = `Drug classes CSV record ${i + 2}`;
    if (!drugClass.trim() || !ingredient.trim()) throw new Error(`${where}: lacks a class or ingredient`);
    if (rxcui && !RXCUI.test(rxcui)) throw new Error(`${where}: "${rxcui}" is not an RxCUI`);
    const key = `${drugClass}\u0000${ingredient}`;
    if (members.has(key)) throw new Error(`${where}: ${ingredient} appears twice in ${drugClass}`);
    members.add(key);
    return { drugClass, ingredient, rxcui: orNull(rxcui) };
  });
  return { drugs, classes: classRows };
}

const RXNORM_UPSERT = `
  WITH written AS (
    INSERT INTO rxnorm_drug (rxcui, name, ingredient, strength, dose_form, category, dea_schedule, quantity_factor)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    ON CONFLICT (rxcui) DO UPDATE
      SET name = EXCLUDED.name, ingredient = EXCLUDED.ingredient, strength = EXCLUDED.strength, dose_form = EXCLUDED.dose_form,
          category = EXCLUDED.category, dea_schedule = EXCLUDED.dea_schedule, quantity_factor = EXCLUDED.quantity_factor
      WHERE (rxnorm_drug.name, rxnorm_drug.ingredient, rxnorm_drug.strength, rxnorm_drug.dose_form, rxnorm_drug.category,
             rxnorm_drug.dea_schedule, rxnorm_drug.quantity_factor)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.ingredient, EXCLUDED.strength, EXCLUDED.dose_form, EXCLUDED.category,
             EXCLUDED.dea_schedule, EXCLUDED.quantity_factor)
    RETURNING (xmax = 0) AS fresh
  )
  SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM written`;

const DRUG_CLASSES_UPSERT = `
  WITH written AS (
    INSERT INTO drug_class_member (drug_class, ingredient, rxcui)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
    ON CONFLICT (drug_class, ingredient) DO UPDATE SET rxcui = EXCLUDED.rxcui
      WHERE drug_class_member.rxcui IS DISTINCT FROM EXCLUDED.rxcui
    RETURNING (xmax = 0) AS fresh
  )
  SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM written`;

/**
 * Loads RxNorm drugs into `rxnorm_drug` and drug-class membership into `drug_class_member`, as one
 * set (the allergy check reads both): idempotent, concurrent-safe and all-or-nothing like the
 * others. Drugs missing from a newer file are kept (medication lists reference their RxCUIs).
 */
export async function importDrugs(databaseUrl?: string, options: { rxnormFile?: string; classesFile?: string; force?: boolean } = {}): Promise<ImportResult> {
  const [rxnorm, classFile] = await Promise.all([readFile(options.rxnormFile ?? RXNORM_CSV_PATH), readFile(options.classesFile ?? DRUG_CLASSES_CSV_PATH)]);
  const { drugs, classes } = parseDrugCsvs(rxnorm, classFile);
  const count = async (client: pg.Client) => ((await countRows(client, "rxnorm_drug")) === drugs.length ? countRows(client, "drug_class_member") : -1);
  return loadCodeSet(databaseUrl, DRUGS_LOCK_KEY, classes.length, options.force, count, async (client) => {
    const { rows: d } = await client.query<{ inserted: number; updated: number }>(RXNORM_UPSERT, [
      drugs.map((r) => r.rxcui),
      drugs.map((r) => r.name),
      drugs.map((r) => r.ingredient),
      drugs.map((r) => r.strength),
      drugs.map((r) => r.doseForm),
      drugs.map((r) => r.category),
      drugs.map((r) => r.deaSchedule),
      drugs.map((r) => r.quantityFactor),
    ]);
    const { rows: c } = await client.query<{ inserted: number; updated: number }>(DRUG_CLASSES_UPSERT, [
      classes.map((r) => r.drugClass),
      classes.map((r) => r.ingredient),
      classes.map((r) => r.rxcui),
    ]);
    return { inserted: d[0]!.inserted + c[0]!.inserted, updated: d[0]!.updated + c[0]!.updated };
  });
}
