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
import { DrugField, routeOfDoseForm, type PickedDrug } from "./drug-pickers";
import { useChartEvents } from "./live";
import type { Medication } from "./types";
import { EnteredInErrorButton, SectionCard } from "./ui";

type MedValues = { drugName: string; rxcui: string | null; dose: string; route: string; frequency: string; startDate: string; stopDate: string; status: Medication["status"]; notes: string };

const valuesOf = (m: Medication): MedValues => ({
  drugName: m.drugName,
  rxcui: m.rxcui,
  dose: m.dose ?? "",
  route: m.route ?? "",
  frequency: m.frequency ?? "",
  startDate: m.startDate ?? "",
  stopDate: m.stopDate ?? "",
  status: m.status,
  notes: m.notes ?? "",
});

const FIELD_LABEL: Record<keyof MedValues, string> = {
  drugName: "Drug",
  rxcui: "RxNorm code",
  dose: "Dose",
  route: "Route",
  frequency: "Frequency",
  startDate: "Start date",
  stopDate: "Stop date",
  status: "Status",
  notes: "Notes",
};

const ROUTES = ["oral", "sublingual", "inhaled", "topical", "subcutaneous", "intramuscular", "intravenous", "intranasal", "ophthalmic", "otic", "rectal", "transdermal", "vaginal"];
const FREQUENCIES = ["once daily", "twice daily", "three times daily", "four times daily", "at bedtime", "every 4 hours as needed", "every 6 hours as needed", "once weekly", "as needed"];
const STATUS_OPTIONS = [
  { value: "ACTIVE", label: "Active" },
  { value: "STOPPED", label: "Stopped" },
];

const column = createColumnHelper<Medication>();

/** What a picked RxNorm drug tells us: its strength as the dose and its route, where still empty. */
const prefill = (current: { dose: string; route: string }, drug: PickedDrug) => ({
  dose: current.dose || (drug.strength ?? "").replace(/\bMG\b/g, "mg").replace(/\bML\b/g, "mL").replace(/\bUNT\b/g, "units"),
  route: routeOfDoseForm(drug.doseForm) ?? current.route,
});

