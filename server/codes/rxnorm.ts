/**
 * RxNorm drug search and allergen search over `rxnorm_drug` and `drug_class_member` (loaded by
 * ./import.ts; ~1,000 common primary-care clinical drugs and 7 drug classes). Both tables are small
 * enough that a scan answers in about a millisecond, so there is no index beyond the keys.
 *
 * RxNorm names and RxCUIs are produced by the National Library of Medicine (NLM); NLM is not
 * responsible for this product and does not endorse it.
 */
import { db } from "../db.ts";

export interface RxnormDrug {
  rxcui: string;
  name: string;
  ingredient: string;
  strength: string | null;
  doseForm: string;
  /** "CII-CIII" or "CIV" where known */
  deaSchedule: string | null;
}

export interface Allergen {
  kind: "INGREDIENT" | "CLASS";
  /** the ingredient ("ibuprofen") or the class ("NSAIDs") */
  name: string;
  /** RxNorm ingredient code, when the source carries one */
  rxcui: string | null;
  /** for a class: how many member ingredients it has */
  members: number | null;
}

export const RXNORM_SEARCH_LIMIT_MAX = 50;

const clampLimit = (limit: number | undefined) => Math.min(Math.max(Math.trunc(limit ?? 20), 1), RXNORM_SEARCH_LIMIT_MAX);

/** Lower-case [a-z0-9.] words: "Amox 500" → ["amox", "500"]; "0.5" stays one word. No LIKE wildcards survive. */
function searchWords(q: string): string[] {
  const plain = q.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  return (plain.match(/[a-z0-9]+(?:\.[0-9]+)?/g) ?? []).slice(0, 8);
}

/**
 * Drugs by RxCUI ("314076") or by words of the name in any order ("lisinopril 10", "amox 500
 * tab"): drugs whose ingredient starts with the first word first, single-ingredient drugs before
 * combinations, tablets and capsules before other forms, then the shortest name.
 */
export async function searchRxnorm(q: string, limit?: number): Promise<RxnormDrug[]> {
  const take = clampLimit(limit);
  const trimmed = q.trim();
  const select = `rxcui, name, ingredient, strength, dose_form AS "doseForm", dea_schedule AS "deaSchedule"`;
  if (/^\d{1,10}$/.test(trimmed)) {
    const rows = await db.$queryRawUnsafe<RxnormDrug[]>(`SELECT ${select} FROM rxnorm_drug WHERE rxcui LIKE $1 ORDER BY length(rxcui), rxcui LIMIT $2`, `${trimmed}%`, take);
    if (rows.length) return rows;
  }
  const words = searchWords(trimmed);
  if (!words.length) return [];
  return db.$queryRawUnsafe<RxnormDrug[]>(
    `SELECT ${select} FROM rxnorm_drug
      WHERE name ILIKE ALL ($1::text[])
      ORDER BY lower(ingredient) LIKE $2 DESC,
               position(' / ' IN ingredient) = 0 DESC,
               dose_form ~ '^Oral (Tablet|Capsule)$' DESC,
               length(name), name
      LIMIT $3`,
    words.map((w) => `%${w}%`),
    `${words[0]}%`,
    take,
  );
}

/**
 * What a patient can be allergic to, for the allergy form: drug classes ("NSAIDs", "opioids") and
 * single ingredients named in RxNorm drugs or class lists ("ibuprofen", "amoxicillin"). A word
 * matches the start of a word of the name, so "cillin" finds nothing but "amox" finds amoxicillin.
 * Classes come first: a class allergy covers every member; a salt is offered only when its base
 * ingredient is not (the allergy check treats "oxycodone" as covering "oxycodone hydrochloride").
 */
export async function searchAllergens(q: string, limit?: number): Promise<Allergen[]> {
  const take = clampLimit(limit);
  const words = searchWords(q);
  if (!words.length) return [];
  const patterns = words.map((w) => `(^|[^a-z0-9])${w.replace(/\./g, "\\.")}`);
  return db.$queryRawUnsafe<Allergen[]>(
    `WITH ingredients AS (
       SELECT DISTINCT ON (lower(name)) name, rxcui FROM (
         SELECT ingredient AS name, rxcui, 0 AS pref FROM drug_class_member
         UNION ALL
         SELECT unnest(string_to_array(ingredient, ' / ')), NULL, 1 FROM rxnorm_drug
       ) all_names
       ORDER BY lower(name), pref
     ),
     candidates AS (
       SELECT 'CLASS' AS kind, drug_class AS name, NULL::text AS rxcui, count(*)::int AS members FROM drug_class_member GROUP BY drug_class
       UNION ALL
       -- A salt ("oxycodone hydrochloride") is offered only where its base is not: the base covers it.
       SELECT 'INGREDIENT', i.name, i.rxcui, NULL FROM ingredients i
        WHERE NOT EXISTS (SELECT 1 FROM ingredients b WHERE lower(i.name) LIKE lower(b.name) || ' %')
     )
     SELECT kind, name, rxcui, members FROM candidates
      WHERE lower(name) ~ ALL ($1::text[])
      ORDER BY kind = 'CLASS' DESC, lower(name) LIKE $2 DESC, length(name), name
      LIMIT $3`,
    patterns,
    `${words[0]}%`,
    take,
  );
}
