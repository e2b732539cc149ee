import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { errorMessageOf, isTrpcError } from "~/lib/trpc";

/**
 * What a stale save is refused with: CONFLICT, details { currentVersion, changedBy, changedAt,
 * current } (server: errors.ts staleVersion, charts' staleEdit), or { removed: true } when the
 * item was removed meanwhile. The whole app handles it one way: docs/decisions/edit-conflicts.md.
 */
export interface Conflict<T> {
  currentVersion: number;
  changedBy: string | null;
  /** when their version was saved (ISO), when the server said */
  changedAt: string | null;
  /** the record as it is now, when the server sent it */
  current: T | null;
  /** the item was removed meanwhile: there is nothing to save over */
  removed: boolean;
  message: string;
}

export function conflictOf<T>(error: unknown): Conflict<T> | null {
  if (!isTrpcError(error) || error.data?.code !== "CONFLICT") return null;
  const details = (error.data as { details?: Record<string, unknown> | null }).details ?? {};
  const currentVersion = typeof details.currentVersion === "number" ? details.currentVersion : null;
  if (currentVersion === null) return null;
  return {
    currentVersion,
    changedBy: typeof details.changedBy === "string" ? details.changedBy : null,
    changedAt: typeof details.changedAt === "string" ? details.changedAt : null,
    current: (details.current as T | undefined) ?? null,
    removed: details.removed === true,
    message: errorMessageOf(error),
  };
}

export interface ConflictField {
  label: string;
  theirs: string;
  yours: string;
}

interface ConflictPanelProps {
  /** "this medication", "this patient's record" */
  what: string;
  conflict: Conflict<unknown>;
  /** the fields this user changed; only those where theirs and yours differ are shown */
  fields: ConflictField[];
  onKeepTheirs: () => void;
  onApplyMine: () => void;
  pending?: boolean;
}

/**
 * A stale save, refused: who changed it and when, their saved values beside the ones this user
 * typed (only the fields this user changed: the others already show theirs), and the two ways
 * out: keep theirs (drop mine) or save mine on top of their version. A removed item offers only
 * the first.
 */
export function ConflictPanel({ what, conflict, fields, onKeepTheirs, onApplyMine, pending = false }: ConflictPanelProps) {
  const differing = fields.filter((f) => f.theirs !== f.yours);
  const who = conflict.changedBy ?? "someone else";
  return (
    <Notice
      tone="warn"
      role="alert"
      title={`Not saved: ${what} was ${conflict.removed ? "removed" : "changed"} by ${who}`}
      actions={
        <>
          <Button size="sm" variant="secondary" onClick={onKeepTheirs} disabled={pending}>
            Keep theirs
          </Button>
          {conflict.removed ? null : (
            <Button size="sm" onClick={onApplyMine} disabled={pending}>
              {pending ? "Saving…" : "Save mine over theirs"}
            </Button>
          )}
        </>
      }
    >
      <p>{conflict.message}</p>
      {conflict.removed ? null : differing.length ? (
        <table className="mt-3 w-full border-collapse text-left text-sm" aria-label="Their version and yours">
          <thead>
            <tr className="text-xs tracking-wide uppercase">
              <th scope="col" className="py-1 pr-3 font-medium">
                Field
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                Theirs (saved by {who}
                {conflict.changedAt ? (
                  <>
                    , <Time value={conflict.changedAt} />
                  </>
                ) : null}
                )
              </th>
              <th scope="col" className="py-1 font-medium">
                Yours (not saved)
              </th>
            </tr>
          </thead>
          <tbody>
            {differing.map((f) => (
              <tr key={f.label} className="border-t border-warn-200 align-top">
                <th scope="row" className="py-1 pr-3 font-medium">
                  {f.label}
                </th>
                <td className="py-1 pr-3 whitespace-pre-wrap text-ink" data-testid="conflict-theirs">
                  {f.theirs || "(empty)"}
                </td>
                <td className="py-1 whitespace-pre-wrap text-ink" data-testid="conflict-yours">
                  {f.yours || "(empty)"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : conflict.current ? (
        <p className="mt-2">Your values match what they saved.</p>
      ) : null}
    </Notice>
  );
}

/** Shown while editing when a live event brought a newer version of the same item. */
export function ChangedMeanwhile({ who, what }: { who: string; what: string }) {
  return (
    <Notice tone="info" role="status" title={`${who} changed ${what} while you were editing.`}>
      Your save will be checked against their change; if you both changed the same thing, you will see both versions.
    </Notice>
  );
}

/** Shown while editing when a live event says the item is gone: what was typed cannot be saved to it. */
export function RemovedMeanwhile({ what }: { what: string }) {
  return (
    <Notice tone="warn" role="status" title={`${what.charAt(0).toUpperCase()}${what.slice(1)} was removed since you opened it.`}>
      What you typed cannot be saved to it. Cancel to close the form, or add it again.
    </Notice>
  );
}
