/**
 * What every chart read and write checks, in one place:
 * - scope: the patient is in the actor's clinic (otherwise NOT_FOUND, never FORBIDDEN);
 * - merges: a chart read of a merged record follows `mergedIntoId` to the surviving record, and a
 *   survivor's chart includes the rows still filed under the records merged into it (signed notes
 *   and addenda can never be moved, so the merge leaves chart rows where they are and the reads
 *   gather them); adding to a merged record is refused, naming the MRN to open instead;
 * - the chart-open audit: once per session and patient, not once per query;
 * - versions: a stale edit is a CONFLICT naming who saved in between, with both versions;
 * - database refusals (CHECK constraints, the signed-note trigger) become field-level
 *   BAD_REQUESTs or a clear CONFLICT, never a 500.
 */
import { Prisma } from "../../generated/prisma/client.ts";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Db, type Tx } from "../../db.ts";
import { env } from "../../env.ts";
import { DomainError, notFound } from "../../errors.ts";
import { redis } from "../../redis.ts";
import { logger } from "../../logger.ts";

// ---------------------------------------------------------------- scope and merges

export interface ChartScope {
  /** the record the chart belongs to (the survivor when the requested one was merged) */
  rootId: string;
  /** rootId and every record merged into it, directly or through a chain */
  patientIds: string[];
  allergyStatus: "NOT_RECORDED" | "NO_KNOWN_ALLERGIES" | "HAS_ALLERGIES";
  allergyStatusAt: Date | null;
  allergyStatusById: string | null;
}

/**
 * One round trip: up the merge chain to the surviving record, then down to every record merged
 * into it. Both walks use indexed columns (primary key, merged_into_id) and stop at depth 10.
 */
export async function chartScope(client: Db, clinicId: string, patientId: string): Promise<ChartScope> {
  const rows = await client.$queryRaw<
    { root_id: string | null; ids: string[] | null; allergy_status: ChartScope["allergyStatus"]; allergy_status_at: Date | null; allergy_status_by_id: string | null }[]
  >`
    WITH RECURSIVE up AS (
      SELECT id, merged_into_id, 0 AS depth FROM patient WHERE id = ${patientId}::uuid AND clinic_id = ${clinicId}::uuid
      UNION ALL
      SELECT p.id, p.merged_into_id, up.depth + 1 FROM patient p JOIN up ON p.id = up.merged_into_id
       WHERE up.depth < 10 AND p.clinic_id = ${clinicId}::uuid
    ), root AS (
      SELECT id FROM up WHERE merged_into_id IS NULL LIMIT 1
    ), down AS (
      SELECT id, 0 AS depth FROM root
      UNION ALL
      SELECT p.id, down.depth + 1 FROM patient p JOIN down ON p.merged_into_id = down.id WHERE down.depth < 10
    )
    SELECT r.id AS root_id, (SELECT array_agg(id) FROM down) AS ids,
           p.allergy_status::text AS allergy_status, p.allergy_status_at, p.allergy_status_by_id
      FROM root r JOIN patient p ON p.id = r.id`;
  const row = rows[0];
  if (!row?.root_id) throw notFound("Patient");
  return {
    rootId: row.root_id,
    patientIds: row.ids ?? [row.root_id],
    allergyStatus: row.allergy_status,
    allergyStatusAt: row.allergy_status_at,
    allergyStatusById: row.allergy_status_by_id,
  };
}

/** The surviving record a row's patient belongs to now (itself unless merged). */
export async function chartRootOf(client: Db, clinicId: string, patientId: string): Promise<string> {
  return (await chartScope(client, clinicId, patientId)).rootId;
}

/**
 * The patient a new chart row is added to: in the clinic and not merged. Locks nothing; the
 * foreign key holds the row, and merges do not move chart rows.
 */
export async function writablePatient(tx: Tx, actor: ScopedActor, patientId: string): Promise<{ id: string; dateOfBirth: Date }> {
  const patient = await tx.patient.findFirst({
    where: { id: patientId, clinicId: actor.clinicId },
    select: { id: true, status: true, mergedIntoId: true, dateOfBirth: true },
  });
  if (!patient) throw notFound("Patient");
  if (patient.status === "MERGED") {
    const survivor = patient.mergedIntoId ? await tx.patient.findUnique({ where: { id: patient.mergedIntoId }, select: { mrn: true } }) : null;
    throw new DomainError(
      "BAD_REQUEST",
      `This record was merged into MRN ${survivor?.mrn ?? "another record"}; open that record to add to the chart.`,
      { patientId: ["merged into another record"] },
      { mergedIntoId: patient.mergedIntoId },
    );
  }
  return { id: patient.id, dateOfBirth: patient.dateOfBirth };
}

/**
 * Serialises writes to one section of one patient's chart until commit (a transaction advisory
 * lock): "no duplicate active problem", "no known allergies only with none active" and the
 * allergy status are checked and written without another transaction slipping in between.
 */