/** What the patient takes: dose, route, frequency, start and stop. Live and version-checked. */
export function MedicationsSection({ patientId, initial }: { patientId: string; initial: Medication[] }) {
  const utils = trpc.useUtils();
  const { toast } = useToast();
  const canWrite = useCan("chart:write");
  const query = trpc.charts.medications.useQuery({ patientId, includeInactive: true }, { initialData: initial, meta: { silentErrors: true } });
  const refresh = () => {
    void utils.charts.medications.invalidate({ patientId });
    void utils.charts.summary.invalidate({ patientId });
  };
  // Allergy changes move the allergy flags on this list.
  useChartEvents(patientId, ["medications", "allergies"], refresh);

  const [showStopped, setShowStopped] = useState(false);
  const [adding, setAdding] = useState(false);
  const visible = query.data.filter((m) => !m.enteredInError);
  const items = visible.filter((m) => showStopped || m.status === "ACTIVE");

  // ------------------------------------------------------------------ add
  const empty = { drugName: "", rxcui: null as string | null, dose: "", route: "oral", frequency: "", startDate: "", stopDate: "", notes: "" };
  const [form, setForm] = useState(empty);
  const add = trpc.charts.addMedication.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Medication added: ${saved.drugName}` });
      for (const w of saved.allergyWarnings) toast({ tone: "danger", title: `Allergy recorded: ${w.allergen}`, description: `${saved.drugName} contains ${w.ingredient}.` });
      setForm(empty);
      setAdding(false);
      refresh();
    },
  });
  const addErrors = fieldErrorsOf(add.error);

  // ------------------------------------------------------------------ edit
  const editing = useVersionedEdit<MedValues>();
  const { edit } = editing;
  const editedItem = edit ? query.data.find((m) => m.id === edit.id) : undefined;
  const update = trpc.charts.updateMedication.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Medication saved: ${saved.drugName}` });
      editing.stop();
      refresh();
    },
  });
  const editErrors = fieldErrorsOf(update.error);
  const quick = trpc.charts.updateMedication.useMutation({ onSuccess: refresh });

  const save = (version: number) => editing.save((id, changes) => update.mutate({ id, version, ...changes }));

  const columns = useMemo(
    () => [
      column.accessor("drugName", {
        header: "Medication",
        enableSorting: true,
        cell: (c) => (
          <span>
            <span className="font-medium">{c.getValue()}</span>
            {c.row.original.source === "PRESCRIPTION" ? <Badge className="ml-2">Prescribed</Badge> : null}
            {c.row.original.allergyWarnings.map((w) => (
              <Badge key={w.allergyId} tone="danger" className="ml-2">
                Allergy: {w.allergen}
                {w.allergen.toLowerCase() === w.ingredient ? "" : ` (${w.ingredient})`}
              </Badge>
            ))}
            {c.row.original.notes ? <span className="mt-0.5 block text-xs text-ink-muted">{c.row.original.notes}</span> : null}
          </span>
        ),
      }),
      column.accessor("dose", { header: "Dose", cell: (c) => c.getValue() ?? "—" }),
      column.accessor("route", { header: "Route", cell: (c) => c.getValue() ?? "—" }),
      column.accessor("frequency", { header: "Frequency", cell: (c) => c.getValue() ?? "—" }),
      column.accessor("startDate", { header: "Start", enableSorting: true, cell: (c) => (c.getValue() ? formatDate(c.getValue()) : "—") }),
      column.accessor("status", {
        header: "Status",
        cell: (c) =>
          c.getValue() === "ACTIVE" ? (
            <Badge tone="brand">Active{c.row.original.stopDate ? ` until ${formatDate(c.row.original.stopDate)}` : ""}</Badge>
          ) : (
            <Badge>Stopped{c.row.original.stopDate ? ` ${formatDate(c.row.original.stopDate)}` : ""}</Badge>
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
                const m = c.row.original;
                return (
                  <span className="flex gap-1">
                    <EditItemButton name={m.drugName} onEdit={() => { update.reset(); editing.start(m.id, m.version, valuesOf(m)); }} />
                    {m.status === "ACTIVE" ? (
                      <Button size="sm" variant="ghost" aria-label={`Stop ${m.drugName}`} disabled={quick.isPending} onClick={() => quick.mutate({ id: m.id, version: m.version, status: "STOPPED" })}>
                        Stop
                      </Button>
                    ) : null}
                  </span>
                );
              },
            }),
          ]
        : []),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the handlers only read state through setters
    [canWrite, quick.isPending],
  );

  const routeOptions = (current: string) => [{ value: "", label: "Not recorded" }, ...[...ROUTES, ...(current && !ROUTES.includes(current) ? [current] : [])].map((r) => ({ value: r, label: r }))];

  return (
    <SectionCard
      title="Medications"
      description={`${visible.filter((m) => m.status === "ACTIVE").length} active`}
      action={
        <>
          <CheckboxField label="Show stopped" checked={showStopped} onChange={(e) => setShowStopped(e.target.checked)} />
          {canWrite ? (
            <AddToggle open={adding} label="Add medication" onToggle={() => setAdding((a) => !a)} />
          ) : null}
        </>
      }
    >
      <datalist id="medication-frequencies">
        {FREQUENCIES.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {adding ? (
        <FormShell label="Add medication" submitLabel="Add medication" pending={add.isPending} error={add.error} onCancel={() => setAdding(false)} onSubmit={() => add.mutate({ patientId, ...form })}>
          <div className="grid gap-3 sm:grid-cols-3">
            <DrugField value={form} onChange={(v) => setForm((f) => ({ ...f, ...v }))} onPick={(d) => setForm((f) => ({ ...f, ...prefill(f, d) }))} errors={addErrors.drugName ?? addErrors.rxcui} />
            <TextField label="Dose" placeholder="10 mg" value={form.dose} onChange={(e) => setForm((f) => ({ ...f, dose: e.target.value }))} errors={addErrors.dose} maxLength={100} />
            <SelectField label="Route" value={form.route} options={routeOptions(form.route)} onChange={(e) => setForm((f) => ({ ...f, route: e.target.value }))} errors={addErrors.route} />
            <TextField label="Frequency" list="medication-frequencies" value={form.frequency} onChange={(e) => setForm((f) => ({ ...f, frequency: e.target.value }))} errors={addErrors.frequency} maxLength={100} />
            <TextField label="Start date" type="date" value={form.startDate} onChange={(e) => setForm((f) => ({ ...f, startDate: e.target.value }))} errors={addErrors.startDate} />
            <TextField label="Stop date" type="date" value={form.stopDate} onChange={(e) => setForm((f) => ({ ...f, stopDate: e.target.value }))} errors={addErrors.stopDate} />
          </div>
          <TextAreaField label="Medication notes" rows={2} value={form.notes} onChange={(e) => setForm((f) => ({ ...f, notes: e.target.value }))} errors={addErrors.notes} maxLength={4000} />
        </FormShell>
      ) : null}

      <div className="p-4">
        <DataTable caption="Medications" captionHidden data={items} columns={columns} getRowId={(m) => m.id} emptyMessage={showStopped ? "No medications recorded." : "No active medications."} />
      </div>

      {edit ? (
        <VersionedEditForm label="Edit medication" submitLabel="Save medication" what="this medication" name={edit.base.drugName} current={editedItem} valuesOf={valuesOf} fieldLabels={FIELD_LABEL} edit={edit} editing={editing} mutation={update} save={save} refresh={refresh}>
          <div className="grid gap-3 sm:grid-cols-3">
            <DrugField value={edit.values} onChange={(v) => editing.change(v)} onPick={(d) => editing.change(prefill(edit.values, d))} errors={editErrors.drugName ?? editErrors.rxcui} />
            <TextField label="Dose" value={edit.values.dose} onChange={(e) => editing.change({ dose: e.target.value })} errors={editErrors.dose} maxLength={100} />
            <SelectField label="Route" value={edit.values.route} options={routeOptions(edit.values.route)} onChange={(e) => editing.change({ route: e.target.value })} errors={editErrors.route} />
            <TextField label="Frequency" list="medication-frequencies" value={edit.values.frequency} onChange={(e) => editing.change({ frequency: e.target.value })} errors={editErrors.frequency} maxLength={100} />
            <TextField label="Start date" type="date" value={edit.values.startDate} onChange={(e) => editing.change({ startDate: e.target.value })} errors={editErrors.startDate} />
            <TextField label="Stop date" type="date" value={edit.values.stopDate} onChange={(e) => editing.change({ stopDate: e.target.value })} errors={editErrors.stopDate} />
            <SelectField label="Status" value={edit.values.status} options={STATUS_OPTIONS} onChange={(e) => editing.change({ status: e.target.value as Medication["status"] })} errors={editErrors.status} />
          </div>
          <TextAreaField label="Medication notes" rows={2} value={edit.values.notes} onChange={(e) => editing.change({ notes: e.target.value })} errors={editErrors.notes} maxLength={4000} />
          <EnteredInErrorButton what={edit.base.drugName} pending={update.isPending} onConfirm={() => update.mutate({ id: edit.id, version: edit.baseVersion, enteredInError: true })} />
        </VersionedEditForm>
      ) : null}
    </SectionCard>
  );
}
