/**
 * Patient search: one box that takes a name (typos and accents forgiven), an MRN, a date of birth
 * or a phone number. PostgreSQL does the work with the indexes of the patients_registration
 * migration: a btree on (clinic_id, family_search text_pattern_ops), a trigram GIN on name_search,
 * btrees on the phone digit columns, (clinic_id, date_of_birth) and the unique mrn.
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
 * word_similarity threshold for the typo tier. The default 0.6 misses ordinary typos ("jonh" vs
 * "john" is 0.4, "smth" vs "smith" 0.4), so the tier lowers it for its own statement only, with
 * set_config(..., is_local => true) evaluated once in an InitPlan before the scan (see
 * buildNameSearch). Measured through Prisma on this machine (p50, concurrency 1): +0.07 ms for
 * set_config inside the statement; +0.35 ms for db.$transaction([SET LOCAL, query]) and +0.6 ms
 * for an interactive db.$transaction with SET LOCAL (extra round trips, a pinned connection).
 * set_limit() would change the session for whoever borrows the pooled connection next.
 */
export const TYPO_WORD_SIMILARITY = 0.4;

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
}

const OUTPUT_COLUMNS = Prisma.sql`
  p.id::text AS "id", p.mrn AS "mrn", p.given_name AS "givenName", p.family_name AS "familyName",
  p.preferred_name AS "preferredName", to_char(p.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
  p.sex::text AS "sex", p.status::text AS "status", p.phone_mobile AS "phoneMobile",
  p.family_search, p.given_name AS given_sort, p.date_of_birth`;

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
      return Prisma.sql`r.family_search ${dir}, r.given_sort ${dir}, r.mrn ${dir}`;
    case "dateOfBirth":
      return Prisma.sql`r.date_of_birth ${dir}, r.family_search, r.given_sort, r.mrn`;
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
    SELECT m.*, 1 AS tier, row_number() OVER (ORDER BY m.score DESC, m.family_search, m.given_sort, m.mrn) AS rank
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
   * shared by thousands costs only the rows shown. "score": candidates (at most the cap) ranked.
   */
  order: "index" | "score";
  /**
   * When a later tier runs: "fill" while the earlier tiers found fewer rows than the page needs,
   * "empty" only when they found none at all (typo matches are not mixed into exact ones).
   */
  runs?: "fill" | "empty";
  /** Runs with the lowered word_similarity threshold. */
  typo?: boolean;
}

/**
 * Name search. Tokens are folded in SQL with carelane_fold, the same function that fills
 * name_search and family_search, so "José" finds "Jose" and the reverse.
 *
 * Tiers, cheapest first; a later tier runs only when the earlier ones fell short (an InitPlan in
 * a one-time filter, so a skipped tier costs nothing) and excludes the rows they found:
 *  A. family name starts with the family token (btree, index order): "smi", "smith".
 *     Single-token queries, and queries whose tokens are all too short for trigrams ("j s").
 *  B. every token appears in the name: GIN trigram LIKE, every trigram required, so the index
 *     alone narrows "john smith" to a few dozen rows; ranked by score. Runs while A has not
 *     filled the page ("mary": the Marys, after the few family names starting "mary").
 *  C. typos: every token word-similar to some word of the name (`<%` on the GIN index, at
 *     TYPO_WORD_SIMILARITY): "jonh smth" finds John Smith. Ranked by score. Runs only when A
 *     and B found nothing: it is the expensive tier (10-100 ms on 1M names, see
 *     docs/performance.md), and a list of exact matches should not fill up with near misses.
 * Score: greatest(similarity(name, q), word_similarity(q, name)), +0.5 when the family name
 * starts with the family token (the one before a comma, else the last or the first).
 */
