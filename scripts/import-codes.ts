/**
 * Loads reference code sets into the database (today: ICD-10-CM from data/code-sets/icd10cm.csv).
 *   tsx scripts/import-codes.ts           skip when already loaded
 *   tsx scripts/import-codes.ts --force   upsert anyway (only changed rows are written)
 * DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/carelane.
 */
import { parseArgs } from "node:util";
import { importIcd10 } from "../server/codes/import.ts";

const { values } = parseArgs({ options: { force: { type: "boolean", default: false } } });
const started = performance.now();
try {
  const result = await importIcd10(undefined, { force: values.force });
  const ms = Math.round(performance.now() - started);
  console.log(
    result.skipped
      ? `icd10cm: already loaded, skipped (${ms} ms)`
      : `icd10cm: ${result.inserted} inserted, ${result.updated} updated (${ms} ms)`,
  );
} catch (error) {
  console.error(`carelane: ICD-10 import failed: ${(error as Error).message}`);
  process.exit(1);
}
