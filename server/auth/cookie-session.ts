import { decode } from "@auth/core/jwt";
import { parse } from "cookie";
import { env, isProductionEnv } from "../env.ts";
import { resolveSession, type ActiveSession } from "./sessions.ts";

export const SESSION_COOKIE = `${isProductionEnv ? "__Secure-" : ""}authjs.session-token`;

/** Session id from the Auth.js cookie, or null when absent, forged or expired. */
export async function sessionIdFromCookie(cookieHeader: string | undefined): Promise<string | null> {
  if (!cookieHeader) return null;
  const token = parse(cookieHeader)[SESSION_COOKIE];
  if (!token) return null;
  try {
    const payload = await decode({ token, secret: env.AUTH_SECRET, salt: SESSION_COOKIE });
    return typeof payload?.sid === "string" ? payload.sid : null;
  } catch {
    return null;
  }
}

/** The one session check for HTTP requests and socket handshakes. */
export async function sessionFromCookie(cookieHeader: string | undefined): Promise<ActiveSession | null> {
  const sid = await sessionIdFromCookie(cookieHeader);
  return sid ? resolveSession(sid) : null;
}
