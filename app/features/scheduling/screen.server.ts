import { parse } from "cookie";
import { SESSION_COOKIE } from "../../../server/auth/cookie-session.ts";
import { isProductionEnv } from "../../../server/env.ts";
import { formatPairingCode, pendingPairing, SCREEN_COOKIE, screenCookie, screenView, type PairedScreen } from "../../../server/modules/scheduling/screens.ts";

/** What a paired screen's page shows, with its cookie renewed (a screen stays paired until staff unpair it). */
export async function pairedScreenPage(request: Request, screen: PairedScreen) {
  const token = parse(request.headers.get("cookie") ?? "")[SCREEN_COOKIE];
  const headers = new Headers();
  if (token) headers.append("Set-Cookie", screenCookie(token));
  return { view: await screenView(screen), headers };
}

/** After pairing: the browser keeps the screen's cookie and drops the staff session's. */
export function pairedHeaders(token: string): Headers {
  const headers = new Headers();
  headers.append("Set-Cookie", screenCookie(token));
  headers.append("Set-Cookie", [`${SESSION_COOKIE}=`, "Max-Age=0", "Path=/", "HttpOnly", "SameSite=Lax", ...(isProductionEnv ? ["Secure"] : [])].join("; "));
  return headers;
}

/** An unpaired screen's page: the code that pairs it (null if Redis is down), its pending token kept in the cookie. */
export async function unpairedScreenPage(request: Request, clientIp: string | null) {
  const pending = await pendingPairing(request.headers.get("cookie") ?? undefined, clientIp);
  const headers = new Headers();
  if (pending) headers.append("Set-Cookie", screenCookie(pending.token));
  return { code: pending ? formatPairingCode(pending.code) : null, headers };
}
