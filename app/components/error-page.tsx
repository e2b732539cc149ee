import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { buttonClass } from "./ui/button";

interface ErrorCopy {
  title: string;
  message: string;
}

const COPY: Record<number, ErrorCopy> = {
  403: {
    title: "You don't have access to this page",
    message: "Your role does not include this part of Carelane. If you need it for your work, ask your clinic's administrator.",
  },
  404: {
    title: "Page not found",
    message: "We couldn't find that page. Check the address, or go back to your home page.",
  },
  503: {
    title: "Carelane is briefly unavailable",
    message: "A service Carelane depends on is not answering. Nothing you saved is lost; try again in a minute.",
  },
};

const FALLBACK: ErrorCopy = {
  title: "Something went wrong on our side",
  message: "Try again in a moment. If it keeps happening, tell your clinic's administrator what you were doing.",
};

export function ErrorPage({ status, detail }: { status: number; detail?: string }) {
  const copy = COPY[status] ?? FALLBACK;
  return (
    <section aria-labelledby="error-title" className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold tracking-wide text-brand-700">Error {status}</p>
      <h1 id="error-title" className="mt-2 text-2xl font-semibold text-ink">
        {copy.title}
      </h1>
      <p className="mt-3 text-ink-muted">{copy.message}</p>
      {detail ? <p className="mt-2 text-sm text-ink-muted">{detail}</p> : null}
      <div className="mt-8 flex justify-center gap-3">
        <Link to="/" className={buttonClass("primary")}>
          Go to home
        </Link>
      </div>
    </section>
  );
}

/** Status and (for 403/409-style answers) the server's own message, from whatever was thrown. */
export function describeRouteError(error: unknown): { status: number; detail?: string } {
  if (isRouteErrorResponse(error)) {
    const message = (error.data as { message?: unknown } | null)?.message;
    // 404's own copy says it all; for other statuses the server's sentence adds the reason.
    return { status: error.status, detail: error.status !== 404 && typeof message === "string" ? message : undefined };
  }
  // Production builds hide error details from the browser; while developing, show them.
  return { status: 500, detail: import.meta.env.DEV && error instanceof Error ? error.message : undefined };
}

/** Re-export as `ErrorBoundary` from a route so its errors render inside the signed-in layout. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage {...describeRouteError(error)} />;
}

/** The same for a page outside the signed-in layout (the layout itself, the waiting-room screens). */
export function StandaloneErrorBoundary() {
  return (
    <main className="px-4">
      <RouteErrorBoundary />
    </main>
  );
}
