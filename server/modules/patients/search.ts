/**
 * Patient search: one box that takes a name (typos and accents forgiven), an MRN, a date of birth
 * or a phone number. PostgreSQL does the work with the indexes of the patients_registration and
 * patient_search_words migrations: a btree on (clinic_id, family_search, name_search) (both
 * text_pattern_ops), a trigram GIN on name_search, a GIN on the name's words
 * (carelane_name_words) with the list of every name word (patient_name_word) for typos, btrees on
 * the phone digit columns and their last 7 digits, (clinic_id, date_of_birth) and the unique mrn.
 *
 * Name search runs in tiers, cheapest and most exact first, and a tier only runs when the ones
 * before it fell short (see buildNameSearch). Measured on 1M patients (bench/,
 * docs/performance.md): ranking every trigram candidate of a common name ("smith" has ~10k,
 * "mary" ~100k at the typo-tolerant threshold) costs 100 ms to 1 s, because similarity() and
 * word_similarity() cost microseconds per row; the tiers keep typical searches to a few ms.
 *
 * Every statement is typed raw SQL composed with Prisma.sql / Prisma.join (user input only ever
 * travels as bind parameters), scoped by clinic, and never returns MERGED tombstones.
 */
import { z } from "zod";
import { parse as parseDate, isValid } from "date-fns";
import { Prisma } from "../../generated/prisma/client.ts";
import { db } from "../../db.ts";
import { sexSchema } from "./schemas.ts";

// ---------------------------------------------------------------------------------------------
// Input and output
// ---------------------------------------------------------------------------------------------

const age = (field: "ageMin" | "ageMax", label: string) =>
  z
    .number({ error: `${label} (${field}) must be a number of years` })
    .int(`${label} (${field}) must be a whole number of years`)
    .min(0, `${label} (${field}) must be between 0 and 130`)
    .max(130, `${label} (${field}) must be between 0 and 130`);

export const searchFilters = z
  .object({
    /**
     * Accepted and ignored for now: patients belong to the whole clinic, not to a location, until
     * scheduling lands (then "patients seen at this location" can join appointments).
     */
    locationId: z.uuid("Location (locationId) must be a location id").optional(),
    /** MERGED records are tombstones and never returned; "any" means every other status. */
    status: z
      .enum(["ACTIVE", "INACTIVE", "DECEASED", "any"], { error: "Status (status) must be active, inactive, deceased or any" })
      .default("any"),
    /** Age in whole years today, inclusive at both ends. */
    ageMin: age("ageMin", "Minimum age").optional(),
    ageMax: age("ageMax", "Maximum age").optional(),
  })
  .refine((f) => f.ageMin === undefined || f.ageMax === undefined || f.ageMin <= f.ageMax, {
    message: "Minimum age (ageMin) cannot be more than maximum age (ageMax)",
    path: ["ageMin"],
  });

export const searchInput = z.object({
  q: z
    .string({ error: "Search text (q) is required" })
    .trim()
    .min(1, "Search text (q) is required: type a name, MRN, date of birth or phone number")
    .max(100, "Search text (q) is too long (100 characters at most)"),
  limit: z
    .number({ error: "Page size (limit) must be a number" })
    .int("Page size (limit) must be a whole number")
    .min(1, "Page size (limit) must be between 1 and 100")
    .max(100, "Page size (limit) must be between 1 and 100")
    .default(20),
  offset: z
    .number({ error: "Offset (offset) must be a number" })
    .int("Offset (offset) must be a whole number")
    .min(0, "Offset (offset) must be between 0 and 10000")
    .max(10_000, "Offset (offset) must be between 0 and 10000")
    .default(0),
  filters: searchFilters.prefault({}),
  /** relevance: best match first (direction is ignored). name: family then given name. */
  sort: z.enum(["relevance", "name", "dateOfBirth", "mrn"], { error: "Sort (sort) must be relevance, name, dateOfBirth or mrn" }).default("relevance"),
  /** For name, dateOfBirth and mrn; ascending unless asked. */
  direction: z.enum(["asc", "desc"], { error: "Direction (direction) must be asc or desc" }).optional(),
});

export type SearchInput = z.input<typeof searchInput>;
export type ParsedSearchInput = z.output<typeof searchInput>;

export const searchKind = z.enum(["name", "mrn", "dob", "phone"]);
export type SearchKind = z.infer<typeof searchKind>;

export const searchHit = z.object({
  id: z.string(),
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  dateOfBirth: z.string(),
  sex: sexSchema,
  // MERGED is deliberately absent: a tombstone in the output fails validation instead of leaking.
  status: z.enum(["ACTIVE", "INACTIVE", "DECEASED"]),
  phoneMobile: z.string().nullable(),
  /** Closeness of the match; only comparable within one response. */
  score: z.number(),
});

