/**
 * Loads reference code sets into the database: ICD-10-CM (data/code-sets/icd10cm.csv) and LOINC
 * (data/code-sets/loinc-common.csv + loinc-vitals.csv; LOINC notice in data/code-sets/README.md),
 * RxNorm drugs and drug classes (rxnorm-common.csv, drug-allergy-classes.csv).
 *   tsx scripts/import-codes.ts           skip each set that is already loaded
 *   tsx scripts/import-codes.ts --force   upsert anyway (only changed rows are written)
 * DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/carelane.
 */
import { parseArgs } from "node:util";
import { importDrugs, importIcd10, importLoinc, type ImportResult } from "../server/codes/import.ts";

const { values } = parseArgs({ options: { force: { type: "boolean", default: false } } });
const sets: [name: string, label: string, load: () => Promise<ImportResult>][] = [
  ["icd10cm", "ICD-10", () => importIcd10(undefined, { force: values.force })],
  ["loinc", "LOINC", () => importLoinc(undefined, { force: values.force })],
  ["rxnorm", "RxNorm and drug classes", () => importDrugs(undefined, { force: values.force })],
];
for (const [name, label, load] of sets) {
  const started = performance.now();
  try {
    const result = await load();
    const ms = Math.round(performance.now() - started);
    console.log(
      result.skipped
        ? `${name}: already loaded, skipped (${ms} ms)`
        : `${name}: ${result.inserted} inserted, ${result.updated} updated (${ms} ms)`,
    );
  } catch (error) {
    console.error(`carelane: ${label} import failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
