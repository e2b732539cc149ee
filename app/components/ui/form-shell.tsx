import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf } from "~/lib/trpc";

/**
 * The frame of an add or edit form inside a card: the fields, the server's refusal, Save and
 * Cancel. A refusal moves the focus to the first field the server named, so a keyboard user lands
 * where the fix is; a double submit while saving is ignored.
 */
export function FormShell({
  label,
  onSubmit,
  onCancel,
  error,
  pending,
  submitLabel,
  children,
  hideError = false,
}: {
  label: string;
  onSubmit: () => void;
  onCancel?: () => void;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  children: ReactNode;
  /** the caller shows the error itself (a version conflict's panel) */
  hideError?: boolean;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error || hideError) return;
    formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [error, hideError]);

  return (
    <form
      ref={formRef}
      aria-label={label}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (!pending) onSubmit();
      }}
      className="space-y-3 border-t border-surface-border bg-surface-muted px-5 py-4"
    >
      {children}
      {error && !hideError ? (
        <Notice tone="danger" role="alert" title="Not saved">
          {errorMessageOf(error)}
        </Notice>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel ? (
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

/** A card's "Add …" button that opens the add form, and closes it again. */
export function AddToggle({ open, label, onToggle }: { open: boolean; label: string; onToggle: () => void }) {
  return (
    <Button size="sm" variant={open ? "ghost" : "secondary"} onClick={onToggle} aria-expanded={open}>
      {open ? "Close" : label}
    </Button>
  );
}
