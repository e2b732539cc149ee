import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { parse as parseCookies } from "cookie";
import { useState } from "react";
import { AuthForm } from "~/components/auth-form";
import { Logo } from "~/components/logo";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { afterSignIn } from "~/lib/safe-redirect";

export const meta: MetaFunction = () => [{ title: "Sign in · Carelane" }];

/** Auth.js error types (?error=) as sentences. Unknown email and wrong password read the same. */
function errorMessage(error: string | null): string | null {
  if (!error) return null;
  if (error === "CredentialsSignin") return "Email or password is incorrect.";
  if (error === "MissingCSRF") return "The sign-in form had expired. Please try again.";
  return "Sign-in is not working right now. Please try again in a moment.";
}

/**
 * Auth.js drops callbackUrl when it redirects a failed sign-in back here, but remembers it in its
 * callback-url cookie; read it back so a second attempt still returns to the page asked for.
 */
function rememberedCallback(request: Request): string | undefined {
  const cookies = parseCookies(request.headers.get("cookie") ?? "");
  const value = cookies["__Secure-authjs.callback-url"] ?? cookies["authjs.callback-url"];
  if (!value) return undefined;
  try {
    const url = new URL(value, request.url);
    return url.origin === new URL(request.url).origin ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}

export function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const error = params.get("error");
  const callbackUrl = afterSignIn(params.get("callbackUrl") ?? (error ? rememberedCallback(request) : undefined));
  if (context.session) throw redirect(callbackUrl);
  return {
    callbackUrl,
    error: errorMessage(error),
    expired: params.get("expired") === "1",
  };
}

export default function Login() {
  const { callbackUrl, error, expired } = useLoaderData<typeof loader>();
  const [networkError, setNetworkError] = useState<string | null>(null);
  const shownError = networkError ?? error;

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex justify-center">
          <Logo className="text-xl" />
        </div>
        <div className="rounded-xl border border-surface-border bg-surface p-8 shadow-card">
          <h1 className="text-xl font-semibold text-ink">Sign in</h1>
          <p className="mt-1 text-sm text-ink-muted">Use your clinic staff account.</p>

          {expired && !shownError ? (
            <p role="status" className="mt-5 rounded-md border border-warn-200 bg-warn-50 px-3 py-2 text-sm text-warn-700">
              Your session ended. Sign in again.
            </p>
          ) : null}
          <div role="alert" className="empty:hidden mt-5 rounded-md border border-danger-200 bg-danger-50 px-3 py-2 text-sm text-danger-700">
            {shownError}
          </div>

          <AuthForm
            action="/api/auth/callback/credentials"
            className="mt-6 space-y-4"
            aria-label="Sign in"
            onError={() => setNetworkError("Carelane could not be reached. Check your connection and try again.")}
          >
            {({ pending, disabled }) => (
              <>
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <TextField label="Email" name="email" type="email" autoComplete="username" required autoFocus />
                <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
                <Button type="submit" className="w-full" disabled={disabled}>
                  {pending ? "Signing in…" : "Sign in"}
                </Button>
              </>
            )}
          </AuthForm>
        </div>
        <p className="mt-6 text-center text-xs text-ink-muted">
          For authorised clinic staff only. Access is recorded.
        </p>
      </div>
    </main>
  );
}
