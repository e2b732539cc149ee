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
import { formatDate } from "~/features/patients/format";
import { useCan } from "~/features/patients/use-can";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { Icd10CodePicker, type PickedCode } from "./code-picker";
import { useChartEvents } from "./live";
import type { Problem } from "./types";
import { EnteredInErrorButton, SectionCard } from "./ui";

type ProblemValues = { description: string; onsetDate: string; status: "ACTIVE" | "RESOLVED"; resolvedAt: string; notes: string };

const valuesOf = (p: Problem): ProblemValues => ({
  description: p.description,
  onsetDate: p.onsetDate ?? "",
  status: p.status,
  resolvedAt: p.resolvedAt ?? "",
  notes: p.notes ?? "",
});

const FIELD_LABEL: Record<keyof ProblemValues, string> = { description: "Description", onsetDate: "Onset date", status: "Status", resolvedAt: "Resolved date", notes: "Notes" };
const STATUS_OPTIONS = [
  { value: "ACTIVE", label: "Active" },
  { value: "RESOLVED", label: "Resolved" },
];

const column = createColumnHelper<Problem>();

/**
 * The problem list (ICD-10-CM): add with the code picker, edit (description, onset, status,
 * notes), resolve and reactivate. Live on `charts.problems.changed`; stale edits show both versions.
 */
