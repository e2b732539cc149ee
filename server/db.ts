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
  new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DATABASE_URL, max: 10 }) });
globalForDb.carelanePrisma = db;

export async function checkDb(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
