import { useEffect, useState, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { ChangedMeanwhile, conflictOf, ConflictPanel, RemovedMeanwhile } from "~/components/ui/edit-conflict";
import { FormShell } from "~/components/ui/form-shell";
import { changedValues, rebaseValues } from "~/components/ui/versioned-values";

/**
 * Editing one version-checked item (a medication, a condition, a patient's demographics), the one
 * way the app does it (docs/decisions/edit-conflicts.md): the save sends only the fields the user
 * changed, with the version that was read; a refused stale save shows theirs beside yours for
 * those fields, while the fields the user left alone quietly take their values; then "Keep
 * theirs" or "Save mine over theirs".
 */

export interface EditState<V> {
  id: string;
  /** the version this edit started from (or the one it was rebased onto after a conflict) */
  baseVersion: number;
  /** the values as they were read */
  base: V;
  values: V;
}

/**
 * The edit state of one versioned item. `initial` starts an edit at once (a form that exists only
 * while editing); `onStop` tells such a form's owner that the edit ended.
 */
export function useVersionedEdit<V extends Record<string, unknown>>(initial: EditState<V> | null = null, onStop?: () => void) {
  const [edit, setEdit] = useState<EditState<V> | null>(initial);
  const stop = () => {
    setEdit(null);
    onStop?.();
  };
  return {
    edit,
    start: (id: string, version: number, values: V) => setEdit({ id, baseVersion: version, base: values, values }),
    change: (patch: Partial<V>) => setEdit((e) => (e ? { ...e, values: { ...e.values, ...patch } } : e)),
    /** Their saved version becomes the base (see rebaseValues); the next save names their version. */
    rebase: (version: number, theirs: V) => setEdit((e) => (e ? { ...e, baseVersion: version, base: theirs, values: rebaseValues(e.base, theirs, e.values) } : e)),
    stop,
    /**
     * Sends only the fields the user changed, so the other person's other changes are kept; with
     * nothing changed it just closes the form.
     */
    save: (send: (id: string, changes: Partial<V>) => void) => {
      if (!edit) return;
      const changes = changedValues(edit.base, edit.values);
      if (!Object.keys(changes).length) return stop();
      send(edit.id, changes);
    },
  };
}

export type VersionedEdit<V extends Record<string, unknown>> = ReturnType<typeof useVersionedEdit<V>>;

/**
 * The form that edits one versioned item: the shell (its error line gives way to the conflict
 * panel on a CONFLICT), "Editing <name>", a notice when a live event brought a newer version (or
 * took the item away), and the conflict panel listing theirs beside yours for the fields this user
 * changed. The item's own fields are the children.
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
  removed = false,
  valuesOf,
  fieldLabels,
  format = (key, values) => String(values[key] ?? ""),
  save,
  refresh = () => undefined,
  onCancel,
  children,
}: {
  label: string;
  submitLabel: string;
  /** in notices and the conflict panel's title: "this medication" */
  what: string;
  /** shown as "Editing <name>"; without it, no heading (the caller titles the form itself) */
  name?: ReactNode;
  edit: EditState<V>;
  editing: Pick<VersionedEdit<V>, "stop" | "rebase">;
  mutation: { error: unknown; isPending: boolean; reset: () => void };
  /** the item as the (live) page has it now; a newer version than the edit's says someone saved meanwhile */
  current?: { version: number; updatedBy?: { name: string } | null };
  /** the (live) page no longer has the item */
  removed?: boolean;
  valuesOf: (item: T) => V;
  fieldLabels: Record<keyof V, string>;
  /** one value as a person reads it in the conflict table */
  format?: (key: keyof V, values: V) => string;
  save: (version: number) => void;
  /** after "Keep theirs": make sure the page shows their version (none where their save's live event already reloaded it) */
  refresh?: () => void;
  /** after Cancel, for a caller that must also close something of its own */
  onCancel?: () => void;
  children: ReactNode;
}) {
  const { error, isPending, reset } = mutation;
  const conflict = conflictOf<T>(error);
  const theirs = conflict?.current ? valuesOf(conflict.current) : null;

  // Their record came with the refusal: the fields this user did not touch take its values at
  // once, so the form never shows a stale value next to the table (nothing to re-read).
  useEffect(() => {
    if (conflict && theirs && conflict.currentVersion !== edit.baseVersion) editing.rebase(conflict.currentVersion, theirs);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per refusal
  }, [error]);

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
      hideError={conflict !== null}
      onCancel={() => {
        close();
        onCancel?.();
      }}
      onSubmit={() => save(edit.baseVersion)}
    >
      {name !== undefined ? <p className="text-sm font-medium text-ink">Editing {name}</p> : null}
      {removed && !conflict ? <RemovedMeanwhile what={what} /> : null}
      {!removed && current && current.version > edit.baseVersion && !error ? <ChangedMeanwhile who={current.updatedBy?.name ?? "Someone"} what={what} /> : null}
      {conflict ? (
        <ConflictPanel
          what={what}
          conflict={conflict}
          pending={isPending}
          fields={(Object.keys(changedValues(edit.base, edit.values)) as (keyof V)[]).map((k) => ({
            label: fieldLabels[k],
            // the server may refuse without sending its record: then only a reload shows theirs
            theirs: theirs ? format(k, theirs) : "(reload to see)",
            yours: format(k, edit.values),
          }))}
          onKeepTheirs={() => {
            close();
            refresh();
          }}
          onApplyMine={() => save(conflict.currentVersion)}
        />
      ) : null}
      {children}
    </FormShell>
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
