import type { ReactNode } from "react";
import { FormShell } from "~/components/ui/form-shell";
import { useVersionedEdit, VersionedEditForm } from "~/components/ui/versioned-edit";

/**
 * One form for adding and for editing a history item (add: empty, edit: prefilled). Edits are the
 * app's one versioned edit (docs/decisions/edit-conflicts.md): only the changed fields are sent,
 * with the version that was read; a stale save shows theirs beside yours, from the item the
 * server sent with the refusal (no re-read of the history).
 */

export type FormValues = Record<string, unknown>;

export interface VersionedItem {
  id: string;
  version: number;
  recordedBy: { id: string; name: string };
}

/** What the form's mutations (add and update) report. */
interface MutationState {
  error: unknown;
  isPending: boolean;
  reset: () => void;
}

/** What a kind of history item brings to its form. */
export interface ItemKind<V extends FormValues, T extends VersionedItem> {
  empty: V;
  valuesOf: (item: T) => V;
  /** for the conflict table */
  fieldLabels: Record<keyof V, string>;
  format?: (key: keyof V, values: V) => string;
  /** "this condition" */
  what: string;
}

interface ItemFormProps<V extends FormValues, T extends VersionedItem> {
  kind: ItemKind<V, T>;
  /** edit: the item as read when the user chose Edit; add: undefined */
  item?: T;
  /** edit: the item as the page shows it now (newer after a live event); undefined once removed */
  live?: T;
  label: string;
  submitLabel: string;
  add: MutationState;
  update: MutationState;
  onAdd: (values: V) => void;
  onUpdate: (id: string, version: number, changes: Partial<V>) => void;
  onClose: () => void;
  /** the kind's own fields */
  children: (values: V, set: (patch: Partial<V>) => void) => ReactNode;
}

export function ItemForm<V extends FormValues, T extends VersionedItem>({
  kind: { empty, valuesOf, fieldLabels, format, what },
  item,
  live,
  label,
  submitLabel,
  add,
  update,
  onAdd,
  onUpdate,
  onClose,
  children,
}: ItemFormProps<V, T>) {
  const start = item ? valuesOf(item) : empty;
  // The form exists only while adding or editing: it starts at once, and its end closes it.
  const editing = useVersionedEdit<V>({ id: item?.id ?? "", baseVersion: item?.version ?? 0, base: start, values: start }, onClose);
  const { edit } = editing;
  if (!edit) return null;
  const fields = children(edit.values, editing.change);

  if (!item) {
    return (
      <FormShell
        label={label}
        submitLabel={submitLabel}
        pending={add.isPending}
        error={add.error}
        onCancel={() => {
          add.reset();
          onClose();
        }}
        onSubmit={() => onAdd(edit.values)}
      >
        {fields}
      </FormShell>
    );
  }
  return (
    <VersionedEditForm
      label={label}
      submitLabel={submitLabel}
      what={what}
      edit={edit}
      editing={editing}
      mutation={update}
      current={live && { version: live.version, updatedBy: live.recordedBy }}
      removed={live === undefined}
      valuesOf={valuesOf}
      fieldLabels={fieldLabels}
      format={format}
      save={(version) => editing.save((id, changes) => onUpdate(id, version, changes))}
    >
      {fields}
    </VersionedEditForm>
  );
}
