-- AlterTable
ALTER TABLE "note_template" ADD COLUMN     "is_default" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "encounter_type" DROP NOT NULL;

-- AlterTable
ALTER TABLE "vitals" ADD COLUMN     "entered_in_error_at" TIMESTAMPTZ(3);

-- Hand-written: note template defaults and names.
-- A default is what a new note of its type starts from: only an active template with a type.
ALTER TABLE "note_template" ADD CONSTRAINT "note_template_default_check" CHECK (NOT "is_default" OR ("active" AND "encounter_type" IS NOT NULL));
-- At most one default per clinic and encounter type, held by the database (two saves racing: one wins).
CREATE UNIQUE INDEX "note_template_one_default" ON "note_template" ("clinic_id", "encounter_type") WHERE "is_default";
-- Names are unique per clinic and type; the (clinic, type, name) key lets NULL types repeat a name, this does not.
CREATE UNIQUE INDEX "note_template_any_type_name_key" ON "note_template" ("clinic_id", "name") WHERE "encounter_type" IS NULL;
-- Existing clinics: the built-in template of each type becomes its default (server/modules/charts/templates.ts).
UPDATE "note_template" t SET "is_default" = true
  FROM (VALUES ('OFFICE_VISIT', 'Office visit'), ('NEW_PATIENT', 'New patient'), ('FOLLOW_UP', 'Follow-up'),
               ('ANNUAL_PHYSICAL', 'Annual physical'), ('ACUTE', 'Acute visit'), ('TELEHEALTH', 'Telehealth visit'),
               ('PROCEDURE', 'Procedure note'), ('OTHER', 'SOAP note')) AS b(encounter_type, name)
 WHERE t."encounter_type"::text = b.encounter_type AND t."name" = b.name AND t."active";

-- Hand-written: vitals marked entered in error are read past by the trend and summary index.
CREATE INDEX "vitals_patient_id_taken_at_current_idx" ON "vitals" ("patient_id", "taken_at" DESC) WHERE "entered_in_error_at" IS NULL;
