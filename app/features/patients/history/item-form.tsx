import { useRevalidator } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { FormShell } from "~/components/ui/form-shell";
import { Notice } from "~/components/ui/notice";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, isTrpcError, trpc } from "~/lib/trpc";
import { useAppData } from "~/lib/use-app-data";
import type { History } from "../types";

/**
 * One form for adding and for editing a history item (add: empty, edit: prefilled). Edits follow
 * the demographics form's version rules (demographics-section.tsx): send only the changed fields
 * with the version that was read; when a live event brings a newer version, say who changed it;
 * a stale save is refused by the server with their name, and "Load their changes" merges their
 * saved item under what the user typed, showing theirs beside each field both of them changed.
 */

export type FormValues = Record<string, unknown>;

export interface VersionedItem {
  id: string;
  version: number;
  recordedBy: { id: string; name: string };
}

/** What the form's mutation (add or update) reports. */
interface MutationState {
  error: unknown;
  isPending: boolean;
  reset: () => void;
}

interface FormState<V> {
  /** the item as it was read when the edit started (or when their changes were loaded) */
  base: V;
  baseVersion: number;
  values: V;
  /** fields both people changed: their saved values, shown beside the user's */
  theirs: Partial<V>;
  /** set after "Load their changes": whose changes were merged in */
  loadedFrom?: string;
  /** "Load their changes" found the item gone */
  removed?: boolean;
}

// Values are strings, booleans or small objects (a coded condition): compared as JSON.
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the fields the user changed: a save never rewrites what someone else changed meanwhile. */
export function changedValues<V extends FormValues>(base: V, values: V): Partial<V> {
  const out: Partial<V> = {};
  for (const key of Object.keys(values) as (keyof V)[]) if (!same(values[key], base[key])) out[key] = values[key];
  return out;
}

/**
 * Their saved item becomes the new base. Fields the user left alone take their values; fields
 * both changed (differently) keep the user's and report theirs, to show side by side.
 */
export function rebaseValues<V extends FormValues>(base: V, theirs: V, mine: V): { next: V; conflicts: Partial<V> } {
  const next = { ...mine };
  const conflicts: Partial<V> = {};
  for (const key of Object.keys(mine) as (keyof V)[]) {
    if (same(base[key], mine[key])) next[key] = theirs[key];
    else if (!same(theirs[key], base[key]) && !same(theirs[key], mine[key])) conflicts[key] = theirs[key];
  }
  return { next, conflicts };
}

interface UseItemFormOptions<V extends FormValues, T extends VersionedItem> {
  patientId: string;
  /** edit: the item as read when the user chose Edit; add: undefined */
  item?: T;
  /** edit: the item as the page shows it now (newer after a live event); undefined once removed */
  live?: T;
  empty: V;
  valuesOf: (item: T) => V;
  /** this kind's items in a freshly read history */
  pick: (history: History) => T[];
  mutation: MutationState;
  onClose: () => void;
}

