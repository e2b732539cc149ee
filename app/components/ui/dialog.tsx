import { useEffect, useId, useRef, type ReactNode } from "react";

interface DialogProps {
  open: boolean;
  /** Called when the person closes it (Escape, the close button) or the parent asks it to close. */
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Tailwind max-width class for the panel. */
  width?: string;
}

/**
 * A modal built on the native <dialog>: the browser traps focus, closes on Escape and restores
 * focus to what opened it. Children render only while open, so each opening starts fresh.
 */
export function Dialog({ open, onClose, title, description, children, width = "max-w-lg" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={onClose}
      className={`m-auto w-[calc(100%-2rem)] ${width} rounded-lg border border-surface-border bg-surface p-0 text-ink shadow-card backdrop:bg-ink/40`}
    >
      {open ? (
        <div className="flex max-h-[85vh] flex-col">
          <div className="flex items-start justify-between gap-4 border-b border-surface-border px-5 py-4">
            <div>
              <h2 id={titleId} className="text-lg font-semibold text-ink">
                {title}
              </h2>
              {description ? (
                <p id={descriptionId} className="mt-1 text-sm text-ink-muted">
                  {description}
                </p>
              ) : null}
            </div>
            <button type="button" onClick={onClose} className="-mr-1 rounded p-1 text-ink-muted hover:bg-surface-sunken hover:text-ink" aria-label="Close">
              <span aria-hidden="true" className="block h-5 w-5 text-xl leading-5">
                ×
              </span>
            </button>
          </div>
          <div className="overflow-y-auto px-5 py-4">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
