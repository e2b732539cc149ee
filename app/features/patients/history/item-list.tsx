import { useState, type ReactNode } from "react";
import { Notice } from "~/components/ui/notice";
import { EditItemButton } from "~/components/ui/versioned-edit";
import { errorMessageOf } from "~/lib/trpc";
import type { VersionedItem } from "./item-form";
import { EmptyRow, RemoveButton } from "./shared";

interface RemoveMutation {
  mutate: (input: { id: string; version: number }) => void;
  isPending: boolean;
  variables?: { id: string } | undefined;
  error: unknown;
}

interface ItemListProps<T extends VersionedItem> {
  items: T[];
  canWrite: boolean;
  empty: string;
  /** how the item is named on its buttons ("Edit Asthma") */
  name: (item: T) => string;
  view: (item: T) => ReactNode;
  /** the edit form: `item` as read when Edit was chosen, `live` as the list shows it now */
  editForm: (item: T, live: T | undefined, close: () => void) => ReactNode;
  remove: RemoveMutation;
}

/**
 * A history list whose rows can be edited in place and removed. The edited row keeps its form
 * while live events refresh the list; if the item disappears meanwhile, the form stays (what was
 * typed is not lost) and says so.
 */
export function ItemList<T extends VersionedItem>({ items, canWrite, empty, name, view, editForm, remove }: ItemListProps<T>) {
  const [editing, setEditing] = useState<T | null>(null);
  const close = () => setEditing(null);
  const editedGone = editing !== null && !items.some((i) => i.id === editing.id);

  if (!items.length && !editedGone) return <EmptyRow>{empty}</EmptyRow>;
  return (
    <ul className="divide-y divide-surface-border">
      {editedGone ? <li key={editing.id}>{editForm(editing, undefined, close)}</li> : null}
      {items.map((item) =>
        editing?.id === item.id ? (
          <li key={item.id}>{editForm(editing, item, close)}</li>
        ) : (
          <li key={item.id} className="px-4 py-3">
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0 text-sm">{view(item)}</div>
              {canWrite ? (
                <div className="flex shrink-0 items-start gap-1">
                  <EditItemButton name={name(item)} onEdit={() => setEditing(item)} />
                  <RemoveButton
                    what={name(item)}
                    pending={remove.isPending && remove.variables?.id === item.id}
                    onRemove={() => remove.mutate({ id: item.id, version: item.version })}
                  />
                </div>
              ) : null}
            </div>
            {remove.error && !remove.isPending && remove.variables?.id === item.id ? (
              <Notice tone="danger" role="alert" title="Not removed" className="mt-2">
                {errorMessageOf(remove.error)}
              </Notice>
            ) : null}
          </li>
        ),
      )}
    </ul>
  );
}
