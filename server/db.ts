import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.ts";

export type { Prisma } from "./generated/prisma/client.ts";
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export type Db = PrismaClient | Tx;

// One client per process. Kept on globalThis because the dev server can evaluate modules twice.
const globalForDb = globalThis as unknown as { carelanePrisma?: PrismaClient };

export const db: PrismaClient =
  globalForDb.carelanePrisma ??
  new PrismaClient({
    adapter: new PrismaPg({
      connectionString: env.DATABASE_URL,
      max: 10,
      // A query that cannot get a connection in 10 s fails (503, "the database is busy") instead
      // of queueing without bound behind a burst or an unreachable server.
      connectionTimeoutMillis: 10_000,
    }),
    // Interactive transactions (reschedule, visit steps, other modules' multi-step writes). The
    // defaults, 2 s to get a connection and 5 s in all, are shorter than a burst can queue for
    // the pool on a busy two-core host, and the loser answered 500 (P2028, now a 503). Waiting up
    // to 5 s for a connection keeps a burst a queue rather than a failure; 15 s in all still ends
    // a transaction that holds row locks far longer than any of ours should.
    transactionOptions: { maxWait: 5_000, timeout: 15_000 },
  });
globalForDb.carelanePrisma = db;

export async function checkDb(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