export async function sectionTurn(tx: Tx, section: string, patientId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`charts.${section}`}), hashtext(${patientId}::text))`;
}

// ---------------------------------------------------------------- chart-open audit

/** How long "this session has opened this chart" is remembered: a session's whole life. */
const OPEN_TTL_SECONDS = env.SESSION_MAX_HOURS * 3600;

export const chartOpenKey = (sessionId: string, patientId: string) => `${env.REDIS_PREFIX}:audit:chart-open:${sessionId}:${patientId}`;

type SetNx = { set(key: string, value: string, ex: "EX", seconds: number, nx: "NX"): Promise<"OK" | null> };

/**
 * Every chart read calls this. The first read of a patient's chart in a session writes one
 * `charts.open` audit row; later reads in the same session do not (the audit trail says who
 * opened which chart, not how many queries the page made). The memory is a Redis key set with NX
 * for the session's lifetime. If Redis cannot answer, the row is written anyway: more audit,
 * never less. A caller without a session (a job) is audited every time.
 */
export async function auditChartOpen(actor: ScopedActor, patientId: string, client: SetNx = redis as unknown as SetNx): Promise<void> {
  let first = true;
  if (actor.sessionId) {
    try {
      first = (await client.set(chartOpenKey(actor.sessionId, patientId), "1", "EX", OPEN_TTL_SECONDS, "NX")) === "OK";
    } catch (error) {
      logger.warn({ err: error }, "chart-open audit: redis unavailable, auditing this read");
      first = true;
    }
  }
  if (first) await audit(db, actor, { action: "charts.open", resourceType: "Patient", resourceId: patientId, patientId });
}

/** The scope of a chart read, audited as a chart open. */
export async function openChart(actor: ScopedActor, patientId: string): Promise<ChartScope> {
  const scope = await chartScope(db, actor.clinicId, patientId);
  await auditChartOpen(actor, scope.rootId);
  return scope;
}

// ---------------------------------------------------------------- versions

export const CHART_TABLES = {
  encounter: "Encounter",
  note: "Note",
  vitals: "Vitals",
  problem: "Problem",
  allergy: "Allergy",
  medication_statement: "Medication",
  lab_order: "Lab order",
  lab_result: "Lab result",
} as const;
export type ChartTable = keyof typeof CHART_TABLES;

export interface LockedRow {
  id: string;
  patientId: string;
  version: number;
  updatedById: string | null;
  updatedAt: Date;
}

/** What a version check needs of a locked row (chart rows and clinic rows such as note templates). */
export type VersionedRow = Pick<LockedRow, "version" | "updatedById" | "updatedAt">;

/**
 * The one locking pattern of this module: `SELECT … FOR UPDATE` of the row (scoped by clinic, so
 * another clinic's row reads as absent), then compare versions in code. The lock holds until
 * commit, so the version compared is the version overwritten.
 */
export async function lockRow(tx: Tx, table: ChartTable, clinicId: string, id: string): Promise<LockedRow> {
  const rows = await tx.$queryRaw<{ id: string; patient_id: string; version: number; updated_by_id: string | null; updated_at: Date }[]>`
    SELECT id, patient_id, version, updated_by_id, updated_at FROM ${Prisma.raw(`"${table}"`)}
     WHERE id = ${id}::uuid AND clinic_id = ${clinicId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound(CHART_TABLES[table]);
  return { id: row.id, patientId: row.patient_id, version: row.version, updatedById: row.updated_by_id, updatedAt: row.updated_at };
}

