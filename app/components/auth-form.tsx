import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { fetchCsrfToken } from "~/lib/csrf";
import { useHydrated } from "~/lib/use-hydrated";

interface AuthFormProps {
  /** An Auth.js endpoint, e.g. /api/auth/callback/credentials */
  action: string;
  className?: string;
  /** Runs right before the native submit (e.g. to close the live socket before signing out). */
  onBeforeSubmit?: () => void;
  onError?: (error: unknown) => void;
  /** `disabled`: submitting, or not hydrated yet (a submit before then would lack the CSRF token). */
  children: ReactNode | ((state: { pending: boolean; disabled: boolean }) => ReactNode);
  "aria-label"?: string;
}

/**
 * A real HTML form posted to Auth.js. Auth.js answers with a redirect that sets or clears the
 * session cookie, so this must be a full-page POST, not fetch(). The CSRF token is fetched in the
 * browser and written into the hidden field just before submitting.
 */
export function AuthForm({ action, className, onBeforeSubmit, onError, children, ...rest }: AuthFormProps) {
  const tokenRef = useRef<HTMLInputElement>(null);
  const [token, setToken] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  useEffect(() => {
    let live = true;
    // Fetched ahead of time so submitting is instant; the submit handler fetches again if this failed.
    fetchCsrfToken().then((value) => live && setToken(value), () => {});
    // A page restored from the back/forward cache must not stay stuck in "pending".
    const reset = (event: PageTransitionEvent) => event.persisted && setPending(false);
    window.addEventListener("pageshow", reset);
    return () => {
      live = false;
      window.removeEventListener("pageshow", reset);
    };
  }, []);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = event.currentTarget;
    setPending(true);
    try {
      const value = token ?? (await fetchCsrfToken());
      tokenRef.current!.value = value;
      onBeforeSubmit?.();
      form.submit(); // native submit: does not re-enter this handler
    } catch (error) {
      setPending(false);
      onError?.(error);
    }
  }

  return (
    <form method="post" action={action} className={className} onSubmit={handleSubmit} aria-busy={pending} {...rest}>
      <input ref={tokenRef} type="hidden" name="csrfToken" defaultValue={token ?? ""} />
      {typeof children === "function" ? children({ pending, disabled: pending || !hydrated }) : children}
    </form>
  );
}
