import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable } from "~/components/data-table/data-table";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { AddToggle, FormShell } from "~/components/ui/form-shell";
import { EditItemButton, useVersionedEdit, VersionedEditForm } from "~/components/ui/versioned-edit";
import { useLiveEvent } from "~/lib/use-live-event";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { ENCOUNTER_TYPE_LABEL, ENCOUNTER_TYPE_OPTIONS } from "./format";
import type { EncounterType, NoteTemplate } from "./types";
import { SectionCard } from "./ui";

type TemplateValues = { name: string; encounterType: EncounterType | ""; subjective: string; objective: string; assessment: string; plan: string; isDefault: boolean };

const EMPTY: TemplateValues = { name: "", encounterType: "", subjective: "", objective: "", assessment: "", plan: "", isDefault: false };

const valuesOf = (t: NoteTemplate): TemplateValues => ({
  name: t.name,
  encounterType: t.encounterType ?? "",
  subjective: t.subjective,
  objective: t.objective,
  assessment: t.assessment,
  plan: t.plan,
  isDefault: t.isDefault,
});

const FIELD_LABEL: Record<keyof TemplateValues, string> = {
  name: "Name",
  encounterType: "Encounter type",
  subjective: "Subjective",
  objective: "Objective",
  assessment: "Assessment",
  plan: "Plan",
  isDefault: "Default for its type",
};
const SECTIONS = ["subjective", "objective", "assessment", "plan"] as const;
const TYPE_OPTIONS = [{ value: "", label: "Any visit type" }, ...ENCOUNTER_TYPE_OPTIONS];

const shown = (key: keyof TemplateValues, values: TemplateValues) => {
  const v = values[key];
  if (key === "encounterType") return v ? ENCOUNTER_TYPE_LABEL[v as EncounterType] : "Any visit type";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  return v;
};

/** What the server takes: "" type is "any type" (null). */
const toInput = <T extends Partial<TemplateValues>>(values: T) => {
  const { encounterType, ...rest } = values;
  return { ...rest, ...(encounterType !== undefined ? { encounterType: encounterType === "" ? null : encounterType } : {}) };
};

function TemplateFields({ values, onChange, errors }: { values: TemplateValues; onChange: (patch: Partial<TemplateValues>) => void; errors: Record<string, string[] | undefined> }) {
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Name" value={values.name} onChange={(e) => onChange({ name: e.target.value })} errors={errors.name} maxLength={120} />
        <SelectField
          label="Encounter type"
          value={values.encounterType}
          options={TYPE_OPTIONS}
          onChange={(e) => onChange({ encounterType: e.target.value as TemplateValues["encounterType"], ...(e.target.value === "" ? { isDefault: false } : {}) })}
          errors={errors.encounterType}
        />
      </div>
      <CheckboxField
        label="Default for this encounter type"
        hint={values.encounterType ? "New notes of this type start from it; the current default stops being one." : "Choose an encounter type to make it a default."}
        checked={values.isDefault}
        disabled={!values.encounterType}
        onChange={(e) => onChange({ isDefault: e.target.checked })}
        errors={errors.isDefault}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        {SECTIONS.map((s) => (
          <TextAreaField key={s} label={FIELD_LABEL[s]} rows={4} value={values[s]} onChange={(e) => onChange({ [s]: e.target.value })} errors={errors[s]} />
        ))}
      </div>
    </>
  );
}

const column = createColumnHelper<NoteTemplate>();

/**
 * The clinic's note templates (template:manage): add, edit with the version read (a stale save
 * shows theirs beside yours), archive and unarchive (never delete: notes reference them), and
 * choose each encounter type's default. Live on `charts.templates.changed` in the clinic's room.
 */
