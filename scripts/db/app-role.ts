/**
 * The database role the application runs as in production: it can read and write what the app
 * writes, and no more. Migrations, code-set imports and the seed run as the schema owner; the web
 * and worker processes connect as this role (DATABASE_URL=postgresql://carelane_app:…@host/carelane).
 *
 *   DATABASE_URL=<owner url> APP_ROLE_PASSWORD=… npx tsx scripts/db/app-role.ts [--role carelane_app]
 *
 * Idempotent: creates the role if missing, then (re)grants. Run it after every `npm run db:migrate`
 * (new tables get no privileges until then: deny by default).
 *
 * Beyond the triggers (which hold for every role but a superuser), privileges refuse outright:
 * changing or deleting audit rows, signed-off history (addenda, appointment transitions), the
 * migration log, and the reference code sets.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** Tables the app only reads. */
const READ_ONLY = ["_prisma_migrations", "icd10cm_code", "loinc_code", "rxnorm_drug", "drug_class_member"];
/** Tables the app appends to and reads, never changes or deletes from. */
const APPEND_ONLY = ["audit_event", "note_addendum", "appointment_transition", "outbox_message"];
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export async function grantAppRole(databaseUrl: string, role: string, password?: string): Promise<void> {
  if (!IDENTIFIER.test(role)) throw new Error(`app role: "${role}" is not a plain lower-case identifier`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const database = (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]!.db;
    // Roles are cluster-wide; two callers at once must not both create it.
    await client.query("SELECT pg_advisory_lock(7410020)");
    try {
      const exists = (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
      if (!exists) await client.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT`);
    } finally {
      await client.query("SELECT pg_advisory_unlock(7410020)");
    }
    if (password) await client.query(`ALTER ROLE ${role} PASSWORD ${client.escapeLiteral(password)}`);
    const quoted = client.escapeIdentifier(database);
    const tables = (await client.query<{ name: string }>("SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")).rows.map((r) => r.name);
    const unknown = [...READ_ONLY, ...APPEND_ONLY].filter((t) => !tables.includes(t));
    if (unknown.length) throw new Error(`app role: tables not found (migrate first?): ${unknown.join(", ")}`);
    await client.query("BEGIN");
    await client.query(`GRANT CONNECT ON DATABASE ${quoted} TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await client.query(`REVOKE INSERT, UPDATE, DELETE ON ${READ_ONLY.join(", ")} FROM ${role}`);
    await client.query(`REVOKE UPDATE, DELETE ON ${APPEND_ONLY.join(", ")} FROM ${role}`);
    // The typo-tolerant ICD-10 search reads this materialized view.
    await client.query(`GRANT SELECT ON icd10cm_word TO ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { role: { type: "string", default: "carelane_app" } } });
  const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/carelane";
  try {
    await grantAppRole(url, values.role!, process.env.APP_ROLE_PASSWORD);
    console.log(`app role ${values.role} can use ${new URL(url).pathname.slice(1)}`);
  } catch (error) {
    console.error(`carelane: ${(error as Error).message}`);
    process.exit(1);
  }
}
