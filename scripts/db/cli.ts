/**
 * Database migrations for Carelane (wasm schema engine; see docs/database-migrations.md).
 *
 *   tsx scripts/db/cli.ts migrate            create the database if needed, apply pending migrations
 *   tsx scripts/db/cli.ts migration <name>   write prisma/migrations/<timestamp>_<name>/ from schema changes
 *   tsx scripts/db/cli.ts drop               drop the database (WITH (FORCE))
 *
 * DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/carelane. Set DEBUG=1 for engine logs
 * and stack traces (on stderr).
 */
import {
  applyMigrations,
  createMigration,
  DatabaseUnreachableError,
  DEFAULT_DATABASE_URL,
  displayPath,
  dropDatabase,
  engineErrorMessage,
  ensureDatabase,
} from "./engine.ts";

const USAGE = "usage: tsx scripts/db/cli.ts migrate | migration <name> | drop";
const START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

class UsageError extends Error {}

function databaseUrl(): string {
  const fromEnv = process.env.DATABASE_URL;
  return fromEnv !== undefined && fromEnv.trim() !== "" ? fromEnv.trim() : DEFAULT_DATABASE_URL;
}

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  } catch {
    return "(invalid DATABASE_URL)";
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "migrate": {
      if (rest.length > 0) throw new UsageError(USAGE);
      const url = databaseUrl();
      if (await ensureDatabase(url)) process.stderr.write(`created database ${databaseName(url)}\n`);
      const applied = await applyMigrations(url);
      if (applied.length === 0) {
        console.log("database is up to date");
      } else {
        for (const name of applied) console.log(`applied ${name}`);
      }
      return;
    }
    case "migration": {
      const [name, ...extra] = rest;
      if (name === undefined || extra.length > 0) throw new UsageError("usage: tsx scripts/db/cli.ts migration <name>");
      const result = await createMigration(name);
      if (result.created) {
        console.log(`created ${displayPath(result.sqlPath)}`);
        console.log("review it, append any hand-written SQL now, then run: tsx scripts/db/cli.ts migrate");
      } else {
        console.log(`nothing to do: ${result.reason}; no migration written`);
      }
      return;
    }
    case "drop": {
      if (rest.length > 0) throw new UsageError(USAGE);
      const url = databaseUrl();
      const name = databaseName(url);
      console.log((await dropDatabase(url)) ? `dropped database ${name}` : `database ${name} does not exist`);
      return;
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      if (command === undefined) throw new UsageError(USAGE);
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; ${USAGE}`);
  }
}

function oneLine(error: unknown): string {
  if (error instanceof DatabaseUnreachableError) {
    if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
      return `${error.message}; check the host in DATABASE_URL`;
    }
    return `${error.message}; if it is the local server, start it with: ${START_POSTGRES}`;
  }
  return engineErrorMessage(error).replace(/\s+/g, " ").trim() || "unknown error";
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (process.env.DEBUG && !(error instanceof UsageError)) console.error(error);
  console.error(`error: ${oneLine(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