export async function userName(client: Db, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  return (await client.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? null;
}

/**
 * A stale save: someone else saved since this user read. The message names them; the details
 * carry both versions and the current row (in the procedure's output shape) so the screen can
 * show theirs beside yours and let the user merge.
 */
export async function staleEdit(tx: Tx, what: string, locked: VersionedRow, yourVersion: number, current: unknown): Promise<never> {
  const changedBy = await userName(tx, locked.updatedById);
  throw new DomainError(
    "CONFLICT",
    `${what} was changed by ${changedBy ?? "someone else"} since you opened it (your version ${yourVersion}, now version ${locked.version}). Review their change and save again.`,
    { version: ["someone else saved first"] },
    { currentVersion: locked.version, yourVersion, changedBy, changedAt: locked.updatedAt.toISOString(), current },
  );
}

/** Checks the version of a locked row; on a mismatch throws staleEdit with the current row. */
export async function checkVersion(tx: Tx, what: string, locked: VersionedRow, yourVersion: number, current: () => Promise<unknown>): Promise<void> {
  if (locked.version !== yourVersion) await staleEdit(tx, what, locked, yourVersion, await current());
}

// ---------------------------------------------------------------- database refusals

/** CHECK constraint → the input field it guards, and what to tell the person. */
const CHECKS: Record<string, { field: string; message: string }> = {
  vitals_systolic_check: { field: "systolic", message: "Systolic blood pressure must be between 40 and 300 mmHg" },
  vitals_diastolic_check: { field: "diastolic", message: "Diastolic blood pressure must be between 20 and 200 mmHg" },
  vitals_bp_order_check: { field: "diastolic", message: "Diastolic blood pressure must be below systolic" },
  vitals_heart_rate_check: { field: "heartRate", message: "Heart rate must be between 20 and 300 /min" },
  vitals_respiratory_rate_check: { field: "respiratoryRate", message: "Respiratory rate must be between 2 and 100 /min" },
  vitals_temperature_check: { field: "temperature", message: "Temperature must be between 14.0 and 47.0 °C (57.2–116.6 °F)" },
  vitals_spo2_check: { field: "spo2", message: "SpO2 must be between 30 and 100 %" },
  vitals_height_check: { field: "height", message: "Height must be between 20 and 275 cm" },
  vitals_weight_check: { field: "weight", message: "Weight must be between 0.2 and 700 kg" },
  vitals_pain_check: { field: "painScore", message: "Pain score must be between 0 and 10" },
  vitals_bmi_check: { field: "weight", message: "Height and weight give an impossible BMI; check both" },
  vitals_any_check: { field: "systolic", message: "Enter at least one measurement" },
  problem_resolved_check: { field: "resolvedAt", message: "Only a resolved problem has a resolved date" },
  problem_dates_check: { field: "resolvedAt", message: "Resolved date cannot be before the onset date" },
  problem_description_check: { field: "description", message: "Description is required" },
  allergy_substance_check: { field: "substance", message: "Substance is required" },
  allergy_rxcui_check: { field: "rxcui", message: "RxNorm code must be digits" },
  medication_statement_drug_name_check: { field: "drugName", message: "Drug name is required" },
  medication_statement_rxcui_check: { field: "rxcui", message: "RxNorm code must be digits" },
  medication_statement_dates_check: { field: "stopDate", message: "Stop date cannot be before the start date" },
  medication_statement_source_check: { field: "source", message: "Only a prescription-sourced medication has a prescription" },
  lab_order_cancelled_check: { field: "status", message: "A cancelled order needs its cancellation time" },
  lab_result_value_check: { field: "valueNumeric", message: "Enter a numeric or a text value" },
  lab_result_range_check: { field: "referenceLow", message: "Reference low must not be above reference high" },
  lab_result_acknowledged_check: { field: "acknowledgedAt", message: "Acknowledgement needs who and when" },
  note_addendum_text_check: { field: "text", message: "Addendum text is required" },
  note_template_default_check: { field: "isDefault", message: "Only an active template for one encounter type can be its default" },
};

/** Unique indexes a write can run into → the input field, and what to tell the person (a CONFLICT: someone else holds it). */
const UNIQUES: Record<string, { field: string; message: string }> = {
  note_template_one_default: { field: "isDefault", message: "Another template became the default for this encounter type at the same time; reload and choose again" },
  note_template_clinic_id_encounter_type_name_key: { field: "name", message: "A template with this name already exists for this encounter type" },
  note_template_any_type_name_key: { field: "name", message: "A template with this name already exists for any encounter type" },
};

const SIGNED_MESSAGE = "This note is signed; add an addendum instead.";

/** The database's own words, from a Prisma error (driver-adapter meta included), for matching only. */
function errorText(error: unknown): string {
  const e = error as { message?: unknown; meta?: unknown; cause?: unknown };
  return `${String(e?.message ?? "")} ${JSON.stringify(e?.meta ?? {})} ${String(e?.cause ?? "")}`;
}

/** A database refusal as a DomainError a person can act on; null for anything else. */
export function databaseRefusal(error: unknown): DomainError | null {
  if (error instanceof DomainError) return null;
  const text = errorText(error);
  if (text.includes("signed note is immutable")) return new DomainError("CONFLICT", SIGNED_MESSAGE, undefined, { signed: true });
  if (text.includes("addenda are only for signed notes")) return new DomainError("BAD_REQUEST", "Addenda are only for signed notes; edit the note itself until it is signed.", { noteId: ["note is not signed"] });
  const unique = Object.keys(UNIQUES).find((name) => text.includes(name));
  if (unique) {
    const known = UNIQUES[unique]!;
    return new DomainError("CONFLICT", known.message, { [known.field]: [known.message] }, { constraint: unique });
  }
  const check = /check constraint \\?"(\w+)\\?"/.exec(text)?.[1];
  if (check) {
    const known = CHECKS[check];
    // The detail ("Failing row contains …") holds patient data: never passed on.
    if (known) return new DomainError("BAD_REQUEST", known.message, { [known.field]: [known.message] }, { constraint: check });
    return new DomainError("BAD_REQUEST", "A value is outside what the chart accepts.", undefined, { constraint: check });
  }
  return null;
}

/** Runs a write; database refusals come out as DomainErrors. */
export async function refusalsMapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw databaseRefusal(error) ?? error;
  }
}

export const signedNoteMessage = SIGNED_MESSAGE;
