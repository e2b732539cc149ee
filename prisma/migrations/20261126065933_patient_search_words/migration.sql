-- Hand-written (no schema.prisma change): patient search, see server/modules/patients/search.ts
-- and docs/performance.md ("How the search stays fast"). Three things:
--   1. typo matching against the list of distinct name words (fuzzystrmatch's levenshtein on a
--      few hundred words, instead of trigram similarity on a million names);
--   2. seven-digit phone numbers served by an index;
--   3. a family-name index that also orders by the full name, so a family name's patients come
--      alphabetically and pages are stable.
-- Every CREATE INDEX here locks patient against writes while it builds (~5 s each on 1M rows).
-- The engine sends the file as one simple-protocol query, so it applies in one implicit
-- transaction: all of it or nothing. Each statement also tolerates its object being there
-- already (OR REPLACE, IF [NOT] EXISTS, triggers dropped first), so the file can be re-run on a
-- database where some part of it was created by hand.

-- 1. Name words --------------------------------------------------------------------------------

-- levenshtein_less_equal(). A trusted extension: no superuser needed.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- The words of a folded name (name_search): 'maria de la cruz-lopez' -> {maria,de,la,cruz,lopez}.
-- A name with an apostrophe also gives its words without it, as people type them:
-- 'sean o''brien' -> {sean,o,brien,sean,obrien} (repeats are harmless: the GIN index keeps a
-- word once per row, and the trigger below inserts distinct words).
-- IMMUTABLE so it can back an index. [:alnum:] follows the database's LC_CTYPE (C.UTF-8 here), so
-- letters of any script are kept. Search queries must use exactly this expression,
-- carelane_name_words(p.name_search), for the planner to match the index below.
CREATE OR REPLACE FUNCTION carelane_name_words(name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $fn$
    SELECT array_remove(regexp_split_to_array(name, '[^[:alnum:]]+'), '')
        || CASE WHEN strpos(name, '''') > 0 OR strpos(name, '’') > 0
                THEN array_remove(regexp_split_to_array(translate(name, '''’', ''), '[^[:alnum:]]+'), '')
                ELSE '{}'::text[] END
  $fn$;

-- Patients having any of a set of words: carelane_name_words(p.name_search) && ARRAY[...].
CREATE INDEX IF NOT EXISTS "patient_name_words_idx" ON "patient" USING gin (carelane_name_words("name_search"));

-- Every word that has appeared in a patient name, in any clinic (~7k for 1M synthetic patients; a
-- real population has tens of thousands). The typo step matches what was typed against this list,
-- then looks the matching words up in patient_name_words_idx, which is clinic-scoped by the query.
-- Never pruned: a word whose patients were renamed matches nobody, so it costs nothing. Not in
-- schema.prisma: only search.ts reads it, with raw SQL, and only the trigger below writes it.
CREATE TABLE IF NOT EXISTS "patient_name_word" (
  "word" text NOT NULL,
  CONSTRAINT "patient_name_word_pkey" PRIMARY KEY ("word")
);

-- Keeps the word list current. Cost on the registration path: ~16 us when every word is known
-- (a primary-key probe per word, nothing written), ~45 us per new word. ON CONFLICT DO NOTHING
-- makes concurrent registrations safe: two transactions adding the same new word both succeed
-- (the second waits for the first to end, then skips it). Words go in sorted order, so two
-- transactions adding the same new words always take them in the same order and cannot deadlock
-- over one patient's words.
CREATE OR REPLACE FUNCTION patient_name_word_collect() RETURNS trigger
  LANGUAGE plpgsql
  AS $fn$
BEGIN
  INSERT INTO "patient_name_word" ("word")
    SELECT DISTINCT w FROM unnest(carelane_name_words(NEW."name_search")) AS w ORDER BY w
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$fn$;

-- AFTER, because a BEFORE trigger does not see the generated name_search yet.
DROP TRIGGER IF EXISTS "patient_name_word_collect_insert" ON "patient";
DROP TRIGGER IF EXISTS "patient_name_word_collect_update" ON "patient";
CREATE TRIGGER "patient_name_word_collect_insert"
  AFTER INSERT ON "patient"
  FOR EACH ROW EXECUTE FUNCTION patient_name_word_collect();
CREATE TRIGGER "patient_name_word_collect_update"
  AFTER UPDATE OF "given_name", "middle_name", "family_name", "preferred_name" ON "patient"
  FOR EACH ROW WHEN (OLD."name_search" IS DISTINCT FROM NEW."name_search")
  EXECUTE FUNCTION patient_name_word_collect();

-- The words of the patients already there. The triggers above already hold a lock that keeps
-- registrations out until this migration commits, so no word can slip between the two.
INSERT INTO "patient_name_word" ("word")
  SELECT DISTINCT unnest(carelane_name_words("name_search")) FROM "patient"
  ON CONFLICT DO NOTHING;

-- Typo candidates are read as prefix ranges, a few hundred words that levenshtein then filters:
-- words starting with the typed word's first letter (any edit after it), and for an edit to the
-- first letter itself, words starting with its 2nd-3rd letters or its first two letters swapped
-- (prefix index), or whose 2nd-3rd letters are the typed 2nd-3rd or 1st-2nd (tail index).
CREATE INDEX IF NOT EXISTS "patient_name_word_prefix_idx" ON "patient_name_word" ("word" text_pattern_ops);
CREATE INDEX IF NOT EXISTS "patient_name_word_tail_idx" ON "patient_name_word" (substr("word", 2) text_pattern_ops);

-- 2. Seven-digit phone numbers ------------------------------------------------------------------

-- search.ts matches a local number with right(phone_*_digits, 7) = $1; without these that read
-- every row of the table (~550 ms on 1M patients).
CREATE INDEX IF NOT EXISTS "patient_phone_mobile_last7_idx" ON "patient" (right("phone_mobile_digits", 7));
CREATE INDEX IF NOT EXISTS "patient_phone_home_last7_idx" ON "patient" (right("phone_home_digits", 7));

-- 3. Family-name order --------------------------------------------------------------------------

-- Replaces (clinic_id, family_search text_pattern_ops): same prefix search, and the rows of one
-- family name come ordered by the whole folded name (given name first), so "smith" lists the
-- Smiths alphabetically and a page is the same page every time.
DROP INDEX IF EXISTS "patient_family_search_idx";
CREATE INDEX IF NOT EXISTS "patient_family_name_search_idx" ON "patient" ("clinic_id", "family_search" text_pattern_ops, "name_search" text_pattern_ops);
