-- CreateEnum
CREATE TYPE "PatientAllergyStatus" AS ENUM ('NOT_RECORDED', 'NO_KNOWN_ALLERGIES', 'HAS_ALLERGIES');

-- CreateEnum
CREATE TYPE "EncounterType" AS ENUM ('OFFICE_VISIT', 'NEW_PATIENT', 'FOLLOW_UP', 'ANNUAL_PHYSICAL', 'ACUTE', 'TELEHEALTH', 'PROCEDURE', 'OTHER');

-- CreateEnum
CREATE TYPE "EncounterStatus" AS ENUM ('OPEN', 'SIGNED');

-- CreateEnum
CREATE TYPE "ProblemStatus" AS ENUM ('ACTIVE', 'RESOLVED');

-- CreateEnum
CREATE TYPE "AllergyCategory" AS ENUM ('DRUG', 'FOOD', 'ENVIRONMENTAL', 'OTHER');

-- CreateEnum
CREATE TYPE "AllergySeverity" AS ENUM ('MILD', 'MODERATE', 'SEVERE', 'LIFE_THREATENING');

-- CreateEnum
CREATE TYPE "AllergyStatus" AS ENUM ('ACTIVE', 'INACTIVE', 'ENTERED_IN_ERROR');

-- CreateEnum
CREATE TYPE "MedicationStatus" AS ENUM ('ACTIVE', 'STOPPED');

-- CreateEnum
CREATE TYPE "MedicationSource" AS ENUM ('MANUAL', 'PRESCRIPTION');

