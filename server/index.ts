import { env } from "./env.ts";
import { db } from "./db.ts";
import { closeRedis, redis } from "./redis.ts";
import { logger } from "./logger.ts";
import { closePublisher } from "./realtime/publish.ts";
import { closeQueues } from "../jobs/client.ts";
import { createWebServer, type RemixMode } from "./app.ts";

const remix: RemixMode = env.NODE_ENV === "production" ? "build" : "dev";
const server = await createWebServer({ port: env.PORT, remix });
logger.info({ port: env.PORT, remix }, "carelane web listening");
console.log(`Carelane is running at http://localhost:${env.PORT}`);

process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await server.close();
  await Promise.allSettled([closeQueues(), closePublisher(), db.$disconnect(), closeRedis(redis)]);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
