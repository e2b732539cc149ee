import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { loginPath } from "./safe-redirect";

/**
 * Loaders reach the server through `context.caller` (server/app.ts). Errors from it are TRPCErrors;
 * we recognise them by name because importing @trpc/server's class here is not needed for one check.
 */
interface TRPCErrorLike extends Error {
  code: string;
}

function isTRPCError(error: unknown): error is TRPCErrorLike {
  return error instanceof Error && error.name === "TRPCError" && typeof (error as { code?: unknown }).code === "string";
}

const STATUS_FOR_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SERVICE_UNAVAILABLE: 503,
};

/** The page the user asked for, to come back to after signing in. Paths hold ids only, never PHI. */
function requestedPath(request: Request): string {
  const url = new URL(request.url);
  return url.pathname + url.search;
}

/**
 * A session cookie that no longer maps to a session means the session ended (idle timeout,
 * disabled account, signed out elsewhere): worth saying so on the sign-in page. Signing out here
 * clears the cookie, so that case does not count.
 */
function hadSession(request: Request): boolean {
  return /(?:^|;\s*)(?:__Secure-)?authjs\.session-token(?:\.\d+)?=/.test(request.headers.get("cookie") ?? "");
}

function toLogin(request: Request) {
  return redirect(loginPath({ callbackUrl: requestedPath(request), expired: hadSession(request) }));
}

/** The signed-in session, or a redirect to /login that comes back here afterwards. */
export function requireSession(context: AppLoadContext, request: Request) {
  if (!context.session) throw toLogin(request);
  return context.session;
}

/**
 * Runs caller work in a loader or action and turns tRPC errors into what the page should do:
 * UNAUTHORIZED signs in again, FORBIDDEN / NOT_FOUND / … render the error page with that status
 * and the server's message (written for people).
 */
export async function callServer<T>(request: Request, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isTRPCError(error)) throw error;
    if (error.code === "UNAUTHORIZED") throw toLogin(request);
    const status = STATUS_FOR_CODE[error.code];
    if (status) throw data({ message: error.message }, { status });
    throw error;
  }
}