export const searchOutput = z.object({
  items: z.array(searchHit),
  /** Every match counted; null when counting them all would cost more than the search itself. */
  total: z.number().int().nullable().optional(),
  kind: searchKind,
});
export type SearchOutput = z.infer<typeof searchOutput>;

// ---------------------------------------------------------------------------------------------
// Classifying the query
// ---------------------------------------------------------------------------------------------

export type ClassifiedQuery =
  | { kind: "mrn"; mrn: string }
  | { kind: "dob"; dateOfBirth: string }
  /** digits: the last 10 digits, or the last 7 when fewer than 10 were typed */
  | { kind: "phone"; digits: string }
  /** tokens as typed (folded in SQL); familyFirst when the user wrote "family, given" */
  | { kind: "name"; tokens: string[]; familyFirst: boolean };

/** Shapes we accept as a date of birth, each with the date-fns formats that may parse it. */
const DATE_SHAPES: { shape: RegExp; formats: string[] }[] = [
  { shape: /^\d{4}-\d{1,2}-\d{1,2}$/, formats: ["yyyy-M-d"] },
  { shape: /^\d{1,2}\/\d{1,2}\/\d{4}$/, formats: ["M/d/yyyy"] },
  { shape: /^\d{1,2}-\d{1,2}-\d{4}$/, formats: ["M-d-yyyy"] },
  { shape: /^\d{1,2}\/\d{1,2}\/\d{2}$/, formats: ["M/d/yy"] },
  { shape: /^\d{1,2}\.\d{1,2}\.\d{4}$/, formats: ["d.M.yyyy"] },
  { shape: /^[a-z]{3,9} \d{1,2} \d{4}$/i, formats: ["MMM d yyyy", "MMMM d yyyy"] },
  { shape: /^\d{1,2} [a-z]{3,9} \d{4}$/i, formats: ["d MMM yyyy", "d MMMM yyyy"] },
];

const pad = (n: number) => String(n).padStart(2, "0");
const localIso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** A date of birth in one of the accepted formats, as YYYY-MM-DD, or null. */
export function parseDateOfBirth(text: string, today: Date = new Date()): string | null {
  // "Mar. 27, 1984" and "27-Mar-1984" read the same as "Mar 27 1984".
  const spaced = /[a-z]/i.test(text) ? text.replace(/[.,]/g, " ").replace(/-/g, " ").replace(/\s+/g, " ").trim() : text;
  for (const { shape, formats } of DATE_SHAPES) {
    if (!shape.test(spaced)) continue;
    for (const format of formats) {
      // date-fns rejects impossible dates (02/30/1984) and out-of-range parts.
      const parsed = parseDate(spaced, format, today);
      if (!isValid(parsed)) continue;
      // Two-digit years: date-fns picks the century nearest today, which can be in the future
      // (3/27/30 -> 2030); nobody is born in the future, so those belong to the previous century.
      if (format.endsWith("/yy") && parsed > today) parsed.setFullYear(parsed.getFullYear() - 100);
      return localIso(parsed);
    }
  }
  return null;
}

