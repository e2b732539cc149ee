/**
 * LOINC search over `loinc_code` (loaded by ./import.ts; ~2,200 common lab and vital-sign codes).
 * By code ("4548", "4548-4") or by words in any order ("a1c", "potassium serum"): the test whose
 * component is exactly what was typed first, then method-less codes, then the commonest (LOINC's
 * "Top 2000" rank). Clinicians type abbreviations the long common names do
 * not contain ("TSH", "BUN", "LDL"), so a short list of them is expanded before matching.
 * The name trigram index (charts migration) serves the word matches; the table is small enough
 * that even a scan answers in about a millisecond.
 *
 * This material contains content from LOINC® (http://loinc.org), see loinc_code's table comment.
 */
import { db } from "../db.ts";

export interface LoincCode {
  code: string;
  longCommonName: string;
  component: string;
  system: string | null;
  exampleUnit: string | null;
  loincClass: string | null;
}

export const LOINC_SEARCH_LIMIT_MAX = 50;

/** What clinicians type → words of the long common name. */
const ABBREVIATIONS: Record<string, string> = {
  tsh: "thyrotropin",
  a1c: "hemoglobin a1c",
  hba1c: "hemoglobin a1c",
  bun: "urea nitrogen",
  ldl: "cholesterol in ldl",
  hdl: "cholesterol in hdl",
  psa: "prostate specific ag",
  wbc: "leukocytes",
  rbc: "erythrocytes",
  plt: "platelets",
  hgb: "hemoglobin",
  hb: "hemoglobin",
  hct: "hematocrit",
  alt: "alanine aminotransferase",
  ast: "aspartate aminotransferase",
  alp: "alkaline phosphatase",
  egfr: "glomerular filtration rate",
  gfr: "glomerular filtration rate",
  crp: "c reactive protein",
  esr: "erythrocyte sedimentation rate",
  ft4: "thyroxine free",
  t4: "thyroxine",
  inr: "inr",
  ptt: "aptt",
  k: "potassium",
  na: "sodium",
  cl: "chloride",
  ca: "calcium",
  mg: "magnesium",
  glu: "glucose",
  chol: "cholesterol",
  trig: "triglyceride",
  trigs: "triglyceride",
  vitd: "25-hydroxyvitamin d",
  b12: "cobalamin",
  bp: "blood pressure",
  hr: "heart rate",
  spo2: "oxygen saturation",
};

const CODE_SHAPED = /^\d{1,7}(-\d?)?$/;

function searchWords(q: string): string[] {
  const plain = q.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  const words = plain.match(/[a-z0-9]+/g) ?? [];
  return words.flatMap((w) => (ABBREVIATIONS[w] ?? w).split(" ")).slice(0, 8);
}

export async function searchLoinc(q: string, options: { limit?: number; labOnly?: boolean } = {}): Promise<LoincCode[]> {
  const take = Math.min(Math.max(Math.trunc(options.limit ?? 20), 1), LOINC_SEARCH_LIMIT_MAX);
  const labOnly = options.labOnly ?? false;
  const trimmed = q.trim();
  if (CODE_SHAPED.test(trimmed)) {
    const rows = await db.$queryRaw<LoincCode[]>`
      SELECT code, long_common_name AS "longCommonName", component, system, example_unit AS "exampleUnit", loinc_class AS "loincClass"
        FROM loinc_code
       WHERE code LIKE ${`${trimmed}%`} AND (NOT ${labOnly} OR NOT vital_sign)
       ORDER BY top2000_rank NULLS LAST, length(code), code
       LIMIT ${take}`;
    if (rows.length) return rows;
  }
  const words = searchWords(trimmed);
  if (!words.length) return [];
  // Every word must appear (as a substring, so "potass" finds potassium); words are [a-z0-9] only,
  // so they carry no LIKE wildcards.
  const patterns = words.map((w) => `%${w}%`);
  return db.$queryRaw<LoincCode[]>`
    SELECT code, long_common_name AS "longCommonName", component, system, example_unit AS "exampleUnit", loinc_class AS "loincClass"
      FROM loinc_code
     WHERE long_common_name ILIKE ALL (${patterns}::text[])
       AND (NOT ${labOnly} OR NOT vital_sign)
     ORDER BY lower(component) = ${words.join(" ")} DESC,
              -- The method-less code is the one a clinician orders ("TSH", not "TSH by detection limit <= 0.05").
              long_common_name NOT LIKE '% by %' DESC,
              top2000_rank NULLS LAST, length(long_common_name), code
     LIMIT ${take}`;
}