export function TemplatesAdmin({ clinicId, initial }: { clinicId: string; initial: NoteTemplate[] }) {
  const utils = trpc.useUtils();
  const { toast } = useToast();
  const query = trpc.charts.allTemplates.useQuery({ includeArchived: true }, { initialData: initial, meta: { silentErrors: true } });
  const refresh = () => void utils.charts.allTemplates.invalidate();
  useLiveEvent({ rooms: [`clinic:${clinicId}`], events: ["charts.templates.changed"], onEvent: () => refresh() });

  const [showArchived, setShowArchived] = useState(false);
  const items = query.data.filter((t) => showArchived || t.active);
  const archivedCount = query.data.filter((t) => !t.active).length;

  // ------------------------------------------------------------------ add
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState<TemplateValues>(EMPTY);
  const add = trpc.charts.addTemplate.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Template added: ${saved.name}` });
      setDraft(EMPTY);
      setAdding(false);
      refresh();
    },
  });

  // ------------------------------------------------------------------ edit
  const editing = useVersionedEdit<TemplateValues>();
  const { edit } = editing;
  const editedItem = edit ? query.data.find((t) => t.id === edit.id) : undefined;
  const update = trpc.charts.updateTemplate.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Template saved: ${saved.name}` });
      editing.stop();
      refresh();
    },
  });
  const quick = trpc.charts.updateTemplate.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: saved.active ? `Template restored: ${saved.name}` : `Template archived: ${saved.name}` });
      refresh();
    },
    onError: (error) => {
      toast({ tone: "danger", title: "Not changed", description: error.message });
      refresh();
    },
  });
  const save = (version: number) => editing.save((id, changes) => update.mutate({ id, version, ...toInput(changes) }));

  const columns = useMemo(
    () => [
      column.accessor("name", {
        header: "Template",
        enableSorting: true,
        cell: (c) => (
          <span>
            <span className="font-medium">{c.getValue()}</span>
            {c.row.original.isDefault ? (
              <Badge tone="brand" className="ml-2">
                Default
              </Badge>
            ) : null}
            {!c.row.original.active ? <Badge className="ml-2">Archived</Badge> : null}
          </span>
        ),
      }),
      column.accessor((t) => (t.encounterType ? ENCOUNTER_TYPE_LABEL[t.encounterType] : "Any visit type"), { id: "type", header: "Encounter type", enableSorting: true }),
      column.accessor("updatedAt", {
        header: "Last change",
        cell: (c) => (
          <span className="text-xs text-ink-muted">
            {c.row.original.updatedBy?.name ?? "Built in"}, <Time value={c.getValue()} />
          </span>
        ),
      }),
      column.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: (c) => {
          const t = c.row.original;
          return (
            <span className="flex gap-1">
              <EditItemButton name={t.name} onEdit={() => { update.reset(); editing.start(t.id, t.version, valuesOf(t)); }} />
              <Button size="sm" variant="ghost" aria-label={`${t.active ? "Archive" : "Restore"} ${t.name}`} disabled={quick.isPending} onClick={() => quick.mutate({ id: t.id, version: t.version, active: !t.active })}>
                {t.active ? "Archive" : "Restore"}
              </Button>
            </span>
          );
        },
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mutations are stable enough; rebuilding columns per render resets nothing
    [quick.isPending],
  );

  return (
    <SectionCard
      title="Note templates"
      description={`${query.data.filter((t) => t.active).length} in use`}
      action={
        <>
          <CheckboxField label={`Show archived (${archivedCount})`} checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          <AddToggle open={adding} label="Add template" onToggle={() => setAdding((a) => !a)} />
        </>
      }
    >
      {adding ? (
        <FormShell label="Add template" submitLabel="Add template" pending={add.isPending} error={add.error} onCancel={() => setAdding(false)} onSubmit={() => add.mutate(toInput(draft))}>
          <TemplateFields values={draft} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} errors={fieldErrorsOf(add.error)} />
        </FormShell>
      ) : null}

      <div className="p-4">
        <DataTable caption="Note templates" captionHidden data={items} columns={columns} getRowId={(t) => t.id} emptyMessage="No templates." />
      </div>

      {edit ? (
        <VersionedEditForm label="Edit template" submitLabel="Save template" what="this template" name={edit.base.name} current={editedItem} valuesOf={valuesOf} fieldLabels={FIELD_LABEL} format={shown} edit={edit} editing={editing} mutation={update} save={save} refresh={refresh}>
          <TemplateFields values={edit.values} onChange={editing.change} errors={fieldErrorsOf(update.error)} />
        </VersionedEditForm>
      ) : null}
    </SectionCard>
  );
}