// Letters (any script), digits, apostrophes and hyphens make up a name; everything else separates
// words. This also guarantees tokens carry no LIKE wildcards (% _) or backslashes.
const NAME_SEPARATOR = /[^\p{L}\p{M}\p{N}'’-]+/u;
const MAX_NAME_TOKENS = 4;

function nameTokens(text: string): string[] {
  return text
    .split(NAME_SEPARATOR)
    .map((t) => t.normalize("NFC").replace(/’/g, "'").replace(/^['-]+|['-]+$/g, ""))
    .filter((t) => t.length > 0);
}

/**
 * What the user typed: an MRN (8 digits, spaces and dashes allowed), a date of birth, a phone
 * number (7+ digits, punctuation and +1 allowed), or else a name. Dates are tried first because
 * "03-27-1984" is also 8 digits with dashes.
 */
export function classifyQuery(q: string, today: Date = new Date()): ClassifiedQuery {
  const text = q.trim().replace(/\s+/g, " ");
  const dateOfBirth = parseDateOfBirth(text, today);
  if (dateOfBirth) return { kind: "dob", dateOfBirth };

  const digits = text.replace(/\D/g, "");
  if (/^[\d -]+$/.test(text) && digits.length === 8) return { kind: "mrn", mrn: digits };

  if (/^\+?[\d ().-]+$/.test(text) && digits.length >= 7) {
    const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
    // Stored numbers keep their last 10 digits; 7 to 9 typed digits are a local number.
    return { kind: "phone", digits: national.length >= 10 ? national.slice(-10) : national.slice(-7) };
  }

  const comma = text.indexOf(",");
  if (comma > 0) {
    const family = nameTokens(text.slice(0, comma));
    const given = nameTokens(text.slice(comma + 1));
    if (family.length > 0) return { kind: "name", tokens: [...family, ...given].slice(0, MAX_NAME_TOKENS), familyFirst: true };
  }
  return { kind: "name", tokens: nameTokens(text).slice(0, MAX_NAME_TOKENS), familyFirst: false };
}

// ---------------------------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------------------------

/**
 * How many name candidates a fuzzy tier scores at most. Scoring costs ~5 us a row; 500 keeps a
 * broad query ("mary": ~100k trigram candidates on 1M patients) under a few ms, and a name that
 * broad has hundreds of equally good matches anyway. Beyond it `total` is null.
 */
export const CANDIDATE_CAP = 500;

/**
 * How many edits a typed word may be from a word of the name in the typo tiers: a letter added,
 * dropped or changed, or two neighbouring letters swapped ("jonh"), each counting one. The first
 * typo tier allows one edit per word. The second, which runs only when the first found nobody,
 * allows two in words of `twoFrom` letters or more ("shmitt" for Schmidt), as Lucene's AUTO
 * fuzziness does: two edits in a shorter word reach too many other names ("jones" -> jose).
 */
export const TYPO_EDITS = { first: 1, second: 2, twoFrom: 6 } as const;

const MIN_TRIGRAM_TOKEN = 3; // shorter tokens have no full trigram, so no index can find them

export interface SearchRow {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string;
  sex: string;
  status: string;
  phoneMobile: string | null;
  score: number;
  /** the number of matches, when known; repeated on every row (and alone on an empty page) */
  total: number | null;
  /** on the rows of a `fast` statement: whether it filled the page, so its answer stands */
  filled?: boolean | null;
}

export interface BuiltSearch {
  kind: SearchKind;
  /** The statement that answers the search. Run with db.$queryRaw, or with pg as `sql.text` / `sql.values`. */
  sql: Prisma.Sql;
  /**
   * For name searches that can be answered from the family-name btree alone ("smi", "smith"):
   * a smaller statement to try first. Its answer stands when it filled the page (`filled` on its
   * rows); otherwise `sql` runs. Saves the planning and set-up of the other tiers (~1.5 ms of the
   * ~2.5 ms a common family name costs). runBuiltSearch does this dance.
   */
  fast?: Prisma.Sql;
  /**
   * For name searches with a word of six letters or more: the two-edit typo tier, run only when
   * `sql` found nothing at all (total 0). Apart so that the many searches that never need it do
   * not pay for planning it (~1 ms). runBuiltSearch does this too.
   */
  fallback?: Prisma.Sql;
}

const OUTPUT_COLUMNS = Prisma.sql`
  p.id::text AS "id", p.mrn AS "mrn", p.given_name AS "givenName", p.family_name AS "familyName",
  p.preferred_name AS "preferredName", to_char(p.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
  p.sex::text AS "sex", p.status::text AS "status", p.phone_mobile AS "phoneMobile",
  p.family_search, p.name_search AS name_sort, p.date_of_birth`;

/** Clinic scope, tombstones out, and the filters: the part every statement shares. */
function baseConditions(clinicId: string, input: ParsedSearchInput): Prisma.Sql {
  const parts = [Prisma.sql`p.clinic_id = ${clinicId}::uuid`, Prisma.sql`p.status <> 'MERGED'`];
  const { status, ageMin, ageMax } = input.filters;
  if (status !== "any") parts.push(Prisma.sql`p.status = ${status}::"PatientStatus"`);
  // Age in whole years on the database's today: aged at least N means born N years ago or earlier.
  if (ageMin !== undefined) parts.push(Prisma.sql`p.date_of_birth <= (current_date - make_interval(years => ${ageMin}::int))::date`);
  if (ageMax !== undefined) parts.push(Prisma.sql`p.date_of_birth > (current_date - make_interval(years => ${ageMax}::int + 1))::date`);
  return Prisma.join(parts, " AND ");
}

/** ORDER BY for the final page of rows `r`; the MRN (unique) makes pages stable. */
function finalOrder(input: ParsedSearchInput): Prisma.Sql {
  const dir = input.direction === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  switch (input.sort) {
    case "name":
      return Prisma.sql`r.family_search ${dir}, r.name_sort ${dir}, r.mrn ${dir}`;
    case "dateOfBirth":
      return Prisma.sql`r.date_of_birth ${dir}, r.family_search, r.name_sort, r.mrn`;
    case "mrn":
      return Prisma.sql`r.mrn ${dir}`;
    case "relevance":
      return Prisma.sql`r.tier, r.rank`;
  }
}

/** The page of `ranked` (a subquery with tier and rank) and its total, in one row even when empty. */
function page(ranked: Prisma.Sql, total: Prisma.Sql, input: ParsedSearchInput, filled: Prisma.Sql = Prisma.sql`NULL::boolean`): Prisma.Sql {
  return Prisma.sql`
    SELECT r."id", r."mrn", r."givenName", r."familyName", r."preferredName", r."dateOfBirth", r."sex", r."status",
           r."phoneMobile", r.score::float8 AS "score", stats.total::int AS "total", stats.filled AS "filled"
      FROM (SELECT ${total} AS total, ${filled} AS filled) stats
      LEFT JOIN LATERAL (
        SELECT * FROM (${ranked}) r
         ORDER BY ${finalOrder(input)}
         LIMIT ${input.limit}::int OFFSET ${input.offset}::int
      ) r ON true`;
}

/** MRN, date of birth, phone: exact lookups on their own indexes; few rows, so all counted. */
function buildExactSearch(clinicId: string, input: ParsedSearchInput, match: Prisma.Sql, score: Prisma.Sql): Prisma.Sql {
  const ranked = Prisma.sql`
    SELECT m.*, 1 AS tier, row_number() OVER (ORDER BY m.score DESC, m.family_search, m.name_sort, m.mrn) AS rank
      FROM matches m`;
  return Prisma.sql`
    WITH matches AS MATERIALIZED (
      SELECT ${OUTPUT_COLUMNS}, ${score} AS score
        FROM patient p
       WHERE ${baseConditions(clinicId, input)} AND ${match}
    )
    ${page(ranked, Prisma.sql`(SELECT count(*) FROM matches)`, input)}`;
}

interface Tier {
  /** WHERE conditions beyond the base ones. */
  where: Prisma.Sql;
  /**
   * "index": rows come in family-name order straight off the btree and stop at `need`, so a name
   * shared by thousands costs only the rows shown. "lookup": the same for an equality on the
   * family name (`= ANY`), in whatever order the index gives (PostgreSQL 15 cannot promise the
   * order of an array lookup, and sorting would read every match). "score": candidates (at most
   * the cap) ranked.
   */
  order: "index" | "lookup" | "score";
  /**
   * When a later tier runs: "fill" while the earlier tiers found fewer rows than the page needs;
   * "typo" when the exact tiers found nothing at all (typo matches are not mixed into exact ones)
   * and the earlier typo tiers fewer than the page; "empty" only when every earlier tier found
   * nothing.
   */
  runs?: "fill" | "typo" | "empty";
  /** Extra CTEs the tier reads (the typo tiers' word lists): evaluated only if the tier runs. */
  with?: Prisma.Sql[];
  /** A further one-time condition for the tier to run at all. */
  gate?: Prisma.Sql;
  /** Replaces the family-name boost of the score (the typo tiers': the family word is misspelt). */
  familyBoost?: (alias: string) => Prisma.Sql;
}

/**
 * The words of the name-word list (patient_name_word) that the typed `word` may have meant: the
 * ones it starts ("smi": smith, smithers), and the ones within `edits` edits of it (see
 * TYPO_EDITS). fuzzystrmatch's levenshtein_less_equal runs only on the few hundred words that
 * can be that close, read as prefix ranges of the list's two btrees:
 *  - the same first letter: any edit after it (most typos);
 *  - an edit to the first letter itself: an extra letter typed first (word starts with the typed
 *    2nd-3rd letters), the first two swapped (starts with typed 2nd + 1st), the first letter
 *    changed (word's 2nd-3rd letters are the typed 2nd-3rd) or dropped (word's 2nd-3rd are the
 *    typed 1st-2nd).
 * (A trigram-similarity branch found the same words, but the planner, costing similarity like an
 * equality, read the whole list for it: 4-6 ms a word against 0.7 ms for these ranges.)
 * The folded word is a plan-time constant (carelane_fold is immutable and the statement unnamed),
 * so every LIKE here becomes an index range.
 */
function nameWordsNear(word: string, edits: number): Prisma.Sql {
  const k = Prisma.raw(String(edits));
  // Adjacent swaps ("jonh" for "john") are two Levenshtein edits; they count one here.
  const swaps = Prisma.sql`SELECT overlay(q.typed PLACING substr(q.typed, i + 1, 1) || substr(q.typed, i, 1) FROM i FOR 2)
                             FROM generate_series(1, length(q.typed) - 1) i`;
  return Prisma.sql`ARRAY(
    SELECT v.word FROM (SELECT carelane_fold(${word}) AS typed) q, patient_name_word v
     WHERE (v.word LIKE left(q.typed, 1) || '%'
            OR v.word LIKE substr(q.typed, 2, 2) || '%'
            OR v.word LIKE substr(q.typed, 2, 1) || left(q.typed, 1) || '%'
            OR substr(v.word, 2) LIKE substr(q.typed, 2, 2) || '%'
            OR substr(v.word, 2) LIKE left(q.typed, 2) || '%')
       AND (v.word LIKE q.typed || '%' OR levenshtein_less_equal(v.word, q.typed, ${k}) <= ${k} OR v.word IN (${swaps})))`;
}

/**
 * Name search. Tokens are folded in SQL with carelane_fold, the same function that fills
 * name_search and family_search, so "José" finds "Jose" and the reverse.
 *
 * Tiers, cheapest first; a later tier runs only when the earlier ones fell short (an InitPlan in
 * a one-time filter, so a skipped tier costs nothing) and excludes the rows they found:
 *  A. family name starts with the family token (btree, index order: family name, then the whole
 *     folded name, so a family's patients come alphabetically): "smi", "smith". Single-token
 *     queries, and queries whose tokens are all too short for trigrams ("j s").
 *  B. every token appears in the name: GIN trigram LIKE, every trigram required, so the index
 *     alone narrows "john smith" to a few dozen rows; ranked by score. Runs while A has not
 *     filled the page ("mary": the Marys, after the few family names starting "mary"), and only
 *     if every token is inside some word of the name-word list (a misspelt one is not).
 *  C. typos, only when A and B found nothing (a list of exact matches should not fill up with
 *     near misses): every word typed (3+ letters) is, or starts, a word of the name within one
 *     edit ("jonh smth" finds John Smith). The words come from the name-word list
 *     (nameWordsNear), then the patients holding one of each word's candidates from the GIN
 *     index on carelane_name_words(name_search): a few ms, however common the name. A single
 *     word first tries the family-name btree (see the comment there).
 *  D. the same with two edits in words of 6+ letters (TYPO_EDITS), only when nothing above found
 *     anybody: a statement of its own (BuiltSearch.fallback), so the others do not plan it.
 * Score: greatest(similarity(name, q), word_similarity(q, name)), +0.5 when the family name
 * starts with the family token (the one before a comma, else the last or the first); in the typo
 * tiers, when the family name is one of that token's candidate words.
 */
function buildNameSearch(
  clinicId: string,
  input: ParsedSearchInput,
  query: Extract<ClassifiedQuery, { kind: "name" }>,
): { sql: Prisma.Sql; fast?: Prisma.Sql; fallback?: Prisma.Sql } {
  const { tokens, familyFirst } = query;
  if (tokens.length === 0) {
    // Only punctuation was typed: nothing can match, but answer in the same shape.
    return { sql: Prisma.sql`SELECT NULL::text AS "id", 0::int AS "total"` };
  }
  const fold = (t: string) => Prisma.sql`carelane_fold(${t})`;
  const folded = fold(tokens.join(" "));
  const familyIndex = familyFirst ? 0 : tokens.length - 1;
  const familyToken = tokens[familyIndex]!;
  // Western order puts the family name last, clinic habit often first: boost either.
  const boostTokens = familyFirst ? [familyToken] : [...new Set([familyToken, tokens[0]!])];
  const familyPrefix = (alias: string, t: string) => Prisma.sql`${Prisma.raw(alias)}.family_search LIKE ${fold(t)} || '%'`;
  const prefixBoost = (alias: string) => Prisma.join(boostTokens.map((t) => familyPrefix(alias, t)), " OR ");
  /** `closeness`: similarity(name_search, folded) when the caller has it already (it costs ~4 us a row). */
  const score = (alias: string, boost: (alias: string) => Prisma.Sql = prefixBoost, closeness?: Prisma.Sql) => {
    const a = Prisma.raw(alias);
    return Prisma.sql`(greatest(${closeness ?? Prisma.sql`similarity(${a}.name_search, ${folded})`}, word_similarity(${folded}, ${a}.name_search))
                       + CASE WHEN ${boost(alias)} THEN 0.5 ELSE 0 END)`;
  };

  const long = tokens.filter((t) => t.length >= MIN_TRIGRAM_TOKEN);
  // A word of the name starts with the token. The concatenation keeps the planner off the trigram
  // index for these: a one- or two-letter token's only trigram ("  j") is in a tenth of all names.
  const wordStarts = (t: string) => Prisma.sql`(' ' || p.name_search) LIKE '% ' || ${fold(t)} || '%'`;
  const shortFilters = tokens.filter((t) => t.length < MIN_TRIGRAM_TOKEN).map(wordStarts);
  const all = (parts: Prisma.Sql[]) => Prisma.join(parts, " AND ");

  const tiers: Tier[] = [];
  const fallbackTiers: Tier[] = [];
  if (tokens.length === 1 || long.length === 0) {
    const others = tokens.filter((_, i) => i !== familyIndex);
    tiers.push({ where: all([familyPrefix("p", familyToken), ...others.map(wordStarts)]), order: "index" });
  }
  if (long.length > 0) {
    // GIN trigram LIKE: every trigram of every token must be present, so the index narrows well.
    // A token can only be inside a name if it is inside one of its words (or, split at hyphens and
    // without apostrophes, inside words), so the tier first checks the name-word list, which is
    // small enough to read whole (~0.3 ms for 7k words): a misspelt token skips the trigram scan,
    // which reads the posting lists of its commonest trigrams (1-2 ms warm, 20-30 ms when they
    // are not in shared_buffers).
    const parts = [...new Set(long.flatMap((t) => t.replace(/'/g, "").split("-")).filter((x) => x.length > 0))];
    const inSomeWord = parts.map((x) => Prisma.sql`EXISTS (SELECT 1 FROM patient_name_word v WHERE v.word LIKE '%' || ${fold(x)} || '%')`);
    tiers.push({
      where: all([...long.map((t) => Prisma.sql`p.name_search LIKE '%' || ${fold(t)} || '%'`), ...shortFilters]),
      order: "score",
      runs: "fill",
      gate: all(inSomeWord),
    });
  }
  // Typo tiers compare words as carelane_name_words makes them: "o'brien-smith" is obrien and
  // smith (the list also has o'brien's o and brien, for whoever types those). Words shorter than
  // three letters are left out: one edit away from almost anything.
  const typoWords = tokens.map((t) => t.replace(/'/g, "").split("-").filter((w) => w.length >= MIN_TRIGRAM_TOKEN));
  if (typoWords.some((words) => words.length > 0)) {
    const words = [...new Set(typoWords.flat())];
    // The boost's family words: the longest word of each token that may be the family name.
    const boostWords = boostTokens
      .map((t) => [...(typoWords[tokens.indexOf(t)] ?? [])].sort((a, b) => b.length - a.length)[0])
      .filter((w): w is string => w !== undefined);
    for (const [name, maxEdits] of [["first", TYPO_EDITS.first], ["second", TYPO_EDITS.second]] as const) {
      const edits = (w: string) => (w.length >= TYPO_EDITS.twoFrom ? maxEdits : TYPO_EDITS.first);
      if (name === "second" && words.every((w) => edits(w) === TYPO_EDITS.first)) continue; // same as the first
      const list = Prisma.raw(`typo_${name}`);
      const column = (i: number) => Prisma.raw(`w${i + 1}`);
      // One row with an array per word: each array is computed once, and only if the tier runs.
      const wordList = Prisma.sql`${list} AS MATERIALIZED (SELECT ${Prisma.join(
        words.map((w, i) => Prisma.sql`${nameWordsNear(w, edits(w))} AS ${column(i)}`),
        ", ",
      )})`;
      const near = (i: number) => Prisma.sql`(SELECT ${column(i)} FROM ${list})`;
      const familyBoost = boostWords.length
        ? (alias: string) =>
            Prisma.join(
              boostWords.map((w) => Prisma.sql`carelane_name_words(${Prisma.raw(alias)}.family_search) && ${near(words.indexOf(w))}`),
              " OR ",
            )
        : undefined;
      const byWords = all([...words.map((_, i) => Prisma.sql`carelane_name_words(p.name_search) && ${near(i)}`), ...shortFilters]);
      if (name === "first" && tokens.length === 1 && words.length === 1) {
        // One misspelt word typed alone, most often a family name ("smtih"): first the patients
        // whose family name is one of its candidates, off the family-name btree and stopping at
        // the page (~1 ms), since the GIN lookup below reads every patient holding any candidate
        // word (8.8k Smiths: ~9 ms, and scoring 500 of them ~7 ms). The GIN tier then fills a
        // page this left short (given names, longer family names).
        tiers.push({ where: Prisma.sql`p.family_search = ANY (${near(0)}::text[])`, order: "lookup", runs: "typo", with: [wordList], familyBoost });
        tiers.push({ where: byWords, order: "score", runs: "typo", familyBoost });
      } else if (name === "first") {
        tiers.push({ where: byWords, order: "score", runs: "typo", with: [wordList], familyBoost });
      } else {
        // Its own statement, run when everything above found nobody (BuiltSearch.fallback).
        fallbackTiers.push({ where: byWords, order: "score", with: [wordList], familyBoost });
      }
    }
  }

  // Relevance needs only the rows up to this page; the other orders re-sort the best matches.
  const need = input.sort === "relevance" ? input.offset + input.limit : Math.max(CANDIDATE_CAP, input.offset + input.limit);
  const cap = Math.max(CANDIDATE_CAP, need);
  const base = baseConditions(clinicId, input);
  const columns = Prisma.sql`"id", "mrn", "givenName", "familyName", "preferredName", "dateOfBirth", "sex", "status", "phoneMobile", family_search, name_sort, date_of_birth, score, tier, rank`;

  /** One statement answering from `tiers`, each a CTE gated on the ones before it. */
  const compose = (tiers: Tier[]) => {
    const cte = (i: number) => Prisma.raw(`t${i + 1}`);
    const countOf = (i: number) => Prisma.sql`(SELECT count(*) FROM ${cte(i)})`;
    const sumOf = (indexes: number[]) => (indexes.length ? Prisma.join(indexes.map(countOf), " + ") : Prisma.sql`0`);
    const foundBefore = (i: number) => sumOf(tiers.slice(0, i).map((_, j) => j));
    const exactBefore = (i: number) => sumOf(tiers.slice(0, i).flatMap((t, j) => (t.runs === "typo" || t.runs === "empty" ? [] : [j])));

    const cteOf = (tier: Tier, i: number) => {
      const gates: Prisma.Sql[] = [];
      if (i > 0) {
        // No vars in it, so PostgreSQL evaluates it once as a one-time filter: a tier that is not
        // needed never touches an index, nor computes its word lists.
        if (tier.runs === "empty") gates.push(Prisma.sql`${foundBefore(i)} = 0`);
        else if (tier.runs === "typo") gates.push(Prisma.sql`${exactBefore(i)} = 0 AND ${foundBefore(i)} < ${need}::int`);
        else gates.push(Prisma.sql`${foundBefore(i)} < ${need}::int`);
        for (let j = 0; j < i; j++) gates.push(Prisma.sql`p.id NOT IN (SELECT x.pid FROM ${cte(j)} x)`);
      }
      if (tier.gate) gates.push(tier.gate);
      const where = all([...gates, base, tier.where]);
      const body =
        tier.order !== "score"
          ? // The incremental sort on mrn only breaks ties between identical names.
            Prisma.sql`SELECT s.*, ${Prisma.raw(String(i + 1))} AS tier, row_number() OVER () AS rank FROM (
            SELECT p.id AS pid, ${OUTPUT_COLUMNS}, ${score("p", tier.familyBoost)} AS score
              FROM patient p
             WHERE ${where}
             ${tier.order === "index" ? Prisma.sql`ORDER BY p.family_search USING ~<~, p.name_search USING ~<~, p.mrn` : Prisma.empty}
             LIMIT ${need}::int
          ) s`
          : Prisma.sql`SELECT s.*, ${Prisma.raw(String(i + 1))} AS tier,
               row_number() OVER (ORDER BY s.score DESC, s.closeness DESC, s.family_search, s.name_sort, s.mrn) AS rank FROM (
          SELECT c.*, ${score("c", tier.familyBoost, Prisma.sql`c.closeness`)} AS score FROM (
            SELECT p.id AS pid, p.name_search, ${OUTPUT_COLUMNS}, similarity(p.name_search, ${folded}) AS closeness
              FROM patient p
             WHERE ${where}
             LIMIT ${cap}::int
          ) c
        ) s`;
      return Prisma.join([...(tier.with ?? []), Prisma.sql`${cte(i)} AS MATERIALIZED (${body})`], ", ");
    };

    // Every match was counted only if each tier that ran finished (an index or lookup tier stopped
    // short of `need`, a scored tier short of the cap) and no tier was skipped for lack of room. A
    // typo tier skipped because exact matches exist is not a miss: those are the matches.
    const complete = tiers.map((tier, i) => Prisma.sql`${countOf(i)} < ${tier.order === "score" ? cap : need}::int`);
    tiers.forEach((tier, i) => {
      if (i === 0 || tier.runs === "empty") return;
      complete.push(tier.runs === "typo" ? Prisma.sql`(${exactBefore(i)} > 0 OR ${foundBefore(i)} < ${need}::int)` : Prisma.sql`${foundBefore(i)} < ${need}::int`);
    });
    const total = Prisma.sql`CASE WHEN ${all(complete)} THEN ${foundBefore(tiers.length)} END`;
    const ranked = Prisma.join(tiers.map((_, i) => Prisma.sql`SELECT ${columns} FROM ${cte(i)}`), " UNION ALL ");
    const sql = Prisma.sql`WITH ${Prisma.join(tiers.map(cteOf), ", ")} ${page(ranked, total, input)}`;
    // The first tier alone, saying whether it filled the page (for BuiltSearch.fast).
    const first = Prisma.sql`WITH ${cteOf(tiers[0]!, 0)}
      ${page(Prisma.sql`SELECT ${columns} FROM t1`, Prisma.sql`NULL::bigint`, input, Prisma.sql`${countOf(0)} >= ${need}::int`)}`;
    return { sql, first };
  };

  const main = compose(tiers);
  const fallback = fallbackTiers.length ? compose(fallbackTiers).sql : undefined;
  // Tier A alone. When it fills the page the full statement would skip every other tier, so
  // both give the same rows (and a null total).
  const fast = tiers[0]?.order === "index" && tiers.length > 1 ? main.first : undefined;
  return { sql: main.sql, fast, fallback };
}

export function buildSearch(clinicId: string, input: ParsedSearchInput, today: Date = new Date()): BuiltSearch {
  const query = classifyQuery(input.q, today);
  switch (query.kind) {
    case "mrn":
      return { kind: "mrn", sql: buildExactSearch(clinicId, input, Prisma.sql`p.mrn = ${query.mrn}`, Prisma.sql`1`) };
    case "dob":
      return { kind: "dob", sql: buildExactSearch(clinicId, input, Prisma.sql`p.date_of_birth = ${query.dateOfBirth}::date`, Prisma.sql`1`) };
    case "phone": {
      const d = query.digits;
      // 10 digits: equality on the indexed digit columns. 7 digits: the last 7 of either number,
      // on the right(..., 7) expression indexes (patient_search_words migration).
      const [mobile, home] =
        d.length === 10
          ? [Prisma.sql`p.phone_mobile_digits = ${d}`, Prisma.sql`p.phone_home_digits = ${d}`]
          : [Prisma.sql`right(p.phone_mobile_digits, 7) = ${d}`, Prisma.sql`right(p.phone_home_digits, 7) = ${d}`];
      return { kind: "phone", sql: buildExactSearch(clinicId, input, Prisma.sql`(${mobile} OR ${home})`, Prisma.sql`CASE WHEN ${mobile} THEN 1 ELSE 0.9 END`) };
    }
    case "name":
      return { kind: "name", ...buildNameSearch(clinicId, input, query) };
  }
}

/** Rows of a built search to the output shape: the total rides on every row (alone when the page is empty). */
export function toSearchOutput(kind: SearchKind, rows: SearchRow[]): SearchOutput {
  const total = rows[0]?.total;
  return {
    kind,
    total: total === null || total === undefined ? null : Number(total),
    items: rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        id: row.id,
        mrn: row.mrn,
        givenName: row.givenName,
        familyName: row.familyName,
        preferredName: row.preferredName,
        dateOfBirth: row.dateOfBirth,
        sex: row.sex as SearchOutput["items"][number]["sex"],
        status: row.status as SearchOutput["items"][number]["status"],
        phoneMobile: row.phoneMobile,
        score: Math.round(Number(row.score) * 1000) / 1000,
      })),
  };
}

/**
 * Search a clinic's patients. Validates `input` itself (zod errors name the field), so callers
 * other than the tRPC procedure get the same checks. The caller audits the search.
 */
export async function searchPatients(clinicId: string, input: SearchInput): Promise<SearchOutput> {
  const built = buildSearch(clinicId, searchInput.parse(input));
  const rows = await runBuiltSearch(built, (sql) => db.$queryRaw<SearchRow[]>(sql));
  return toSearchOutput(built.kind, rows);
}

/**
 * Runs a built search with any executor: db.$queryRaw here, plain `pg` in the benchmark (so the
 * floor it measures is exactly these statements).
 */
export async function runBuiltSearch(built: BuiltSearch, query: (sql: Prisma.Sql) => Promise<SearchRow[]>): Promise<SearchRow[]> {
  if (built.fast) {
    const rows = await query(built.fast);
    if (rows[0]?.filled) return rows;
  }
  const rows = await query(built.sql);
  // total is 0 only when every tier ran to the end and found nobody (a page past the end has its total)
  if (built.fallback && rows[0] && rows[0].total !== null && Number(rows[0].total) === 0) return query(built.fallback);
  return rows;
}