export function ProblemsSection({ patientId, initial }: { patientId: string; initial: Problem[] }) {
  const utils = trpc.useUtils();
  const { toast } = useToast();
  const canWrite = useCan("chart:write");
  const input = { patientId, includeInactive: true };
  const query = trpc.charts.problems.useQuery(input, { initialData: initial, meta: { silentErrors: true } });
  const refresh = () => void utils.charts.problems.invalidate({ patientId });
  useChartEvents(patientId, ["problems"], refresh);

  const [showResolved, setShowResolved] = useState(false);
  const [adding, setAdding] = useState(false);
  const items = query.data.filter((p) => !p.enteredInError && (showResolved || p.status === "ACTIVE"));
  const resolvedCount = query.data.filter((p) => !p.enteredInError && p.status === "RESOLVED").length;

  // ------------------------------------------------------------------ add
  const [code, setCode] = useState<PickedCode | null>(null);
  const [description, setDescription] = useState("");
  const [onset, setOnset] = useState("");
  const [notes, setNotes] = useState("");
  const add = trpc.charts.addProblem.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Problem added: ${saved.description}` });
      setCode(null);
      setDescription("");
      setOnset("");
      setNotes("");
      setAdding(false);
      refresh();
    },
  });
  const addErrors = fieldErrorsOf(add.error);

  // ------------------------------------------------------------------ edit
  const editing = useVersionedEdit<ProblemValues>();
  const { edit } = editing;
  const editedItem = edit ? query.data.find((p) => p.id === edit.id) : undefined;
  const update = trpc.charts.updateProblem.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Problem saved: ${saved.description}` });
      editing.stop();
      refresh();
    },
  });
  const editErrors = fieldErrorsOf(update.error);
  const quick = trpc.charts.updateProblem.useMutation({ onSuccess: refresh });

  // Resolving without a date: the server sets today.
  const save = (version: number) => editing.save((id, changes) => update.mutate({ id, version, ...changes }));

  const columns = useMemo(
    () => [
      column.accessor("description", {
        header: "Problem",
        enableSorting: true,
        cell: (c) => (
          <span>
            <span className="font-medium">{c.getValue()}</span>
            <span className="ml-2 rounded bg-surface-sunken px-1.5 py-0.5 font-mono text-xs text-ink-muted">{c.row.original.icd10CodeDotted}</span>
            {c.row.original.notes ? <span className="mt-0.5 block text-xs text-ink-muted">{c.row.original.notes}</span> : null}
          </span>
        ),
      }),
      column.accessor("onsetDate", { header: "Onset", enableSorting: true, cell: (c) => (c.getValue() ? formatDate(c.getValue()) : "—") }),
      column.accessor("status", {
        header: "Status",
        cell: (c) =>
          c.getValue() === "ACTIVE" ? (
            <Badge tone="brand">Active</Badge>
          ) : (
            <Badge>Resolved{c.row.original.resolvedAt ? ` ${formatDate(c.row.original.resolvedAt)}` : ""}</Badge>
          ),
      }),
      column.accessor("updatedAt", {
        header: "Last change",
        cell: (c) => (
          <span className="text-xs text-ink-muted">
            {c.row.original.updatedBy?.name ?? "—"}, <Time value={c.getValue()} />
          </span>
        ),
      }),
      ...(canWrite
        ? [
            column.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              cell: (c) => {
                const p = c.row.original;
                return (
                  <span className="flex gap-1">
                    <EditItemButton name={p.description} onEdit={() => { update.reset(); editing.start(p.id, p.version, valuesOf(p)); }} />
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`${p.status === "ACTIVE" ? "Resolve" : "Reactivate"} ${p.description}`}
                      disabled={quick.isPending}
                      onClick={() => quick.mutate({ id: p.id, version: p.version, status: p.status === "ACTIVE" ? "RESOLVED" : "ACTIVE" })}
                    >
                      {p.status === "ACTIVE" ? "Resolve" : "Reactivate"}
                    </Button>
                  </span>
                );
              },
            }),
          ]
        : []),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mutations are stable enough; rebuilding columns per render resets nothing
    [canWrite, quick.isPending],
  );

  return (
    <SectionCard
      title="Problem list"
      description={`${query.data.filter((p) => !p.enteredInError && p.status === "ACTIVE").length} active`}
      action={
        <>
          <CheckboxField label={`Show resolved (${resolvedCount})`} checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
          {canWrite ? (
            <AddToggle open={adding} label="Add problem" onToggle={() => setAdding((a) => !a)} />
          ) : null}
        </>
      }
    >
      {adding ? (
        <FormShell
          label="Add problem"
          submitLabel="Add problem"
          pending={add.isPending}
          error={add.error}
          onCancel={() => setAdding(false)}
          onSubmit={() => add.mutate({ patientId, icd10Code: code?.code ?? "", description: description || null, onsetDate: onset, notes })}
        >
          <Icd10CodePicker
            label="Diagnosis (ICD-10-CM)"
            value={code}
            onChange={setCode}
            errors={addErrors.icd10Code}
          />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Description" hint="Leave empty to use the code's description" value={description} onChange={(e) => setDescription(e.target.value)} errors={addErrors.description} maxLength={500} />
            <TextField label="Onset date" type="date" value={onset} onChange={(e) => setOnset(e.target.value)} errors={addErrors.onsetDate} />
          </div>
          <TextAreaField label="Problem notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} errors={addErrors.notes} maxLength={4000} />
        </FormShell>
      ) : null}

      <div className="p-4">
        <DataTable caption="Problems" captionHidden data={items} columns={columns} getRowId={(p) => p.id} emptyMessage={showResolved ? "No problems recorded." : "No active problems."} />
      </div>

      {edit ? (
        <VersionedEditForm
          label="Edit problem"
          submitLabel="Save problem"
          what="this problem"
          name={<>{edit.base.description}{editedItem ? <span className="ml-2 font-mono text-xs text-ink-muted">{editedItem.icd10CodeDotted}</span> : null}</>}
          current={editedItem} valuesOf={valuesOf} fieldLabels={FIELD_LABEL} edit={edit} editing={editing} mutation={update} save={save} refresh={refresh}>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Description" value={edit.values.description} onChange={(e) => editing.change({ description: e.target.value })} errors={editErrors.description} maxLength={500} />
            <TextField label="Onset date" type="date" value={edit.values.onsetDate} onChange={(e) => editing.change({ onsetDate: e.target.value })} errors={editErrors.onsetDate} />
            <SelectField label="Status" value={edit.values.status} options={STATUS_OPTIONS} onChange={(e) => editing.change({ status: e.target.value as ProblemValues["status"] })} errors={editErrors.status} />
            {edit.values.status === "RESOLVED" ? (
              <TextField label="Resolved date" type="date" hint="Today if left empty" value={edit.values.resolvedAt} onChange={(e) => editing.change({ resolvedAt: e.target.value })} errors={editErrors.resolvedAt} />
            ) : null}
          </div>
          <TextAreaField label="Problem notes" rows={2} value={edit.values.notes} onChange={(e) => editing.change({ notes: e.target.value })} errors={editErrors.notes} maxLength={4000} />
          <EnteredInErrorButton what={edit.base.description} pending={update.isPending} onConfirm={() => update.mutate({ id: edit.id, version: edit.baseVersion, enteredInError: true })} />
        </VersionedEditForm>
      ) : null}
    </SectionCard>
  );
}
