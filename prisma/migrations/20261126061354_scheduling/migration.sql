-- CreateEnum
CREATE TYPE "AppointmentStatus" AS ENUM ('BOOKED', 'CONFIRMED', 'ARRIVED', 'ROOMED', 'IN_VISIT', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW');

-- CreateEnum
CREATE TYPE "AvailabilityExceptionKind" AS ENUM ('HOLIDAY', 'SICK', 'BLOCKED', 'EXTRA');

-- CreateEnum
CREATE TYPE "ReminderChannel" AS ENUM ('EMAIL', 'SMS');

-- CreateEnum
CREATE TYPE "ReminderStatus" AS ENUM ('SCHEDULED', 'SENT', 'SKIPPED', 'CANCELLED');

-- CreateTable
CREATE TABLE "provider" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "npi" TEXT NOT NULL,
    "specialty" TEXT NOT NULL,
    "color" TEXT NOT NULL DEFAULT '#2563eb',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointment_type" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "color" TEXT NOT NULL DEFAULT '#0ea5e9',
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "appointment_type_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,
    "weekday" INTEGER NOT NULL,
    "start_time" TEXT NOT NULL,
    "end_time" TEXT NOT NULL,
    "valid_from" DATE,
    "valid_to" DATE,

    CONSTRAINT "availability_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_exception" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "location_id" UUID,
    "date" DATE NOT NULL,
    "kind" "AvailabilityExceptionKind" NOT NULL,
    "start_time" TEXT,
    "end_time" TEXT,
    "reason" TEXT,
    "created_by_id" UUID NOT NULL,

    CONSTRAINT "availability_exception_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointment" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,
    "appointment_type_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "AppointmentStatus" NOT NULL DEFAULT 'BOOKED',
    "room" TEXT,
    "ticket" INTEGER,
    "reason" TEXT,
    "cancel_reason" TEXT,
    "outside_availability" BOOLEAN NOT NULL DEFAULT false,
    "arrived_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "appointment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointment_transition" (
    "id" BIGSERIAL NOT NULL,
    "appointment_id" UUID NOT NULL,
    "from_status" "AppointmentStatus",
    "to_status" "AppointmentStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "by_id" UUID,
    "note" TEXT,

    CONSTRAINT "appointment_transition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminder" (
    "id" UUID NOT NULL,
    "appointment_id" UUID NOT NULL,
    "channel" "ReminderChannel" NOT NULL,
    "offset_minutes" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "ReminderStatus" NOT NULL DEFAULT 'SCHEDULED',
    "sent_at" TIMESTAMPTZ(3),
    "skip_reason" TEXT,
    "generation" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "channel" "ReminderChannel" NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "ics" TEXT,
    "reminder_id" UUID,
    "generation" INTEGER,
    "transport" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "provider_user_id_key" ON "provider"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_npi_key" ON "provider"("npi");

-- CreateIndex
CREATE INDEX "provider_clinic_id_idx" ON "provider"("clinic_id");

-- CreateIndex
CREATE UNIQUE INDEX "appointment_type_clinic_id_name_key" ON "appointment_type"("clinic_id", "name");

-- CreateIndex
CREATE INDEX "availability_provider_id_weekday_idx" ON "availability"("provider_id", "weekday");

-- CreateIndex
CREATE INDEX "availability_exception_provider_id_date_idx" ON "availability_exception"("provider_id", "date");

-- CreateIndex
CREATE INDEX "appointment_location_id_starts_at_idx" ON "appointment"("location_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointment_provider_id_starts_at_idx" ON "appointment"("provider_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointment_patient_id_starts_at_idx" ON "appointment"("patient_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointment_status_starts_at_idx" ON "appointment"("status", "starts_at");

-- CreateIndex
CREATE INDEX "appointment_transition_appointment_id_idx" ON "appointment_transition"("appointment_id");

-- CreateIndex
CREATE INDEX "reminder_status_due_at_idx" ON "reminder"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "reminder_appointment_id_channel_offset_minutes_key" ON "reminder"("appointment_id", "channel", "offset_minutes");

-- CreateIndex
CREATE INDEX "outbox_message_clinic_id_created_at_idx" ON "outbox_message"("clinic_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_reminder_id_generation_key" ON "outbox_message"("reminder_id", "generation");

-- AddForeignKey
ALTER TABLE "provider" ADD CONSTRAINT "provider_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability" ADD CONSTRAINT "availability_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability" ADD CONSTRAINT "availability_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_exception" ADD CONSTRAINT "availability_exception_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_appointment_type_id_fkey" FOREIGN KEY ("appointment_type_id") REFERENCES "appointment_type"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment_transition" ADD CONSTRAINT "appointment_transition_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "appointment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder" ADD CONSTRAINT "reminder_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "appointment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: double booking is impossible, not merely checked. Active appointments of one
-- provider may not overlap (half-open ranges, so back-to-back slots are fine).
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_no_double_booking"
  EXCLUDE USING gist ("provider_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" NOT IN ('CANCELLED', 'NO_SHOW'));

-- One patient in a room at a time.
CREATE UNIQUE INDEX "appointment_one_patient_per_room" ON "appointment" ("location_id", "room")
  WHERE "room" IS NOT NULL AND "status" IN ('ROOMED', 'IN_VISIT');

-- Waiting-room tickets are unique per location and local day.
CREATE UNIQUE INDEX "appointment_ticket_per_day" ON "appointment" ("location_id", (("starts_at" AT TIME ZONE 'UTC')::date), "ticket")
  WHERE "ticket" IS NOT NULL;

ALTER TABLE "appointment" ADD CONSTRAINT "appointment_ends_after_start" CHECK ("ends_at" > "starts_at");
ALTER TABLE "appointment_type" ADD CONSTRAINT "appointment_type_duration" CHECK ("duration_minutes" BETWEEN 5 AND 480);
ALTER TABLE "availability" ADD CONSTRAINT "availability_weekday" CHECK ("weekday" BETWEEN 0 AND 6);
ALTER TABLE "availability" ADD CONSTRAINT "availability_times" CHECK ("start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "end_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "end_time" > "start_time");
ALTER TABLE "provider" ADD CONSTRAINT "provider_npi_format" CHECK ("npi" ~ '^[0-9]{10}$');
