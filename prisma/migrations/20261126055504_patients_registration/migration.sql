-- CreateEnum
CREATE TYPE "MaritalStatus" AS ENUM ('SINGLE', 'MARRIED', 'DOMESTIC_PARTNER', 'DIVORCED', 'SEPARATED', 'WIDOWED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "IdentifierKind" AS ENUM ('SSN', 'NATIONAL_ID', 'DRIVERS_LICENSE');

-- CreateEnum
CREATE TYPE "TobaccoStatus" AS ENUM ('NEVER', 'FORMER', 'CURRENT_EVERY_DAY', 'CURRENT_SOME_DAYS', 'UNKNOWN');

-- DropIndex
DROP INDEX "patient_clinic_id_idx";

-- AlterTable
ALTER TABLE "patient" ADD COLUMN     "address_line1" TEXT,
ADD COLUMN     "address_line2" TEXT,
ADD COLUMN     "alerts" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "allow_email" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "allow_sms" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "city" TEXT,
ADD COLUMN     "country" TEXT NOT NULL DEFAULT 'US',
ADD COLUMN     "created_by_id" UUID,
ADD COLUMN     "deceased_on" DATE,
ADD COLUMN     "email" TEXT,
ADD COLUMN     "gender_identity" TEXT,
ADD COLUMN     "marital_status" "MaritalStatus",
ADD COLUMN     "merged_into_id" UUID,
ADD COLUMN     "middle_name" TEXT,
ADD COLUMN     "phone_home" TEXT,
ADD COLUMN     "phone_mobile" TEXT,
ADD COLUMN     "photo" BYTEA,
ADD COLUMN     "photo_content_type" TEXT,
ADD COLUMN     "postal_code" TEXT,
ADD COLUMN     "preferred_language" TEXT NOT NULL DEFAULT 'en',
ADD COLUMN     "preferred_name" TEXT,
ADD COLUMN     "primary_care_provider_id" UUID,
ADD COLUMN     "pronouns" TEXT,
ADD COLUMN     "region" TEXT;

-- CreateTable
CREATE TABLE "emergency_contact" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "emergency_contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient_identifier" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "kind" "IdentifierKind" NOT NULL,
    "issuer" TEXT,
    "key_id" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "lookup_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_identifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "icd10cm_code" (
    "code" TEXT NOT NULL,
    "code_dotted" TEXT NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "icd10cm_code_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "past_condition" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "icd10_code" TEXT,
    "description" TEXT NOT NULL,
    "onset_year" INTEGER,
    "resolved" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "recorded_by_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "past_condition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "past_surgery" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "procedure" TEXT NOT NULL,
    "performed_on" TEXT,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "recorded_by_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "past_surgery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "family_history_item" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "relative" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "icd10_code" TEXT,
    "age_at_onset" INTEGER,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "recorded_by_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "family_history_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "social_history" (
    "patient_id" UUID NOT NULL,
    "tobacco_status" "TobaccoStatus" NOT NULL DEFAULT 'UNKNOWN',
    "pack_years" DECIMAL(5,1),
    "alcohol" TEXT,
    "substances" TEXT,
    "occupation" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "recorded_by_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "social_history_pkey" PRIMARY KEY ("patient_id")
);

-- CreateTable
CREATE TABLE "patient_merge" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "survivor_id" UUID NOT NULL,
    "merged_id" UUID NOT NULL,
    "moved" JSONB NOT NULL,
    "prior_status" "PatientStatus" NOT NULL,
    "merged_by_id" UUID NOT NULL,
    "merged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undone_by_id" UUID,
    "undone_at" TIMESTAMPTZ(3),

    CONSTRAINT "patient_merge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "emergency_contact_patient_id_idx" ON "emergency_contact"("patient_id");

-- CreateIndex
CREATE INDEX "patient_identifier_lookup_hash_idx" ON "patient_identifier"("lookup_hash");

-- CreateIndex
CREATE UNIQUE INDEX "patient_identifier_patient_id_kind_key" ON "patient_identifier"("patient_id", "kind");

-- CreateIndex
CREATE INDEX "past_condition_patient_id_idx" ON "past_condition"("patient_id");

-- CreateIndex
CREATE INDEX "past_surgery_patient_id_idx" ON "past_surgery"("patient_id");

-- CreateIndex
CREATE INDEX "family_history_item_patient_id_idx" ON "family_history_item"("patient_id");

-- CreateIndex
CREATE INDEX "patient_merge_survivor_id_idx" ON "patient_merge"("survivor_id");

-- CreateIndex
CREATE INDEX "patient_merge_merged_id_idx" ON "patient_merge"("merged_id");

-- CreateIndex
CREATE INDEX "patient_clinic_id_date_of_birth_idx" ON "patient"("clinic_id", "date_of_birth");

-- CreateIndex
CREATE INDEX "patient_merged_into_id_idx" ON "patient"("merged_into_id");

-- AddForeignKey
ALTER TABLE "patient" ADD CONSTRAINT "patient_primary_care_provider_id_fkey" FOREIGN KEY ("primary_care_provider_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_contact" ADD CONSTRAINT "emergency_contact_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patient_identifier" ADD CONSTRAINT "patient_identifier_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "past_condition" ADD CONSTRAINT "past_condition_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "past_condition" ADD CONSTRAINT "past_condition_icd10_code_fkey" FOREIGN KEY ("icd10_code") REFERENCES "icd10cm_code"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "past_surgery" ADD CONSTRAINT "past_surgery_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "family_history_item" ADD CONSTRAINT "family_history_item_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "social_history" ADD CONSTRAINT "social_history_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: search. PostgreSQL does the work (trigram GIN indexes on folded names, indexed
-- phone digits); see server/modules/patients/search.ts for the queries these serve.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes this
-- wrapper safe to declare IMMUTABLE, which generated columns and indexes require.
CREATE OR REPLACE FUNCTION carelane_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $fn$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $fn$;

ALTER TABLE "patient"
  ADD COLUMN "name_search" text GENERATED ALWAYS AS (
    carelane_fold("given_name" || ' ' || coalesce("middle_name" || ' ', '') || "family_name" || coalesce(' ' || "preferred_name", ''))
  ) STORED,
  ADD COLUMN "family_search" text GENERATED ALWAYS AS (carelane_fold("family_name")) STORED,
  ADD COLUMN "phone_mobile_digits" text GENERATED ALWAYS AS (right(regexp_replace("phone_mobile", '\D', '', 'g'), 10)) STORED,
  ADD COLUMN "phone_home_digits" text GENERATED ALWAYS AS (right(regexp_replace("phone_home", '\D', '', 'g'), 10)) STORED;

CREATE INDEX "patient_name_search_trgm_idx" ON "patient" USING gin ("name_search" gin_trgm_ops);
CREATE INDEX "patient_family_search_idx" ON "patient" ("clinic_id", "family_search" text_pattern_ops);
CREATE INDEX "patient_phone_mobile_digits_idx" ON "patient" ("phone_mobile_digits");
CREATE INDEX "patient_phone_home_digits_idx" ON "patient" ("phone_home_digits");

-- A patient cannot be merged into itself, and only a MERGED record points at a survivor.
ALTER TABLE "patient" ADD CONSTRAINT "patient_merge_target_chk"
  CHECK ("merged_into_id" IS DISTINCT FROM "id" AND (("status" = 'MERGED') = ("merged_into_id" IS NOT NULL)));
ALTER TABLE "patient" ADD CONSTRAINT "patient_deceased_chk"
  CHECK (("status" = 'DECEASED') OR "deceased_on" IS NULL);
ALTER TABLE "social_history" ADD CONSTRAINT "social_history_pack_years_chk" CHECK ("pack_years" IS NULL OR "pack_years" >= 0);
