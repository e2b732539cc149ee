import { useId, useState, type ReactNode } from "react";
import { Button } from "~/components/ui/button";

// The forms of chart sections (FormShell, AddToggle, VersionedEditForm) are the app's shared ones:
// ~/components/ui/form-shell and ~/components/ui/versioned-edit.

/** A chart section: a titled card with an action on the right. */
export function SectionCard({ title, action, children, description }: { title: string; action?: ReactNode; children: ReactNode; description?: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-surface-border px-5 py-3">
        <div>
          <h2 id={id} className="text-base font-semibold text-ink">
            {title}
          </h2>
          {description ? <p className="text-sm text-ink-muted">{description}</p> : null}
        </div>
        {action ? <div className="flex flex-wrap items-center gap-3">{action}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function EmptyRow({ children }: { children: ReactNode }) {
  return <p className="px-5 py-5 text-sm text-ink-subtle">{children}</p>;
}

/**
 * "Entered in error": hides an item from the chart (kept for the record). Two steps, so a stray
 * click does not remove a problem or a medication from everyone's view.
 */
export function EnteredInErrorButton({ what, pending, onConfirm }: { what: string; pending: boolean; onConfirm: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button size="sm" variant="ghost" onClick={() => setConfirming(true)}>
        Entered in error…
      </Button>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-2 text-sm text-ink">
      Hide {what} from the chart as entered in error?
      <Button size="sm" variant="danger" disabled={pending} onClick={onConfirm}>
        {pending ? "Hiding…" : "Hide as entered in error"}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Keep
      </Button>
    </span>
  );
}
