/**
 * Only same-site relative paths may be used as a post-sign-in destination. "//evil.example" and
 * "/\evil.example" are protocol-relative to browsers, so they are refused too (open redirect).
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // Control characters can be used to smuggle a different origin past naive checks.
  for (let i = 0; i < to.length; i++) if (to.charCodeAt(i) < 0x20) return fallback;
  return to;
}

/**
 * Where to go after signing in: a safe page of the app. Not the sign-in page itself (a signed-in
 * visit to /login redirects to the callback, which would loop) and not an API endpoint.
 */
export function afterSignIn(to: unknown): string {
  const target = safeRedirect(to);
  return /^\/(login|api)(\/|\?|#|$)/.test(target) ? "/" : target;
}

/** `/login`, carrying where to come back to unless that is just the home page. */
export function loginPath(options: { callbackUrl?: string; expired?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (options.expired) params.set("expired", "1");
  const back = afterSignIn(options.callbackUrl);
  if (back !== "/") params.set("callbackUrl", back);
  const query = params.toString();
  return query ? `/login?${query}` : "/login";
}
