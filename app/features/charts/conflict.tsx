import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf, isTrpcError } from "~/lib/trpc";

/** What a stale save is refused with (server: CONFLICT, details { currentVersion, changedBy, current }). */
export interface Conflict<T> {
  currentVersion: number;
  changedBy: string | null;
  /** the record as it is now, when the server sent it */
  current: T | null;
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
    current: (details.current as T | undefined) ?? null,
    message: errorMessageOf(error),
  };
}

export interface ConflictField {
  label: string;
  theirs: string;
  yours: string;
}

interface ConflictPanelProps {
  what: string;
  conflict: Conflict<unknown>;
  /** only the fields where theirs and yours differ are shown */
  fields: ConflictField[];
  onKeepTheirs: () => void;
  onApplyMine: () => void;
  pending?: boolean;
}

/**
 * A stale save, refused: who changed it, their saved values beside the ones this user typed, and
 * the two ways out: keep theirs (drop mine) or save mine on top of their version.
 */
export function ConflictPanel({ what, conflict, fields, onKeepTheirs, onApplyMine, pending = false }: ConflictPanelProps) {
  const differing = fields.filter((f) => f.theirs !== f.yours);
  const who = conflict.changedBy ?? "someone else";
  return (
    <Notice
      tone="warn"
      role="alert"
      title={`Not saved: ${what} was changed by ${who}`}
      actions={
        <>
          <Button size="sm" variant="secondary" onClick={onKeepTheirs} disabled={pending}>
            Keep theirs
          </Button>
          <Button size="sm" onClick={onApplyMine} disabled={pending}>
            {pending ? "Saving…" : "Save mine over theirs"}
          </Button>
        </>
      }
    >
      <p>{conflict.message}</p>
      {differing.length ? (
        <table className="mt-3 w-full border-collapse text-left text-sm" aria-label="Their version and yours">
          <thead>
            <tr className="text-xs tracking-wide uppercase">
              <th scope="col" className="py-1 pr-3 font-medium">
                Field
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                Theirs (saved by {who})
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