-- CreateEnum
CREATE TYPE "LabOrderStatus" AS ENUM ('ORDERED', 'RESULTED', 'ACKNOWLEDGED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "AbnormalFlag" AS ENUM ('L', 'H', 'LL', 'HH', 'A', 'N');

-- AlterTable
ALTER TABLE "patient" ADD COLUMN     "allergy_status" "PatientAllergyStatus" NOT NULL DEFAULT 'NOT_RECORDED',
ADD COLUMN     "allergy_status_at" TIMESTAMPTZ(3),
ADD COLUMN     "allergy_status_by_id" UUID;

-- CreateTable
CREATE TABLE "loinc_code" (
    "code" TEXT NOT NULL,
    "long_common_name" TEXT NOT NULL,
    "component" TEXT NOT NULL,
    "system" TEXT,
    "example_unit" TEXT,
    "loinc_class" TEXT,
    "top2000_rank" INTEGER,
    "vital_sign" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "loinc_code_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "encounter" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "appointment_id" UUID,
    "provider_id" UUID NOT NULL,
    "location_id" UUID,
    "type" "EncounterType" NOT NULL,
    "reason_for_visit" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "EncounterStatus" NOT NULL DEFAULT 'OPEN',
    "signed_at" TIMESTAMPTZ(3),
    "signed_by_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "encounter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "note_template" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "encounter_type" "EncounterType" NOT NULL,
    "name" TEXT NOT NULL,
    "subjective" TEXT NOT NULL DEFAULT '',
    "objective" TEXT NOT NULL DEFAULT '',
    "assessment" TEXT NOT NULL DEFAULT '',
    "plan" TEXT NOT NULL DEFAULT '',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "note_template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "note" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "encounter_id" UUID NOT NULL,
    "template_id" UUID,
    "subjective" TEXT NOT NULL DEFAULT '',
    "objective" TEXT NOT NULL DEFAULT '',
    "assessment" TEXT NOT NULL DEFAULT '',
    "plan" TEXT NOT NULL DEFAULT '',
    "doc_state" BYTEA,
    "doc_state_update_id" BIGINT,
    "signed_at" TIMESTAMPTZ(3),
    "signed_by_id" UUID,
    "content_hash" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "note_doc_update" (
    "id" BIGSERIAL NOT NULL,
    "note_id" UUID NOT NULL,
    "update" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "note_doc_update_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "note_addendum" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "note_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "author_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "note_addendum_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vitals" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "encounter_id" UUID,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_by_id" UUID NOT NULL,
    "systolic_mmhg" INTEGER,
    "diastolic_mmhg" INTEGER,
    "heart_rate_per_min" INTEGER,
    "respiratory_rate_per_min" INTEGER,
    "temperature_c" DECIMAL(4,1),
    "spo2_percent" INTEGER,
    "height_cm" DECIMAL(4,1),
    "weight_kg" DECIMAL(5,2),
    "bmi" DECIMAL(6,1),
    "pain_score" INTEGER,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "vitals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "problem" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "icd10_code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "onset_date" DATE,
    "status" "ProblemStatus" NOT NULL DEFAULT 'ACTIVE',
    "resolved_at" DATE,
    "notes" TEXT,
    "deleted_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "problem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allergy" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "substance" TEXT NOT NULL,
    "rxcui" TEXT,
    "drug_class" TEXT,
    "category" "AllergyCategory" NOT NULL,
    "reaction" TEXT,
    "severity" "AllergySeverity",
    "status" "AllergyStatus" NOT NULL DEFAULT 'ACTIVE',
    "onset_date" DATE,
    "notes" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "allergy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "medication_statement" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "drug_name" TEXT NOT NULL,
    "rxcui" TEXT,
    "dose" TEXT,
    "route" TEXT,
    "frequency" TEXT,
    "start_date" DATE,
    "stop_date" DATE,
    "status" "MedicationStatus" NOT NULL DEFAULT 'ACTIVE',
    "source" "MedicationSource" NOT NULL DEFAULT 'MANUAL',
    "prescription_id" UUID,
    "notes" TEXT,
    "deleted_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "medication_statement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lab_order" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "encounter_id" UUID,
    "loinc_code" TEXT NOT NULL,
    "ordered_by_id" UUID NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "LabOrderStatus" NOT NULL DEFAULT 'ORDERED',
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,
    "notes" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "lab_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lab_result" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "lab_order_id" UUID,
    "loinc_code" TEXT NOT NULL,
    "value_numeric" DECIMAL(18,6),
    "value_text" TEXT,
    "unit" TEXT,
    "reference_low" DECIMAL(18,6),
    "reference_high" DECIMAL(18,6),
    "reference_text" TEXT,
    "abnormal_flag" "AbnormalFlag",
    "resulted_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_by_id" UUID,
    "acknowledged_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "lab_result_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "encounter_appointment_id_key" ON "encounter"("appointment_id");

-- CreateIndex
CREATE INDEX "encounter_patient_id_started_at_idx" ON "encounter"("patient_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "encounter_provider_id_started_at_idx" ON "encounter"("provider_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "encounter_clinic_id_status_idx" ON "encounter"("clinic_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "note_template_clinic_id_encounter_type_name_key" ON "note_template"("clinic_id", "encounter_type", "name");

-- CreateIndex
CREATE INDEX "note_patient_id_created_at_idx" ON "note"("patient_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "note_encounter_id_idx" ON "note"("encounter_id");

-- CreateIndex
CREATE INDEX "note_doc_update_note_id_id_idx" ON "note_doc_update"("note_id", "id");

-- CreateIndex
CREATE INDEX "note_addendum_note_id_created_at_idx" ON "note_addendum"("note_id", "created_at");

-- CreateIndex
CREATE INDEX "vitals_patient_id_taken_at_idx" ON "vitals"("patient_id", "taken_at" DESC);

-- CreateIndex
CREATE INDEX "vitals_encounter_id_idx" ON "vitals"("encounter_id");

-- CreateIndex
CREATE INDEX "problem_patient_id_created_at_idx" ON "problem"("patient_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "problem_patient_id_status_idx" ON "problem"("patient_id", "status");

-- CreateIndex
CREATE INDEX "allergy_patient_id_created_at_idx" ON "allergy"("patient_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "allergy_patient_id_status_idx" ON "allergy"("patient_id", "status");

-- CreateIndex
CREATE INDEX "medication_statement_patient_id_created_at_idx" ON "medication_statement"("patient_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "medication_statement_patient_id_status_idx" ON "medication_statement"("patient_id", "status");

-- CreateIndex
CREATE INDEX "lab_order_patient_id_ordered_at_idx" ON "lab_order"("patient_id", "ordered_at" DESC);

-- CreateIndex
CREATE INDEX "lab_order_clinic_id_status_ordered_at_idx" ON "lab_order"("clinic_id", "status", "ordered_at");

-- CreateIndex
CREATE INDEX "lab_order_encounter_id_idx" ON "lab_order"("encounter_id");

-- CreateIndex
CREATE INDEX "lab_result_patient_id_resulted_at_idx" ON "lab_result"("patient_id", "resulted_at" DESC);

-- CreateIndex
CREATE INDEX "lab_result_patient_id_loinc_code_resulted_at_idx" ON "lab_result"("patient_id", "loinc_code", "resulted_at" DESC);

-- CreateIndex
CREATE INDEX "lab_result_lab_order_id_idx" ON "lab_result"("lab_order_id");

-- AddForeignKey
ALTER TABLE "encounter" ADD CONSTRAINT "encounter_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "encounter" ADD CONSTRAINT "encounter_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "appointment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "encounter" ADD CONSTRAINT "encounter_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "encounter" ADD CONSTRAINT "encounter_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note" ADD CONSTRAINT "note_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note" ADD CONSTRAINT "note_encounter_id_fkey" FOREIGN KEY ("encounter_id") REFERENCES "encounter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note" ADD CONSTRAINT "note_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "note_template"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_doc_update" ADD CONSTRAINT "note_doc_update_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "note"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_addendum" ADD CONSTRAINT "note_addendum_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "note"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_encounter_id_fkey" FOREIGN KEY ("encounter_id") REFERENCES "encounter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "problem" ADD CONSTRAINT "problem_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "problem" ADD CONSTRAINT "problem_icd10_code_fkey" FOREIGN KEY ("icd10_code") REFERENCES "icd10cm_code"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allergy" ADD CONSTRAINT "allergy_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "medication_statement" ADD CONSTRAINT "medication_statement_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_order" ADD CONSTRAINT "lab_order_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_order" ADD CONSTRAINT "lab_order_encounter_id_fkey" FOREIGN KEY ("encounter_id") REFERENCES "encounter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_order" ADD CONSTRAINT "lab_order_loinc_code_fkey" FOREIGN KEY ("loinc_code") REFERENCES "loinc_code"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_result" ADD CONSTRAINT "lab_result_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_result" ADD CONSTRAINT "lab_result_lab_order_id_fkey" FOREIGN KEY ("lab_order_id") REFERENCES "lab_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_result" ADD CONSTRAINT "lab_result_loinc_code_fkey" FOREIGN KEY ("loinc_code") REFERENCES "loinc_code"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ============================================================================ hand-written

-- LOINC: the notice travels with the data.
COMMENT ON TABLE "loinc_code" IS 'This material contains content from LOINC® (http://loinc.org). LOINC is copyright © Regenstrief Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is available at no cost under the license at http://loinc.org/license. LOINC® is a registered United States trademark of Regenstrief Institute, Inc. Example units are UCUM codes (© Regenstrief Institute, Inc. and The UCUM Organization, https://ucum.org).';
ALTER TABLE "loinc_code" ADD CONSTRAINT "loinc_code_code_check" CHECK ("code" ~ '^[0-9]{1,7}-[0-9]$');
-- Lab-order pickers search by name ("hemoglobin a1c", "tsh").
CREATE INDEX "loinc_code_name_trgm_idx" ON "loinc_code" USING gin ("long_common_name" gin_trgm_ops);

-- Encounters: signed iff signedAt/signedById are set.
ALTER TABLE "encounter" ADD CONSTRAINT "encounter_signed_check" CHECK (
  ("status" = 'SIGNED') = ("signed_at" IS NOT NULL) AND ("signed_at" IS NULL) = ("signed_by_id" IS NULL));

-- Notes: signing sets signedAt, signedById and contentHash together.
ALTER TABLE "note" ADD CONSTRAINT "note_signed_check" CHECK (
  ("signed_at" IS NULL) = ("signed_by_id" IS NULL) AND ("signed_at" IS NULL) = ("content_hash" IS NULL));
ALTER TABLE "note" ADD CONSTRAINT "note_content_hash_check" CHECK ("content_hash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "note_addendum" ADD CONSTRAINT "note_addendum_content_hash_check" CHECK ("content_hash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "note_addendum" ADD CONSTRAINT "note_addendum_text_check" CHECK (btrim("text") <> '');

-- A signed note is never changed or deleted: every UPDATE and DELETE of a row whose signed_at is set
-- is refused, whatever the columns (signing itself is the last UPDATE: it starts from signed_at NULL).
-- TRUNCATE is refused while any signed note exists. Only disabling the triggers (table owner or
-- superuser) gets around this, as for audit_event.
CREATE FUNCTION note_refuse_signed_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.signed_at IS NOT NULL THEN
    RAISE EXCEPTION 'signed note is immutable: % of note % is not allowed (signed at %)', TG_OP, OLD.id, OLD.signed_at
      USING HINT = 'A signed note is never changed or deleted; write an addendum instead.';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER note_signed_immutable
  BEFORE UPDATE OR DELETE ON "note"
  FOR EACH ROW EXECUTE FUNCTION note_refuse_signed_change();

CREATE FUNCTION note_refuse_truncate_signed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM note WHERE signed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'signed note is immutable: TRUNCATE of % is not allowed while it holds signed notes', TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER note_no_truncate_signed
  BEFORE TRUNCATE ON "note"
  FOR EACH STATEMENT EXECUTE FUNCTION note_refuse_truncate_signed();

-- Yjs updates: never rewritten; none added to (or removed from) a signed note. The INSERT check
-- takes FOR SHARE on the note row, so it queues behind a signing transaction that holds the row and
-- then sees its signed_at (READ COMMITTED re-reads the updated row): no update can slip in after
-- a signature. Conversely, signing waits for in-flight inserts to commit. (A cascading delete of an
-- unsigned note finds no note row here and passes.)
CREATE FUNCTION note_doc_update_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  nid uuid;
  signed timestamptz;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'note_doc_update rows are immutable: UPDATE is not allowed'
      USING HINT = 'Append a new Yjs update instead.';
  END IF;
  IF TG_OP = 'INSERT' THEN
    nid := NEW.note_id;
    SELECT signed_at INTO signed FROM note WHERE id = nid FOR SHARE;
  ELSE
    nid := OLD.note_id;
    SELECT signed_at INTO signed FROM note WHERE id = nid;
  END IF;
  IF signed IS NOT NULL THEN
    RAISE EXCEPTION 'signed note is immutable: % of a document update for note % is not allowed (signed at %)',
      TG_OP, nid, signed
      USING HINT = 'A signed note is never changed; write an addendum instead.';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER note_doc_update_guard
  BEFORE INSERT OR UPDATE OR DELETE ON "note_doc_update"
  FOR EACH ROW EXECUTE FUNCTION note_doc_update_guard();

-- Addenda: only on a signed note, of the same patient and clinic; immutable once written.
CREATE FUNCTION note_addendum_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  n record;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'note addendum is immutable: % is not allowed', TG_OP
      USING HINT = 'An addendum is never changed or removed; write another addendum instead.';
  END IF;
  SELECT signed_at, patient_id, clinic_id INTO n FROM note WHERE id = NEW.note_id;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key reports the missing note
  END IF;
  IF n.signed_at IS NULL THEN
    RAISE EXCEPTION 'note % is not signed: addenda are only for signed notes', NEW.note_id
      USING HINT = 'Edit the note itself until it is signed.';
  END IF;
  IF n.patient_id <> NEW.patient_id OR n.clinic_id <> NEW.clinic_id THEN
    RAISE EXCEPTION 'note addendum must belong to the same patient and clinic as note %', NEW.note_id;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER note_addendum_guard
  BEFORE INSERT OR UPDATE OR DELETE ON "note_addendum"
  FOR EACH ROW EXECUTE FUNCTION note_addendum_guard();

CREATE TRIGGER note_addendum_no_truncate
  BEFORE TRUNCATE ON "note_addendum"
  FOR EACH STATEMENT EXECUTE FUNCTION note_addendum_guard();

-- Vitals: metric; values no living patient can have are refused (typos, °F typed as °C, lb as kg).
ALTER TABLE "vitals"
  ADD CONSTRAINT "vitals_systolic_check" CHECK ("systolic_mmhg" BETWEEN 40 AND 300),
  ADD CONSTRAINT "vitals_diastolic_check" CHECK ("diastolic_mmhg" BETWEEN 20 AND 200),
  ADD CONSTRAINT "vitals_bp_order_check" CHECK ("diastolic_mmhg" < "systolic_mmhg"),
  ADD CONSTRAINT "vitals_heart_rate_check" CHECK ("heart_rate_per_min" BETWEEN 20 AND 300),
  ADD CONSTRAINT "vitals_respiratory_rate_check" CHECK ("respiratory_rate_per_min" BETWEEN 2 AND 100),
  ADD CONSTRAINT "vitals_temperature_check" CHECK ("temperature_c" BETWEEN 14.0 AND 47.0),
  ADD CONSTRAINT "vitals_spo2_check" CHECK ("spo2_percent" BETWEEN 30 AND 100),
  ADD CONSTRAINT "vitals_height_check" CHECK ("height_cm" BETWEEN 20.0 AND 275.0),
  ADD CONSTRAINT "vitals_weight_check" CHECK ("weight_kg" BETWEEN 0.20 AND 700.00),
  ADD CONSTRAINT "vitals_pain_check" CHECK ("pain_score" BETWEEN 0 AND 10),
  ADD CONSTRAINT "vitals_any_check" CHECK (num_nonnulls("systolic_mmhg", "diastolic_mmhg", "heart_rate_per_min",
    "respiratory_rate_per_min", "temperature_c", "spo2_percent", "height_cm", "weight_kg", "pain_score") > 0);

-- BMI is computed by the database from the same row's height and weight.
ALTER TABLE "vitals" DROP COLUMN "bmi";
ALTER TABLE "vitals" ADD COLUMN "bmi" DECIMAL(6,1)
  GENERATED ALWAYS AS (round("weight_kg" / (("height_cm" / 100) * ("height_cm" / 100)), 1)) STORED;
ALTER TABLE "vitals" ADD CONSTRAINT "vitals_bmi_check" CHECK ("bmi" BETWEEN 3 AND 250);

-- Problems
ALTER TABLE "problem"
  ADD CONSTRAINT "problem_resolved_check" CHECK ("resolved_at" IS NULL OR "status" = 'RESOLVED'),
  ADD CONSTRAINT "problem_dates_check" CHECK ("resolved_at" >= "onset_date"),
  ADD CONSTRAINT "problem_description_check" CHECK (btrim("description") <> '');

-- Allergies
ALTER TABLE "allergy"
  ADD CONSTRAINT "allergy_substance_check" CHECK (btrim("substance") <> ''),
  ADD CONSTRAINT "allergy_rxcui_check" CHECK ("rxcui" ~ '^[0-9]{1,10}$');

-- Medications
ALTER TABLE "medication_statement"
  ADD CONSTRAINT "medication_statement_drug_name_check" CHECK (btrim("drug_name") <> ''),
  ADD CONSTRAINT "medication_statement_rxcui_check" CHECK ("rxcui" ~ '^[0-9]{1,10}$'),
  ADD CONSTRAINT "medication_statement_dates_check" CHECK ("stop_date" >= "start_date"),
  ADD CONSTRAINT "medication_statement_source_check" CHECK ("prescription_id" IS NULL OR "source" = 'PRESCRIPTION');

-- Labs
ALTER TABLE "lab_order"
  ADD CONSTRAINT "lab_order_cancelled_check" CHECK (("status" = 'CANCELLED') = ("cancelled_at" IS NOT NULL));
ALTER TABLE "lab_result"
  ADD CONSTRAINT "lab_result_value_check" CHECK ("value_numeric" IS NOT NULL OR "value_text" IS NOT NULL),
  ADD CONSTRAINT "lab_result_range_check" CHECK ("reference_low" <= "reference_high"),
  ADD CONSTRAINT "lab_result_acknowledged_check" CHECK (("acknowledged_at" IS NULL) = ("acknowledged_by_id" IS NULL));
-- The clinician's "results to review" inbox.
CREATE INDEX "lab_result_unacknowledged_idx" ON "lab_result" ("clinic_id", "resulted_at" DESC) WHERE "acknowledged_at" IS NULL;
