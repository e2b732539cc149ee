import { useRevalidator } from "@remix-run/react";
import { useId, useState, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";

/** Whole numbers typed into a box: empty is null; anything else goes as typed for the server to judge. */
export const intOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

/** After any history write: toast, and reload the page data (other viewers hear the live event). */
export function useHistoryWrite() {
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  return (title: string) => {
    toast({ tone: "success", title });
    revalidate();
  };
}

/** A history form's save: errors stay in the form (not a toast); success toasts, reloads and closes the form. */
export function useFormWrite<S>(onClose: () => void, title: (saved: S) => string) {
  const done = useHistoryWrite();
  return {
    meta: { silentErrors: true },
    onSuccess: (saved: S) => {
      done(title(saved));
      onClose();
    },
  };
}

export function Card({ title, count, action, children }: { title: string; count?: number; action?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="flex flex-col rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="flex items-center justify-between gap-3 border-b border-surface-border px-4 py-2.5">
        <h3 id={id} className="text-sm font-semibold text-ink">
          {title}
          {count !== undefined ? <span className="ml-2 font-normal text-ink-muted">{count}</span> : null}
        </h3>
        {action}
      </div>
      <div className="flex-1">{children}</div>
    </section>
  );
}

export function Recorded({ item }: { item: { recordedBy: { name: string }; recordedAt: string } }) {
  return (
    <p className="mt-0.5 text-xs text-ink-muted">
      Recorded by {item.recordedBy.name}, <Time value={item.recordedAt} />
    </p>
  );
}

/** A coded entry as words, for "their saved value". */
export const codedLabel = (c: { text: string; codeDotted: string | null }) => (c.codeDotted ? `${c.text} (ICD-10 ${c.codeDotted})` : c.text);

export function CodeBadge({ code }: { code: string | null }) {
  return code ? <span className="ml-2 rounded bg-surface-sunken px-1.5 py-0.5 font-mono text-xs text-ink-muted">{code}</span> : null;
}

/**
 * Remove in two steps, so a stray click does not delete history. The server keeps the row (soft
 * delete, with who and when) and checks the version, like an edit.
 */
export function RemoveButton({ what, pending, onRemove }: { what: string; pending: boolean; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button size="sm" variant="ghost" aria-label={`Remove ${what}`} onClick={() => setConfirming(true)}>
        Remove
      </Button>
    );
  }
  return (
    <span className="flex shrink-0 flex-wrap items-center gap-1">
      <span className="text-xs text-ink-muted">Remove from the history?</span>
      <Button size="sm" variant="danger" disabled={pending} aria-label={`Confirm removing ${what}`} onClick={onRemove}>
        {pending ? "Removing…" : "Remove"}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Keep
      </Button>
    </span>
  );
}

export function EmptyRow({ children }: { children: ReactNode }) {
  return <p className="px-4 py-4 text-sm text-ink-subtle">{children}</p>;
}
