import { RateLimiterRedis } from "rate-limiter-flexible";
import { env } from "../env.ts";
import { redis } from "../redis.ts";
import { logger } from "../logger.ts";

/**
 * Brute-force protection for sign-in: failed attempts are counted per account and per client
 * address in Redis (shared by every web process). Past the limit, even the right password is
 * refused until the window passes; the answer looks like any other failed sign-in.
 */
const WINDOW_SECONDS = 15 * 60;

const perAccount = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: `${env.REDIS_PREFIX}:signin-fail:account`,
  points: 10,
  duration: WINDOW_SECONDS,
  blockDuration: WINDOW_SECONDS,
});
const perAddress = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: `${env.REDIS_PREFIX}:signin-fail:ip`,
  points: 100,
  duration: WINDOW_SECONDS,
  blockDuration: WINDOW_SECONDS,
});

const exhausted = async (limiter: RateLimiterRedis, key: string) => {
  const state = await limiter.get(key);
  return state !== null && state.remainingPoints <= 0;
};

/** True when this account or address has failed too often. Fails open if Redis is down (sign-in must work). */
export async function signInBlocked(email: string, ip: string | null): Promise<boolean> {
  try {
    const [account, address] = await Promise.all([exhausted(perAccount, email), ip ? exhausted(perAddress, ip) : false]);
    return account || address;
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "sign-in rate limit unavailable; allowing the attempt");
    return false;
  }
}

export async function recordSignInFailure(email: string | null, ip: string | null): Promise<void> {
  const consume = (limiter: RateLimiterRedis, key: string) =>
    limiter.consume(key).catch((result: unknown) => {
      if (result instanceof Error) throw result; // a Redis error; a RateLimiterRes just means "now blocked"
    });
  try {
    await Promise.all([email ? consume(perAccount, email) : null, ip ? consume(perAddress, ip) : null]);
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "could not count a failed sign-in");
  }
}

export async function clearSignInFailures(email: string): Promise<void> {
  await perAccount.delete(email).catch(() => undefined);
}
