import { createHash, randomBytes, randomInt } from "node:crypto";
import { parse } from "cookie";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { endSession } from "../../auth/sessions.ts";
import { db } from "../../db.ts";
import { env, isProductionEnv } from "../../env.ts";
import { DomainError, notFound, unavailable } from "../../errors.ts";
import { logger } from "../../logger.ts";
import { redis } from "../../redis.ts";
import { disconnectScreen, disconnectSession } from "../../realtime/publish.ts";
import { waitingRoomScreen } from "./service.ts";

/**
 * Waiting-room screens: a TV's browser paired to one location. Its credential is a random token in
 * an httpOnly cookie (the database stores its SHA-256) that shows that location's public board
 * (tickets and initials) and nothing else: no tRPC, no socket rooms beyond the location's `/screen`
 * namespace room, and it never idles out. Staff unpair it from the location's screen page.
 *
 * Two ways to pair:
 * - on the TV: a staff member signs in there and pairs "this browser"; the staff session in that
 *   browser ends at once (pairScreen);
 * - by code, for a TV where typing a password is a chore: the unpaired /screen page holds a pending
 *   token (its cookie) and shows an 8-character code, kept in Redis for 10 minutes; staff type the
 *   code on their own computer (pairScreenByCode) and the TV's next poll finds itself paired.
 *   Wrong codes are limited per user, so codes cannot be guessed.
 */

export const SCREEN_COOKIE = `${isProductionEnv ? "__Host-" : ""}carelane.screen`;
/** A year: a screen is revoked by staff, not by time; the cookie is renewed whenever the page loads. */
export const SCREEN_COOKIE_MAX_AGE_S = 365 * 24 * 3600;
const TOUCH_EVERY_MS = 5 * 60_000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface PairedScreen {
  id: string;
  clinicId: string;
  locationId: string;
  locationName: string;
  timeZone: string;
  name: string;
}

/** The Set-Cookie value that stores (or, with null, clears) a screen's token in this browser. */
export function screenCookie(token: string | null): string {
  const attributes = ["Path=/", "HttpOnly", "SameSite=Lax", ...(isProductionEnv ? ["Secure"] : [])];
  return token === null ? [`${SCREEN_COOKIE}=`, "Max-Age=0", ...attributes].join("; ") : [`${SCREEN_COOKIE}=${token}`, `Max-Age=${SCREEN_COOKIE_MAX_AGE_S}`, ...attributes].join("; ");
}

/**
 * Pairs the caller's browser as the screen of a location: creates the screen, ends the caller's
 * own session (the TV must not stay signed in as a person) and returns the token for the cookie.
 */
export async function pairScreen(actor: ScopedActor, input: { locationId: string; name: string }) {
  const location = await db.location.findFirst({ where: { id: input.locationId, clinicId: actor.clinicId }, select: { id: true } });
  if (!location) throw notFound("Location");
  const token = randomBytes(32).toString("base64url");
  const screen = await db.$transaction(async (tx) => {
    const row = await tx.displayScreen.create({
      data: { clinicId: actor.clinicId, locationId: location.id, name: input.name, tokenHash: hashToken(token), createdById: actor.userId },
      select: { id: true, name: true },
    });
    await audit(tx, actor, { action: "scheduling.screen.paired", resourceType: "DisplayScreen", resourceId: row.id, reason: input.name });
    return row;
  });
  if (actor.sessionId && (await endSession(actor.sessionId, "signed-out"))) await disconnectSession(actor.sessionId);
  return { screen, token };
}

/** The screen a request's cookie belongs to, or null (no cookie, unknown or revoked token). */
export async function screenFromCookie(cookieHeader: string | undefined): Promise<PairedScreen | null> {
  const token = cookieHeader ? parse(cookieHeader)[SCREEN_COOKIE] : undefined;
  if (!token || token.length > 100) return null;
  const row = await db.displayScreen.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, clinicId: true, locationId: true, name: true, revokedAt: true, lastSeenAt: true, location: { select: { name: true, timeZone: true } } },
  });
  if (!row || row.revokedAt) return null;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    // "Last seen" on the staff list; a conditional update, so concurrent loads do not pile up writes.
    await db.displayScreen.updateMany({ where: { id: row.id, lastSeenAt: row.lastSeenAt }, data: { lastSeenAt: new Date() } });
  }
  return { id: row.id, clinicId: row.clinicId, locationId: row.locationId, locationName: row.location.name, timeZone: row.location.timeZone, name: row.name };
}

/** What a paired screen shows. */
export async function screenView(screen: PairedScreen) {
  return { locationId: screen.locationId, locationName: screen.locationName, timeZone: screen.timeZone, rows: await waitingRoomScreen(screen.locationId, screen.timeZone) };
}

/** A location's screens (revoked ones too, most recent first), for the staff page. */
export async function listScreens(actor: ScopedActor, locationId: string) {
  const rows = await db.displayScreen.findMany({
    where: { clinicId: actor.clinicId, locationId },
    select: { id: true, name: true, createdAt: true, createdById: true, lastSeenAt: true, revokedAt: true },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: 50,
  });
  const people = await db.user.findMany({ where: { id: { in: rows.map((r) => r.createdById) } }, select: { id: true, name: true } });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  return rows.map(({ createdById, ...r }) => ({ ...r, pairedBy: nameOf.get(createdById) ?? null }));
}

