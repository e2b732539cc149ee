import { useLiveStatus } from "~/lib/use-live-event";

/** Tells people that what they see may be out of date while live updates are down. */
export function LiveStatusBadge() {
  const status = useLiveStatus();
  return (
    <div role="status" aria-live="polite">
      {status === "offline" ? (
        <span className="inline-flex items-center gap-1.5 rounded-full bg-warn-50 px-2.5 py-1 text-xs font-medium text-warn-700">
          <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-warn-600" aria-hidden="true" />
          Offline — reconnecting…
        </span>
      ) : null}
    </div>
  );
}
