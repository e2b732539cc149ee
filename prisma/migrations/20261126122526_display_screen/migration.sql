-- CreateTable
CREATE TABLE "display_screen" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,

    CONSTRAINT "display_screen_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "display_screen_token_hash_key" ON "display_screen"("token_hash");

-- CreateIndex
CREATE INDEX "display_screen_clinic_id_location_id_idx" ON "display_screen"("clinic_id", "location_id");

-- AddForeignKey
ALTER TABLE "display_screen" ADD CONSTRAINT "display_screen_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the token hash is a SHA-256 in hex; a screen's name is something a person typed.
ALTER TABLE "display_screen" ADD CONSTRAINT "display_screen_token_hash_check" CHECK ("token_hash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "display_screen" ADD CONSTRAINT "display_screen_name_check" CHECK (length(btrim("name")) BETWEEN 1 AND 80);
