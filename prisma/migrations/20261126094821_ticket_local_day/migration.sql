-- AlterTable
ALTER TABLE "appointment" ADD COLUMN     "ticket_date" DATE;

-- Hand-written: waiting-room tickets count per local day of the location, not per UTC day. A
-- unique index cannot look up the location's time zone, so each ticket carries its local date.
DROP INDEX "appointment_ticket_per_day";
UPDATE "appointment" a SET "ticket_date" = (a."starts_at" AT TIME ZONE l."time_zone")::date
  FROM "location" l
 WHERE l."id" = a."location_id" AND a."ticket" IS NOT NULL;
-- A local day that straddled a UTC midnight can hold one number twice (numbered as two UTC days):
-- renumber only such days, in order of arrival.
WITH clashing AS (
  SELECT "location_id", "ticket_date" FROM "appointment" WHERE "ticket" IS NOT NULL
   GROUP BY "location_id", "ticket_date" HAVING count(*) <> count(DISTINCT "ticket")
), renumbered AS (
  SELECT a."id", row_number() OVER (PARTITION BY a."location_id", a."ticket_date" ORDER BY a."arrived_at" NULLS LAST, a."ticket", a."id") AS ticket
    FROM "appointment" a JOIN clashing c ON c."location_id" = a."location_id" AND c."ticket_date" = a."ticket_date"
   WHERE a."ticket" IS NOT NULL
)
UPDATE "appointment" a SET "ticket" = r.ticket FROM renumbered r WHERE a."id" = r."id";
CREATE UNIQUE INDEX "appointment_ticket_per_day" ON "appointment" ("location_id", "ticket_date", "ticket") WHERE "ticket" IS NOT NULL;
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_ticket_has_date" CHECK ("ticket" IS NULL OR "ticket_date" IS NOT NULL);
-- A ticket written without its date (the demo seed, SQL by hand) gets the local date of its start,
-- which is the day it was issued on: check-in happens on the appointment's local day.
CREATE FUNCTION "appointment_ticket_date"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."ticket" IS NOT NULL AND NEW."ticket_date" IS NULL THEN
    SELECT (NEW."starts_at" AT TIME ZONE l."time_zone")::date INTO NEW."ticket_date" FROM "location" l WHERE l."id" = NEW."location_id";
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "appointment_ticket_date" BEFORE INSERT OR UPDATE OF "ticket" ON "appointment"
  FOR EACH ROW EXECUTE FUNCTION "appointment_ticket_date"();
