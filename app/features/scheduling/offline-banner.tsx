import { useLiveStatus } from "~/lib/use-live-event";

/**
 * A screen that only changes through live events must say when they stop: while the connection
 * is down this banner stays up, and the page refetches as soon as it is back.
 */
export function OfflineBanner({ what = "This page", large = false }: { what?: string; large?: boolean }) {
  return <OfflineNotice offline={useLiveStatus() === "offline"} what={what} large={large} />;
}

/** The banner itself, for a page with a connection of its own (the paired waiting-room screen). */
export function OfflineNotice({ offline, what, large = false }: { offline: boolean; what: string; large?: boolean }) {
  return (
    <div role="status" aria-live="polite">
      {offline ? (
        <div
          className={`flex items-center gap-3 rounded-lg border border-warn-200 bg-warn-50 text-warn-700 ${large ? "px-6 py-4 text-2xl" : "px-4 py-3 text-sm"}`}
          data-testid="offline-banner"
        >
          <span className={`shrink-0 animate-pulse rounded-full bg-warn-600 ${large ? "h-4 w-4" : "h-2 w-2"}`} aria-hidden="true" />
          <p>
            <strong className="font-semibold">Offline — reconnecting…</strong> {what} may be out of date; it refreshes as soon as the connection is back.
          </p>
        </div>
      ) : null}
    </div>
  );
}
