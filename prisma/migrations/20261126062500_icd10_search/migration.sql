-- Hand-written: ICD-10-CM code search (see server/codes/icd10.ts for the queries these serve).

CREATE INDEX IF NOT EXISTS "icd10cm_code_code_c_idx" ON "icd10cm_code" ("code" COLLATE "C");

CREATE INDEX IF NOT EXISTS "icd10cm_code_description_fts_idx" ON "icd10cm_code" USING gin (to_tsvector('simple', "description"));

ALTER TABLE "icd10cm_code" SET (parallel_workers = 0);

CREATE MATERIALIZED VIEW IF NOT EXISTS "icd10cm_word" AS
  SELECT word, ndoc FROM ts_stat($$SELECT to_tsvector('simple', description) FROM icd10cm_code$$);
CREATE UNIQUE INDEX IF NOT EXISTS "icd10cm_word_word_idx" ON "icd10cm_word" ("word" COLLATE "C");
CREATE INDEX IF NOT EXISTS "icd10cm_word_trgm_idx" ON "icd10cm_word" USING gin ("word" gin_trgm_ops);
