/**
 * `npm run demo`: everything a new user needs to see Carelane running on one machine. Checks that
 * PostgreSQL and Redis answer (starting them with Docker Compose when a Docker engine is there),
 * migrates, seeds the demo clinic when it is empty, builds, then runs the web server and the
 * worker until Ctrl-C.
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { applyMigrations, ensureDatabase } from "./db/engine.ts";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/carelane";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0";
const PORT = process.env.PORT ?? "3000";

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort), timeout: 2_000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

function dockerEngineRunning(): boolean {
  try {
    execSync("docker info", { stdio: "ignore", timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function checkServices() {
  let [pg, redis] = await Promise.all([reachable(DATABASE_URL, 5432), reachable(REDIS_URL, 6379)]);
  if ((!pg || !redis) && dockerEngineRunning()) {
    console.log("Starting PostgreSQL and Redis with docker compose…");
    execSync("docker compose up -d --wait", { stdio: "inherit" });
    [pg, redis] = await Promise.all([reachable(DATABASE_URL, 5432), reachable(REDIS_URL, 6379)]);
  }
  const problems: string[] = [];
  if (!pg) {
    problems.push(
      `PostgreSQL is not reachable at ${new URL(DATABASE_URL).host}. Start it with \`docker compose up -d postgres\`, ` +
        "or on Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    );
  }
  if (!redis) {
    problems.push(
      `Redis is not reachable at ${new URL(REDIS_URL).host}. Start it with \`docker compose up -d redis\`, ` +
        "or: redis-server --daemonize yes --bind 127.0.0.1 --port 6379",
    );
  }
  if (problems.length) {
    for (const p of problems) console.error(`carelane demo: ${p}`);
    process.exit(1);
  }
}

const run = (command: string) => execSync(command, { stdio: "inherit", env: { ...process.env, DATABASE_URL } });

await checkServices();
run("npm run --silent generate");
if (await ensureDatabase(DATABASE_URL)) console.log("Created the database.");
const applied = await applyMigrations(DATABASE_URL);
console.log(applied.length ? `Applied ${applied.length} migration(s).` : "Database schema is up to date.");
run("tsx prisma/seed.ts");
run("npm run --silent build");

const childEnv = { ...process.env, DATABASE_URL, REDIS_URL, PORT, NODE_ENV: "production" as const, CARELANE_DEMO: "1" };
const children: ChildProcess[] = [
  spawn("tsx", ["server/index.ts"], { stdio: "inherit", env: childEnv }),
  spawn("tsx", ["jobs/worker.ts"], { stdio: "inherit", env: childEnv }),
];

console.log(`
Carelane demo: http://localhost:${PORT}
Sign in as any of these (password: carelane-demo):
  admin@carelane.test       ADMIN
  physician@carelane.test   PHYSICIAN
  nurse@carelane.test       NURSE
  reception@carelane.test   RECEPTIONIST
  billing@carelane.test     BILLING
  manager@carelane.test     MANAGER
Press Ctrl-C to stop.
`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) {
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`carelane demo: a process exited (code ${code}); stopping.`);
      stop();
      process.exitCode = code ?? 1;
    }
  });
}
