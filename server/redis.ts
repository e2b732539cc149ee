import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env.ts";

/**
 * Every Redis connection comes from here. BullMQ workers need maxRetriesPerRequest: null;
 * commands issued while Redis is down fail fast (enableOfflineQueue off for request-path clients)
 * so a request gets a clear 503 instead of hanging.
 */
export function createRedis(purpose: string, options: RedisOptions = {}): Redis {
  const client = new Redis(env.REDIS_URL, {
    connectionName: `carelane:${purpose}`,
    maxRetriesPerRequest: null,
    lazyConnect: false,
    ...options,
  });
  // ioredis reconnects on its own; without a listener an 'error' would crash the process.
  client.on("error", () => {});
  return client;
}

const globalForRedis = globalThis as unknown as { carelaneRedis?: Redis };

/** Shared connection for ordinary commands (health, rate limits, publish). */
export const redis: Redis =
  globalForRedis.carelaneRedis ?? createRedis("main", { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
globalForRedis.carelaneRedis = redis;

export async function checkRedis(): Promise<boolean> {
  try {
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  }
}

/** Closes a connection politely if Redis answers, and at once if it does not (shutdown must not hang). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "ready") {
    await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  }
  client.disconnect();
}
