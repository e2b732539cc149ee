import { createHash, randomBytes } from "node:crypto";
import { parse } from "cookie";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { endSession } from "../../auth/sessions.ts";
import { db } from "../../db.ts";
import { isProductionEnv } from "../../env.ts";
import { notFound } from "../../errors.ts";
import { disconnectScreen, disconnectSession } from "../../realtime/publish.ts";
import { waitingRoomScreen } from "./service.ts";

/**
 * Waiting-room screens: a TV's browser paired to one location. Pairing happens on the TV itself: a
 * staff member signs in there, opens the location's screen page and pairs; the staff session in that
 * browser ends at once and the browser keeps only the screen's own credential, a random token in
 * an httpOnly cookie (the database stores its SHA-256). That credential shows that location's
 * public board (tickets and initials) and nothing else: no tRPC, no socket rooms beyond the
 * location's `/screen` namespace room, and it never idles out. Staff revoke it from the same page.
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
