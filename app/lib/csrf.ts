/**
 * Auth.js protects sign-in and sign-out with a double-submit token: GET /api/auth/csrf sets a
 * cookie and returns the matching token, which the form posts back.
 */
export async function fetchCsrfToken(): Promise<string> {
  const response = await fetch("/api/auth/csrf", { credentials: "same-origin", headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`csrf request failed (${response.status})`);
  const body = (await response.json()) as { csrfToken?: unknown };
  if (typeof body.csrfToken !== "string") throw new Error("csrf response had no token");
  return body.csrfToken;
}
