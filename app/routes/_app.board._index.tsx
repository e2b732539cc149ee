import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { requirePermission } from "~/features/scheduling/guard.server";
import { useAppData } from "~/lib/use-app-data";

export const meta: MetaFunction = () => [{ title: "Waiting room · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

/** The clinic's locations come from the layout's `access.me`; this loader only checks access. */
export function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "schedule:read");
  return null;
}

export default function BoardPicker() {
  const { me } = useAppData();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-ink">Waiting room</h1>
        <p className="mt-1 text-sm text-ink-muted">Choose a location to see who is waiting there, live.</p>
      </header>
      {me.locations.length ? (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Locations">
          {me.locations.map((location) => (
            <li key={location.id} className="rounded-lg border border-surface-border bg-surface p-5 shadow-card">
              <Link to={`/board/${location.id}`} prefetch="intent" className="text-lg font-medium text-brand-700 hover:underline">
                {location.name}
              </Link>
              <p className="mt-1 text-sm text-ink-muted">
                Staff board ·{" "}
                <Link to={`/board/${location.id}/screen`} className="text-brand-700 hover:underline" target="_blank" rel="noreferrer">
                  Public screen<span className="sr-only"> for {location.name} (opens in a new tab)</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-ink-muted">Your clinic has no locations yet.</p>
      )}
    </div>
  );
}