export function useItemForm<V extends FormValues, T extends VersionedItem>({ patientId, item, live, empty, valuesOf, pick, mutation, onClose }: UseItemFormOptions<V, T>) {
  const { me } = useAppData();
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  const utils = trpc.useUtils();
  const [state, setState] = useState<FormState<V>>(() => {
    const base = item ? valuesOf(item) : empty;
    return { base, baseVersion: item?.version ?? 0, values: base, theirs: {} };
  });
  const [loading, setLoading] = useState(false);

  const conflict = isTrpcError(mutation.error) && mutation.error.data?.code === "CONFLICT";
  const isEdit = item !== undefined;
  // A live event reloaded the list while this person was editing the item (or took it away).
  const changedMeanwhile = isEdit && live !== undefined && live.version > state.baseVersion;
  const goneMeanwhile = isEdit && (live === undefined || state.removed === true);
  const editor = live ? (live.recordedBy.id === me.user.id ? "You" : live.recordedBy.name) : "Someone";

  /** Fetches the latest saved history and merges this item under what the user typed. */
  async function loadTheirChanges() {
    if (!item) return;
    setLoading(true);
    try {
      const latest = pick(await utils.client.patients.history.get.query({ patientId })).find((i) => i.id === item.id);
      mutation.reset();
      if (!latest) {
        setState((s) => ({ ...s, removed: true }));
      } else {
        const theirValues = valuesOf(latest);
        setState((s) => {
          const { next, conflicts } = rebaseValues(s.base, theirValues, s.values);
          return { base: theirValues, baseVersion: latest.version, values: next, theirs: conflicts, loadedFrom: latest.recordedBy.name };
        });
      }
      revalidate();
    } catch (error) {
      toast({ tone: "danger", title: errorMessageOf(error) });
    } finally {
      setLoading(false);
    }
  }

  /** Drop what this user typed; the list shows the item as the other person saved it. */
  function keepTheirs() {
    mutation.reset();
    revalidate();
    onClose();
  }

  return {
    isEdit,
    values: state.values,
    set: (patch: Partial<V>) => setState((s) => ({ ...s, values: { ...s.values, ...patch } })),
    baseVersion: state.baseVersion,
    theirs: state.theirs,
    loadedFrom: state.loadedFrom,
    conflict,
    changedMeanwhile,
    goneMeanwhile,
    editor,
    loading,
    loadTheirChanges,
    keepTheirs,
    mutation,
    onClose,
    /** Edit: calls `send` with the changed fields only; nothing changed just closes the form. */
    saveChanges(send: (changes: Partial<V>, version: number) => void) {
      const changes = changedValues(state.base, state.values);
      if (!Object.keys(changes).length) return onClose();
      send(changes, state.baseVersion);
    },
    /** The other person's saved value of a field both changed, for under the user's own. */
    theirHint(field: keyof V, show: (value: V[keyof V]) => string = (v) => String(v)): string | undefined {
      if (!(field in state.theirs)) return undefined;
      const value = state.theirs[field] as V[keyof V];
      const text = value === "" || value === undefined ? "(empty)" : show(value);
      return `Their saved value: ${text}. Yours is kept; change it if theirs is right.`;
    },
  };
}

export type ItemForm<V extends FormValues> = ReturnType<typeof useItemForm<V, VersionedItem>>;

/** For fields whose component has no hint of its own to carry their value (the ICD-10 picker). */
export function TheirValue({ hint }: { hint: string | undefined }) {
  return hint ? <p className="text-xs text-warn-700">{hint}</p> : null;
}

interface ItemFormShellProps<V extends FormValues> {
  form: ItemForm<V>;
  /** "condition", "surgery", "family history entry" */
  noun: string;
  label: string;
  submitLabel: string;
  onSubmit: () => void;
  children: ReactNode;
}

export function ItemFormShell<V extends FormValues>({ form, noun, label, submitLabel, onSubmit, children }: ItemFormShellProps<V>) {
  const { mutation, conflict } = form;

  const loadButton = (
    <Button size="sm" variant="secondary" onClick={form.loadTheirChanges} disabled={form.loading}>
      {form.loading ? "Loading…" : "Load their changes"}
    </Button>
  );
  const keepTheirsButton = (
    <Button size="sm" variant="ghost" onClick={form.keepTheirs}>
      Keep theirs
    </Button>
  );

  return (
    <FormShell
      label={label}
      submitLabel={submitLabel}
      pending={mutation.isPending}
      error={mutation.error}
      hideError={conflict}
      onCancel={() => {
        mutation.reset();
        form.onClose();
      }}
      onSubmit={onSubmit}
    >
      {form.goneMeanwhile ? (
        <Notice tone="warn" role="status" title={`This ${noun} was removed since you opened it.`}>
          What you typed cannot be saved to it. Cancel to close the form, or add it again.
        </Notice>
      ) : null}
      {form.changedMeanwhile && !conflict && !form.goneMeanwhile ? (
        <Notice tone="info" role="status" title={`${form.editor} changed this ${noun}; your save will be checked against their change.`} actions={loadButton}>
          What you typed stays here. Load their changes to bring them into this form before saving.
        </Notice>
      ) : null}
      {form.loadedFrom && !form.changedMeanwhile && !form.goneMeanwhile ? (
        <Notice tone="info" role="status" title={`Loaded the latest version (saved by ${form.loadedFrom}).`} actions={keepTheirsButton}>
          Fields you had not changed now show their values.{" "}
          {Object.keys(form.theirs).length
            ? "Where you both changed a field, yours is kept and theirs is shown under it."
            : "None of your changes clashed with theirs."}{" "}
          Save to apply yours over theirs, or keep theirs.
        </Notice>
      ) : null}

      {children}

      {conflict ? (
        <Notice
          tone="warn"
          role="alert"
          title={`Not saved: someone else changed this ${noun}`}
          actions={
            <>
              {loadButton}
              {keepTheirsButton}
            </>
          }
        >
          {errorMessageOf(mutation.error)} Your changes are still in the form.
        </Notice>
      ) : null}
    </FormShell>
  );
}