/** Unpairs a screen: its cookie stops working at once and its open connection is closed. */
export async function revokeScreen(actor: ScopedActor, screenId: string) {
  const { count } = await db.$transaction(async (tx) => {
    const result = await tx.displayScreen.updateMany({ where: { id: screenId, clinicId: actor.clinicId, revokedAt: null }, data: { revokedAt: new Date(), revokedById: actor.userId } });
    if (result.count) await audit(tx, actor, { action: "scheduling.screen.revoked", resourceType: "DisplayScreen", resourceId: screenId });
    return result;
  });
  if (!count) {
    const exists = await db.displayScreen.count({ where: { id: screenId, clinicId: actor.clinicId } });
    if (!exists) throw notFound("Screen");
    return { revoked: false };
  }
  disconnectScreen(screenId);
  return { revoked: true };
}

// ------------------------------------------------------------------ pairing by code

const PAIRING_TTL_S = 10 * 60;
// No 0/O or 1/I: read off a TV across a room.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 8;
const codeKey = (code: string) => `${env.REDIS_PREFIX}:screen-pairing:code:${code}`;
const pendingKey = (tokenHash: string) => `${env.REDIS_PREFIX}:screen-pairing:token:${tokenHash}`;

const wrongCodes = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: `${env.REDIS_PREFIX}:screen-pairing:wrong`,
  points: 10,
  duration: 15 * 60,
  blockDuration: 15 * 60,
});

/** "abcd efgh", "ABCD-EFGH" → "ABCDEFGH". */
export const normalizePairingCode = (input: string) => input.toUpperCase().replace(/[^A-Z0-9]/g, "");
/** "ABCDEFGH" → "ABCD-EFGH", as the TV shows it. */
export const formatPairingCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

const newCode = () => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");

// The unpaired page is anonymous: new codes are limited per address, so nobody fills Redis with them.
const newCodesPerAddress = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: `${env.REDIS_PREFIX}:screen-pairing:new`,
  points: 30,
  duration: 10 * 60,
});

/**
 * For an unpaired screen page: the pending token (the cookie's, or a new one) and the code that
 * pairs it, a new code once the last has expired. Null when Redis is unavailable or this address
 * asked for too many codes (the page then offers signing in on the screen instead).
 */
export async function pendingPairing(cookieHeader: string | undefined, clientIp: string | null): Promise<{ token: string; code: string } | null> {
  const cookie = cookieHeader ? parse(cookieHeader)[SCREEN_COOKIE] : undefined;
  const existing = cookie && cookie.length <= 100 ? cookie : undefined;
  // The usual case, every few seconds while a TV waits: its code is still pending (no query).
  const shown = existing ? await redis.get(pendingKey(hashToken(existing))).catch(() => null) : null;
  if (existing && shown) return { token: existing, code: shown };
  // A token that was ever paired (this page shows because it was unpaired since) is never reused.
  const reusable = existing && (await db.displayScreen.count({ where: { tokenHash: hashToken(existing) } })) === 0;
  const token = reusable ? existing : randomBytes(32).toString("base64url");
  const tokenHash = hashToken(token);
  try {
    const allowed = await newCodesPerAddress.consume(clientIp ?? "unknown").then(
      () => true,
      (rejection: unknown) => {
        if (rejection instanceof Error) throw rejection; // Redis itself failed
        return false;
      },
    );
    if (!allowed) return null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = newCode();
      // NX: a code is never handed to two screens at once.
      if ((await redis.set(codeKey(code), tokenHash, "EX", PAIRING_TTL_S, "NX")) === "OK") {
        await redis.set(pendingKey(tokenHash), code, "EX", PAIRING_TTL_S);
        return { token, code };
      }
    }
    return null;
  } catch (error) {
    logger.warn({ err: (error as Error).message }, "screen pairing code unavailable");
    return null;
  }
}

/** Pairs the screen showing `code` to a location. The code works once; wrong codes are counted per user. */
export async function pairScreenByCode(actor: ScopedActor, input: { code: string; locationId: string; name: string }) {
  const location = await db.location.findFirst({ where: { id: input.locationId, clinicId: actor.clinicId }, select: { id: true } });
  if (!location) throw notFound("Location");
  const code = normalizePairingCode(input.code);
  let tokenHash: string | null;
  try {
    const state = await wrongCodes.get(actor.userId);
    if (state && state.remainingPoints <= 0) {
      const message = "Too many wrong codes; wait 15 minutes, or sign in on the screen to pair it";
      throw new DomainError("BAD_REQUEST", message, { code: [message] });
    }
    tokenHash = await redis.getdel(codeKey(code));
    if (!tokenHash) {
      await wrongCodes.penalty(actor.userId);
      const message = "This code is not valid or has expired; the screen shows a current one";
      throw new DomainError("BAD_REQUEST", message, { code: [message] });
    }
    await redis.del(pendingKey(tokenHash));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unavailable("redis", "Pairing by code needs Redis, which is unavailable; sign in on the screen to pair it instead.");
  }
  const screen = await db.$transaction(async (tx) => {
    const row = await tx.displayScreen.create({
      data: { clinicId: actor.clinicId, locationId: location.id, name: input.name, tokenHash: tokenHash!, createdById: actor.userId },
      select: { id: true, name: true },
    });
    await audit(tx, actor, { action: "scheduling.screen.paired", resourceType: "DisplayScreen", resourceId: row.id, reason: `${input.name} (by code)` });
    return row;
  });
  return { screen };
}
