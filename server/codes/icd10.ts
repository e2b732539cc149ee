/**
 * ICD-10-CM lookup and search over `icd10cm_code` (loaded by ./import.ts). The indexes and the word
 * list these queries rely on are in ./icd10-search.sql.
 */
import { db } from "../db.ts";
import { isCodeShaped, normalizeCode, searchWords } from "./format.ts";

export interface Icd10Code {
  /** without the dot, as stored and referenced: "E119" */
  code: string;
  /** as people write it: "E11.9" */
  codeDotted: string;
  description: string;
}

export const SEARCH_LIMIT_MAX = 50;

/**
 * Nearest-spelling cut-off. One slip in a word of 5+ letters scores 0.4–0.7 ("astma" 0.44,
 * "pnuemonia" 0.43, "diabtes" 0.55); below 0.4 lie unrelated words ("copd" → "copper" 0.33).
 */
const MIN_SIMILARITY = 0.4;

export async function getIcd10(code: string): Promise<Icd10Code | null> {
  const [row] = await db.$queryRaw<Icd10Code[]>`
    SELECT code, code_dotted AS "codeDotted", description FROM icd10cm_code WHERE code = ${normalizeCode(code)}`;
  return row ?? null;
}

/**
 * By code prefix, in code order ("E11" → E11.0… ; dot optional), or by words, best first
 * ("type 2 diabetes" → E11.*). Words match as word prefixes in any order, so a half-typed word
 * works ("diab mell"). When nothing matches, misspelt words are replaced by the nearest words
 * in the code set ("diabtes" → diabetes) and the search runs again.
 */
export async function searchIcd10(q: string, limit = 20): Promise<Icd10Code[]> {
  const take = Math.min(Math.max(Math.trunc(limit), 1), SEARCH_LIMIT_MAX);
  if (isCodeShaped(q)) {
    const byCode = await searchByCode(normalizeCode(q), take);
    // "B12" is code-shaped but people mean vitamin B12: fall through to words when no code starts so.
    if (byCode.length > 0) return byCode;
  }
  const words = searchWords(q);
  // One- and two-letter words ("of", "2") match most of the table and mean little alone; they
  // still narrow a search that has a real word in it ("type 2 diabetes").
  if (!words.some((w) => w.length >= 3)) return [];
  const exact = await searchByWords(words, words.map((w) => `${w}:*`), take);
  if (exact.length > 0) return exact;
  const corrected = await correctSpelling(words);
  return corrected ? searchByWords(words, corrected, take) : [];
}

function searchByCode(prefix: string, limit: number): Promise<Icd10Code[]> {
  // prefix is [A-Z0-9] only (isCodeShaped), so it cannot carry LIKE wildcards. COLLATE "C" matches
  // the index (byte order, which for these characters is code order) and lets LIMIT stop early.
  return db.$queryRaw<Icd10Code[]>`
    SELECT code, code_dotted AS "codeDotted", description
    FROM icd10cm_code
    WHERE code COLLATE "C" LIKE ${`${prefix}%`}
    ORDER BY code COLLATE "C"
    LIMIT ${limit}`;
}

/**
 * `terms` holds one tsquery term per word (a prefix like `diab:*` or alternatives like
 * `(diabetes | diabetic)`), all built from [a-z0-9] words, so the query string cannot be malformed.
 * Ranking, cheapest signals only (they are computed for every matching row, which for a common
 * word is a quarter of the table): the description starts with what was typed; then it starts
 * with the first typed word ("essential hypertension" → "Essential (primary) hypertension", I10,
 * before "Pre-existing essential hypertension …"); then the typed words appear together; then
 * shorter codes first, because a category ("E11.9 Type 2 diabetes
 * mellitus without complications") is what people usually look for before the specific sub-codes;
 * then shorter descriptions.
 */
function searchByWords(words: string[], terms: string[], limit: number): Promise<Icd10Code[]> {
  const phrase = words.join(" ");
  return db.$queryRaw<Icd10Code[]>`
    SELECT code, code_dotted AS "codeDotted", description
    FROM icd10cm_code
    WHERE to_tsvector('simple', description) @@ to_tsquery('simple', ${terms.join(" & ")})
    ORDER BY
      lower(left(description, ${phrase.length}::int)) = ${phrase} DESC,
      lower(left(description, ${words[0]!.length}::int)) = ${words[0]!} DESC,
      (${words.length}::int > 1 AND strpos(lower(description), ${phrase}) > 0) DESC,
      length(code), length(description), code
    LIMIT ${limit}`;
}

/**
 * One tsquery term per word for the second attempt: words that are the start of some word in the
 * code set stay as prefixes; others become their up-to-three nearest spellings (trigram
 * similarity of at least MIN_SIMILARITY, commoner words first on ties); a word with no near
 * spelling is dropped. Returns null when nothing was corrected (the second search would repeat
 * the first).
 */
async function correctSpelling(words: string[]): Promise<string[] | null> {
  const rows = await db.$queryRaw<{ word: string; known: boolean; nearest: string[] }[]>`
    SELECT t.word,
      EXISTS (SELECT 1 FROM icd10cm_word w WHERE w.word COLLATE "C" LIKE t.word || '%') AS known,
      ARRAY(
        SELECT w.word FROM icd10cm_word w
        WHERE length(t.word) >= 3 AND w.word % t.word AND similarity(w.word, t.word) >= ${MIN_SIMILARITY}
          -- Plain words only ("covid-19" and "1.5" are lexemes too; their parts are listed on their
          -- own), so the tsquery built from these stays [a-z0-9] and cannot be malformed.
          AND w.word ~ '^[a-z0-9]+$'
        ORDER BY similarity(w.word, t.word) DESC, w.ndoc DESC
        LIMIT 3
      ) AS nearest
    FROM unnest(${words}::text[]) AS t(word)`;
  let changed = false;
  const terms: string[] = [];
  for (const row of rows) {
    if (row.known) {
      terms.push(`${row.word}:*`);
    } else {
      changed = true;
      if (row.nearest.length > 0) terms.push(`(${row.nearest.join(" | ")})`);
    }
  }
  return changed && terms.length > 0 ? terms : null;
}