function buildNameSearch(clinicId: string, input: ParsedSearchInput, query: Extract<ClassifiedQuery, { kind: "name" }>): { sql: Prisma.Sql; fast?: Prisma.Sql } {
  const { tokens, familyFirst } = query;
  if (tokens.length === 0) {
    // Only punctuation was typed: nothing can match, but answer in the same shape.
    return { sql: Prisma.sql`SELECT NULL::text AS "id", 0::int AS "total"` };
  }
  const fold = (t: string) => Prisma.sql`carelane_fold(${t})`;
  const folded = fold(tokens.join(" "));
  const familyIndex = familyFirst ? 0 : tokens.length - 1;
  const familyToken = tokens[familyIndex]!;
  const familyPrefix = (alias: string, t: string) => Prisma.sql`${Prisma.raw(alias)}.family_search LIKE ${fold(t)} || '%'`;
  const score = (alias: string) => {
    const a = Prisma.raw(alias);
    // Western order puts the family name last, clinic habit often first: boost either.
    const candidates = familyFirst ? [familyToken] : [...new Set([familyToken, tokens[0]!])];
    const boost = Prisma.join(candidates.map((t) => familyPrefix(alias, t)), " OR ");
    return Prisma.sql`(greatest(similarity(${a}.name_search, ${folded}), word_similarity(${folded}, ${a}.name_search))
                       + CASE WHEN ${boost} THEN 0.5 ELSE 0 END)`;
  };

  const long = tokens.filter((t) => t.length >= MIN_TRIGRAM_TOKEN);
  // A word of the name starts with the token. The concatenation keeps the planner off the trigram
  // index for these: a one- or two-letter token's only trigram ("  j") is in a tenth of all names.
  const wordStarts = (t: string) => Prisma.sql`(' ' || p.name_search) LIKE '% ' || ${fold(t)} || '%'`;
  const shortFilters = tokens.filter((t) => t.length < MIN_TRIGRAM_TOKEN).map(wordStarts);
  const all = (parts: Prisma.Sql[]) => Prisma.join(parts, " AND ");

  const tiers: Tier[] = [];
  if (tokens.length === 1 || long.length === 0) {
    const others = tokens.filter((_, i) => i !== familyIndex);
    tiers.push({ where: all([familyPrefix("p", familyToken), ...others.map(wordStarts)]), order: "index" });
  }
  if (long.length > 0) {
    // GIN trigram LIKE: every trigram of every token must be present, so the index narrows well.
    tiers.push({ where: all([...long.map((t) => Prisma.sql`p.name_search LIKE '%' || ${fold(t)} || '%'`), ...shortFilters]), order: "score", runs: "fill" });
    // `<%` (word_similarity >= threshold) is the index-aware form; a bare word_similarity() > x
    // in WHERE would read every row of the clinic.
    tiers.push({ where: all([...long.map((t) => Prisma.sql`${fold(t)} <% p.name_search`), ...shortFilters]), order: "score", runs: "empty", typo: true });
  }

  // Relevance needs only the rows up to this page; the other orders re-sort the best matches.
  const need = input.sort === "relevance" ? input.offset + input.limit : Math.max(CANDIDATE_CAP, input.offset + input.limit);
  const cap = Math.max(CANDIDATE_CAP, need);
  const base = baseConditions(clinicId, input);
  const cte = (i: number) => Prisma.raw(`t${i + 1}`);
  const countOf = (i: number) => Prisma.sql`(SELECT count(*) FROM ${cte(i)})`;
  const foundBefore = (i: number) => Prisma.join(tiers.slice(0, i).map((_, j) => countOf(j)), " + ");

  const cteOf = (tier: Tier, i: number) => {
    const gates: Prisma.Sql[] = [];
    if (i > 0) {
      // No vars in it, so PostgreSQL evaluates it once as a one-time filter: a tier that is not
      // needed never touches an index.
      gates.push(tier.runs === "empty" ? Prisma.sql`${foundBefore(i)} = 0` : Prisma.sql`${foundBefore(i)} < ${need}::int`);
      for (let j = 0; j < i; j++) gates.push(Prisma.sql`p.id NOT IN (SELECT x.pid FROM ${cte(j)} x)`);
    }
    if (tier.typo) {
      // Also a one-time filter, so it runs before the index scan; is_local => true ends the setting
      // with this statement's implicit transaction, so the pooled connection is left as it was.
      gates.push(Prisma.sql`(SELECT set_config('pg_trgm.word_similarity_threshold', ${Prisma.raw(`'${TYPO_WORD_SIMILARITY}'`)}, true)) IS NOT NULL`);
    }
    const where = all([...gates, base, tier.where]);
    if (tier.order === "index") {
      return Prisma.sql`${cte(i)} AS MATERIALIZED (
        SELECT s.*, ${Prisma.raw(String(i + 1))} AS tier, row_number() OVER () AS rank FROM (
          SELECT p.id AS pid, ${OUTPUT_COLUMNS}, ${score("p")} AS score
            FROM patient p
           WHERE ${where}
           ORDER BY p.family_search USING ~<~
           LIMIT ${need}::int
        ) s
      )`;
    }
    return Prisma.sql`${cte(i)} AS MATERIALIZED (
      SELECT s.*, ${Prisma.raw(String(i + 1))} AS tier,
             row_number() OVER (ORDER BY s.score DESC, s.closeness DESC, s.family_search, s.given_sort, s.mrn) AS rank FROM (
        SELECT c.*, ${score("c")} AS score, similarity(c.name_search, ${folded}) AS closeness FROM (
          SELECT p.id AS pid, p.name_search, ${OUTPUT_COLUMNS}
            FROM patient p
           WHERE ${where}
           LIMIT ${cap}::int
        ) c
      ) s
    )`;
  };
  const ctes = tiers.map(cteOf);

  // Every match was counted only if each tier that ran finished (an index tier stopped short of
  // `need`, a scored tier short of the cap) and no "fill" tier was skipped for lack of room. A
  // typo tier skipped because exact matches exist is not a miss: those are the matches.
  const complete = tiers.map((tier, i) => Prisma.sql`${countOf(i)} < ${tier.order === "index" ? need : cap}::int`);
  tiers.forEach((tier, i) => {
    if (i > 0 && tier.runs !== "empty") complete.push(Prisma.sql`${foundBefore(i)} < ${need}::int`);
  });
  const total = Prisma.sql`CASE WHEN ${all(complete)} THEN ${foundBefore(tiers.length)} END`;
  const columns = Prisma.sql`"id", "mrn", "givenName", "familyName", "preferredName", "dateOfBirth", "sex", "status", "phoneMobile", family_search, given_sort, date_of_birth, score, tier, rank`;
  const ranked = Prisma.join(tiers.map((_, i) => Prisma.sql`SELECT ${columns} FROM ${cte(i)}`), " UNION ALL ");
  const sql = Prisma.sql`WITH ${Prisma.join(ctes, ", ")} ${page(ranked, total, input)}`;
  if (tiers[0]?.order !== "index" || tiers.length === 1) return { sql };
  // Tier A alone. When it fills the page the full statement would skip every other tier, so
  // both give the same rows (and a null total).
  const fast = Prisma.sql`WITH ${cteOf(tiers[0], 0)}
    ${page(Prisma.sql`SELECT ${columns} FROM t1`, Prisma.sql`NULL::bigint`, input, Prisma.sql`${countOf(0)} >= ${need}::int`)}`;
  return { sql, fast };
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
      // which no index serves yet (see docs/performance.md for the proposed expression index).
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
  return query(built.sql);
}
