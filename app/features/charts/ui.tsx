import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf } from "~/lib/trpc";
import { conflictOf, ConflictPanel, type Conflict } from "./conflict";

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
  /** the caller shows the error itself (a conflict panel) */
  hideError?: boolean;
}) {
  return (
    <form
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

export function EmptyRow({ children }: { children: ReactNode }) {
  return <p className="px-5 py-5 text-sm text-ink-subtle">{children}</p>;
}

// ------------------------------------------------------------------------------ versioned edits

export interface EditState<V> {
  id: string;
  /** the version this edit started from (or the one loaded after a conflict) */
  baseVersion: number;
  /** the values as they were read */
  base: V;
  values: V;
}

/** Only the fields the user changed: a save never rewrites what someone else changed meanwhile. */
export function changedValues<V extends Record<string, unknown>>(base: V, values: V): Partial<V> {
  const out: Partial<V> = {};
  for (const key of Object.keys(values) as (keyof V)[]) if (values[key] !== base[key]) out[key] = values[key];
  return out;
}

/**
 * Editing one versioned item of a list: start, change, save the changed fields with the version
 * that was read; a CONFLICT (someone saved first) keeps the user's values and offers theirs beside
 * them. `current` in the conflict is the record as it is now.
 */
export function useVersionedEdit<V extends Record<string, unknown>>() {
  const [edit, setEdit] = useState<EditState<V> | null>(null);
  return {
    edit,
    start: (id: string, version: number, values: V) => setEdit({ id, baseVersion: version, base: values, values }),
    change: (patch: Partial<V>) => setEdit((e) => (e ? { ...e, values: { ...e.values, ...patch } } : e)),
    /** after "Save mine over theirs": the next save names the version that is now current */
    rebase: (version: number, base: V) => setEdit((e) => (e ? { ...e, baseVersion: version, base } : e)),
    stop: () => setEdit(null),
    /**
     * Sends only the fields the user changed, so the other person's other changes are kept; with
     * nothing changed it just closes the form.
     */
    save: (send: (id: string, changes: Partial<V>) => void) => {
      if (!edit) return;
      const changes = changedValues(edit.base, edit.values);
      if (!Object.keys(changes).length) return setEdit(null);
      send(edit.id, changes);
    },
  };
}

export interface ConflictView<T> {
  conflict: Conflict<T>;
  onKeepTheirs: () => void;
  onApplyMine: () => void;
}

/** The conflict panel for a list item's edit, or nothing when the error is not a conflict. */
function EditConflict<T>({
  error,
  what,
  fields,
  onKeepTheirs,
  onApplyMine,
  pending,
}: {
  error: unknown;
  what: string;
  fields: (current: T | null) => { label: string; theirs: string; yours: string }[];
  onKeepTheirs: () => void;
  onApplyMine: (conflict: Conflict<T>) => void;
  pending: boolean;
}) {
  const conflict = conflictOf<T>(error);
  if (!conflict) return null;
  return (
    <ConflictPanel
      what={what}
      conflict={conflict}
      fields={fields(conflict.current)}
      onKeepTheirs={onKeepTheirs}
      onApplyMine={() => onApplyMine(conflict)}
      pending={pending}
    />
  );
}

export type VersionedEdit<V extends Record<string, unknown>> = ReturnType<typeof useVersionedEdit<V>>;

/**
 * The form that edits one versioned item of a chart list: the shell (its error line gives way to
 * the conflict panel on a CONFLICT), "Editing <name>", a notice when a live event brought a newer
 * version, and the conflict panel listing theirs beside yours for the fields this user changed.
 * The section's own fields are the children.
 */
export function VersionedEditForm<T, V extends Record<string, unknown>>({
  label,
  submitLabel,
  what,
  name,
  edit,
  editing,
  mutation,
  current,
  valuesOf,
  fieldLabels,
  format = (key, values) => String(values[key] ?? ""),
  save,
  refresh,
  onCancel,
  children,
}: {
  label: string;
  submitLabel: string;
  /** in the conflict panel's title: "this medication" */
  what: string;
  /** shown as "Editing <name>"; without it, no heading (the caller titles the form itself) */
  name?: ReactNode;
  edit: EditState<V>;
  editing: Pick<VersionedEdit<V>, "stop" | "rebase">;
  mutation: { error: unknown; isPending: boolean; reset: () => void };
  /** the item as the (live) list has it now; a newer version than the edit's says someone saved meanwhile */
  current?: { version: number; updatedBy?: { name: string } | null };
  valuesOf: (item: T) => V;
  fieldLabels: Record<keyof V, string>;
  /** one value as a person reads it in the conflict table */
  format?: (key: keyof V, values: V) => string;
  save: (version: number) => void;
  /** after "Keep theirs": load their version */
  refresh: () => void;
  /** after Cancel, for a caller that must also close something of its own */
  onCancel?: () => void;
  children: ReactNode;
}) {
  const { error, isPending, reset } = mutation;
  const close = () => {
    reset();
    editing.stop();
  };
  return (
    <FormShell
      label={label}
      submitLabel={submitLabel}
      pending={isPending}
      error={error}
      hideError={conflictOf(error) !== null}
      onCancel={() => {
        close();
        onCancel?.();
      }}
      onSubmit={() => save(edit.baseVersion)}
    >
      {name !== undefined ? <p className="text-sm font-medium text-ink">Editing {name}</p> : null}
      {current && current.version > edit.baseVersion && !error ? <ChangedMeanwhile who={current.updatedBy?.name ?? "Someone"} /> : null}
      <EditConflict<T>
        error={error}
        what={what}
        pending={isPending}
        fields={(theirsItem) => {
          const theirs = theirsItem ? valuesOf(theirsItem) : null;
          return (Object.keys(changedValues(edit.base, edit.values)) as (keyof V)[]).map((k) => ({
            label: fieldLabels[k],
            // the server may refuse without sending its record: then only a reload shows theirs
            theirs: theirs ? format(k, theirs) : "(reload to see)",
            yours: format(k, edit.values),
          }));
        }}
        onKeepTheirs={() => {
          close();
          refresh();
        }}
        onApplyMine={(conflict) => {
          // Later saves compare with their values and name their version, not the one first read.
          if (conflict.current) editing.rebase(conflict.currentVersion, valuesOf(conflict.current));
          save(conflict.currentVersion);
        }}
      />
      {children}
    </FormShell>
  );
}

/** Shown while editing when a live event brought a newer version of the same item. */
function ChangedMeanwhile({ who }: { who: string }) {
  return (
    <Notice tone="info" role="status" title={`${who} changed this while you were editing.`}>
      Your save will be checked against their change; if you both changed the same thing, you will see both versions.
    </Notice>
  );
}

/** A list row's Edit. Starting afresh drops what an earlier save left (an error, a conflict). */
export function EditItemButton({ name, onEdit }: { name: string; onEdit: () => void }) {
  return (
    <Button size="sm" variant="ghost" aria-label={`Edit ${name}`} onClick={onEdit}>
      Edit
    </Button>
  );
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
