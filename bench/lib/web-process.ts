/**
 * The web server as production runs it, in its own Node process (`tsx tests/helpers/web-process.ts`,
 * no Remix), on the benchmark database. Benchmarks keep their HTTP clients in their own process:
 * a server sharing its one event loop with four client loops queues requests behind the clients'
 * own work (measured in docs/performance.md, "Patient search", known limits 1).
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_DATABASE_URL } from "./bench-db.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface WebProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then wait for the exit (the server closes its connections first). */
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts it and waits for "web process ready". `nodeArgs` go to node itself (e.g. --cpu-prof);
 * `root` runs another checkout's server (e.g. a patched copy, to measure a proposed change).
 */
export async function startWebProcess(nodeArgs: string[] = [], env: Record<string, string> = {}, root = ROOT): Promise<WebProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "tests/helpers/web-process.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: BENCH_DATABASE_URL,
      REDIS_PREFIX: process.env.REDIS_PREFIX ?? "carelane-bench",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web process did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("web process ready")) {
        clearTimeout(timer);
        child.removeListener("exit", onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`web process exited with ${code}:\n${output}`));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
  });
  // Keep reading its output so a chatty server never blocks on a full pipe; show errors.
  child.stdout!.removeAllListeners("data").resume();
  child.stderr!.removeAllListeners("data").on("data", (chunk: Buffer) => process.stderr.write(`[web] ${chunk.toString()}`));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
