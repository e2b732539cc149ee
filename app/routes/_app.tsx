import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { StandaloneErrorBoundary } from "~/components/error-page";
import { AppHeader } from "~/components/layout/app-header";
import { callServer, requireSession } from "~/lib/caller.server";
import { useSessionEndRedirect } from "~/lib/use-live-event";

/** Everything behind sign-in renders inside this layout. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const me = await callServer(request, () => context.caller.access.me());
  // The session id only tells this tab which expiry announcements are its own.
  return { me, sessionId: session.sessionId };
}

export default function AppLayout() {
  const { me, sessionId } = useLoaderData<typeof loader>();
  useSessionEndRedirect(sessionId);
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2">
        Skip to content
      </a>
      <AppHeader clinicName={me.clinic.name} user={me.user} />
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
        <Outlet />
      </main>
    </div>
  );
}

/** The layout itself failed (e.g. the database is down): no user to build a header for. */
export { StandaloneErrorBoundary as ErrorBoundary };
