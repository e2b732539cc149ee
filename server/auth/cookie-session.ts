import { decode } from "@auth/core/jwt";
import { parse } from "cookie";
import { LRUCache } from "lru-cache";
import { env, isProductionEnv } from "../env.ts";
import { resolveSession, type ActiveSession } from "./sessions.ts";

export const SESSION_COOKIE = `${isProductionEnv ? "__Secure-" : ""}authjs.session-token`;

/**
 * Decoded cookies, token → session id. Decrypting the Auth.js JWE (an HKDF key derivation plus
 * AES per request) was ~10% of a signed-in request's CPU; the result for a given token never
 * changes, so it is cached until the token's own expiry. This caches only the *decoding*: every
 * request still checks the session row (resolveSession), so signing out, idling out or disabling a
 * user still ends access at once. Bounded, so a flood of forged cookies cannot grow it.
 */
const decoded = new LRUCache<string, string>({ max: 10_000, ttl: 10 * 60_000, ttlAutopurge: false });

/** Session id from the Auth.js cookie, or null when absent, forged or expired. */
export async function sessionIdFromCookie(cookieHeader: string | undefined): Promise<string | null> {
  if (!cookieHeader) return null;
  const token = parse(cookieHeader)[SESSION_COOKIE];
  if (!token) return null;
  const cached = decoded.get(token);
  if (cached) return cached;
  try {
    const payload = await decode({ token, secret: env.AUTH_SECRET, salt: SESSION_COOKIE });
    if (typeof payload?.sid !== "string") return null;
    const untilExpiry = typeof payload.exp === "number" ? payload.exp * 1000 - Date.now() : 0;
    if (untilExpiry > 0) decoded.set(token, payload.sid, { ttl: Math.min(untilExpiry, 10 * 60_000) });
    return payload.sid;
  } catch {
    return null;
  }
}

/** The one session check for HTTP requests and socket handshakes. */
export async function sessionFromCookie(cookieHeader: string | undefined): Promise<ActiveSession | null> {
  const sid = await sessionIdFromCookie(cookieHeader);
  return sid ? resolveSession(sid) : null;
}
