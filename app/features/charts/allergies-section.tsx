import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable } from "~/components/data-table/data-table";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { AddToggle, FormShell } from "~/components/ui/form-shell";
import { EditItemButton, useVersionedEdit, VersionedEditForm } from "~/components/ui/versioned-edit";
import { formatDate } from "~/features/patients/format";
import { useCan } from "~/features/patients/use-can";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { ALLERGY_CATEGORY_LABEL, ALLERGY_SEVERITY_LABEL, ALLERGY_STATUS_LABEL } from "./format";
import { AllergenField } from "./drug-pickers";
import { useChartEvents } from "./live";
import type { Allergies, Allergy, AllergyCategory, AllergySeverity } from "./types";
import { SectionCard } from "./ui";

type AllergyValues = { substance: string; rxcui: string | null; drugClass: string | null; category: AllergyCategory; reaction: string; severity: AllergySeverity | ""; onsetDate: string; notes: string; status: Allergy["status"] };

const valuesOf = (a: Allergy): AllergyValues => ({
  substance: a.substance,
  rxcui: a.rxcui,
  drugClass: a.drugClass,
  category: a.category,
  reaction: a.reaction ?? "",
  severity: a.severity ?? "",
  onsetDate: a.onsetDate ?? "",
  notes: a.notes ?? "",
  status: a.status,
});

const FIELD_LABEL: Record<keyof AllergyValues, string> = {
  substance: "Substance",
  rxcui: "RxNorm code",
  drugClass: "Drug class",
  category: "Category",
  reaction: "Reaction",
  severity: "Severity",
  onsetDate: "Onset date",
  notes: "Notes",
  status: "Status",
};

const CATEGORY_OPTIONS = (Object.keys(ALLERGY_CATEGORY_LABEL) as AllergyCategory[]).map((value) => ({ value, label: ALLERGY_CATEGORY_LABEL[value] }));
const SEVERITY_OPTIONS = [{ value: "", label: "Not recorded" }, ...(Object.keys(ALLERGY_SEVERITY_LABEL) as AllergySeverity[]).map((value) => ({ value, label: ALLERGY_SEVERITY_LABEL[value] }))];
const STATUS_OPTIONS = (Object.keys(ALLERGY_STATUS_LABEL) as Allergy["status"][]).map((value) => ({ value, label: ALLERGY_STATUS_LABEL[value] }));

const display = (k: keyof AllergyValues, v: AllergyValues) =>
  k === "category" ? ALLERGY_CATEGORY_LABEL[v.category] : k === "severity" ? (v.severity ? ALLERGY_SEVERITY_LABEL[v.severity] : "") : k === "status" ? ALLERGY_STATUS_LABEL[v.status] : String(v[k] ?? "");

const column = createColumnHelper<Allergy>();

type SubstanceValues = Pick<AllergyValues, "substance" | "rxcui" | "drugClass" | "category">;

/** Drugs are coded (an ingredient or a class, for the medication-list check); other substances are plain text. */
function SubstanceField({ values, onChange, errors }: { values: SubstanceValues; onChange: (v: Partial<SubstanceValues>) => void; errors?: string[] }) {
  return values.category === "DRUG" ? (
    <AllergenField value={values} onChange={onChange} errors={errors} />
  ) : (
    <TextField label="Substance" value={values.substance} onChange={(e) => onChange({ substance: e.target.value })} errors={errors} maxLength={200} />
  );
}

/** Only a drug allergy carries a drug code. */
const categoryChange = (category: AllergyCategory): Partial<SubstanceValues> => (category === "DRUG" ? { category } : { category, rxcui: null, drugClass: null });

/**
 * Allergies: substance, category, reaction, severity, status; "No known allergies" recorded
 * explicitly (refused by the server while an allergy is active). Live and version-checked.
 */
export function AllergiesSection({ patientId, initial }: { patientId: string; initial: Allergies }) {
  const utils = trpc.useUtils();
  const { toast } = useToast();
  const canWrite = useCan("chart:write");
  const query = trpc.charts.allergies.useQuery({ patientId, includeInactive: true }, { initialData: initial, meta: { silentErrors: true } });
  const refresh = () => {
    void utils.charts.allergies.invalidate({ patientId });
    void utils.charts.summary.invalidate({ patientId });
  };
  useChartEvents(patientId, ["allergies"], refresh);
  const data = query.data;

  const [showInactive, setShowInactive] = useState(false);
  const [adding, setAdding] = useState(false);
  const active = data.items.filter((a) => a.status === "ACTIVE");
  const items = data.items.filter((a) => showInactive || a.status === "ACTIVE");

  const nka = trpc.charts.setNoKnownAllergies.useMutation({
    meta: { silentErrors: true },
    onSuccess: () => {
      toast({ tone: "success", title: "Recorded: no known allergies" });
      refresh();
    },
  });

  // ------------------------------------------------------------------ add
  const empty = { substance: "", rxcui: null as string | null, drugClass: null as string | null, category: "DRUG" as AllergyCategory, reaction: "", severity: "" as AllergySeverity | "", onsetDate: "", notes: "" };
  const [form, setForm] = useState(empty);
  const add = trpc.charts.addAllergy.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Allergy added: ${saved.substance}` });
      setForm(empty);
      setAdding(false);
      refresh();
    },
  });
  const addErrors = fieldErrorsOf(add.error);

  // ------------------------------------------------------------------ edit
  const editing = useVersionedEdit<AllergyValues>();
  const { edit } = editing;
  const editedItem = edit ? data.items.find((a) => a.id === edit.id) : undefined;
  const update = trpc.charts.updateAllergy.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Allergy saved: ${saved.substance}` });
      editing.stop();
      refresh();
    },
  });
  const editErrors = fieldErrorsOf(update.error);

  const save = (version: number) =>
    editing.save((id, { severity, ...rest }) => update.mutate({ id, version, ...rest, ...(severity !== undefined ? { severity: severity || null } : {}) }));

  const columns = useMemo(
    () => [
      column.accessor("substance", {
        header: "Substance",
        enableSorting: true,
        cell: (c) => (
          <span>
            <span className="font-medium">{c.getValue()}</span>
            {c.row.original.notes ? <span className="mt-0.5 block text-xs text-ink-muted">{c.row.original.notes}</span> : null}
          </span>
        ),
      }),
      column.accessor("category", { header: "Category", cell: (c) => ALLERGY_CATEGORY_LABEL[c.getValue()] }),
      column.accessor("reaction", { header: "Reaction", cell: (c) => c.getValue() ?? <span className="text-ink-subtle">—</span> }),
      column.accessor("severity", {
        header: "Severity",
        cell: (c) => {
          const s = c.getValue();
          return s ? <Badge tone={s === "SEVERE" || s === "LIFE_THREATENING" ? "danger" : "warn"}>{ALLERGY_SEVERITY_LABEL[s]}</Badge> : <span className="text-ink-subtle">—</span>;
        },
      }),
      column.accessor("status", { header: "Status", cell: (c) => <Badge tone={c.getValue() === "ACTIVE" ? "danger" : "neutral"}>{ALLERGY_STATUS_LABEL[c.getValue()]}</Badge> }),
      column.accessor("onsetDate", { header: "Onset", cell: (c) => (c.getValue() ? formatDate(c.getValue()) : "—") }),
      ...(canWrite
        ? [
            column.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              cell: (c) => (
                <EditItemButton name={c.row.original.substance} onEdit={() => { update.reset(); editing.start(c.row.original.id, c.row.original.version, valuesOf(c.row.original)); }} />
              ),
            }),
          ]
        : []),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the handlers only read state through setters
    [canWrite],
  );

  return (
    <SectionCard
      title="Allergies"
      description={
        data.status === "NOT_RECORDED" ? (
          <span className="text-warn-700">Allergies not recorded: ask the patient.</span>
        ) : data.status === "NO_KNOWN_ALLERGIES" ? (
          <span data-testid="nka-recorded">
            No known allergies
            {data.statusRecordedBy ? (
              <>
                {" "}
                (recorded by {data.statusRecordedBy.name}
                {data.statusRecordedAt ? (
                  <>
                    , <Time value={data.statusRecordedAt} />
                  </>
                ) : null}
                )
              </>
            ) : null}
          </span>
        ) : (
          `${active.length} active`
        )
      }
      action={
        <>
          <CheckboxField label="Show inactive" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
          {canWrite && active.length === 0 && data.status !== "NO_KNOWN_ALLERGIES" ? (
            <Button size="sm" variant="secondary" disabled={nka.isPending} onClick={() => nka.mutate({ patientId })}>
              {nka.isPending ? "Recording…" : "No known allergies"}
            </Button>
          ) : null}
          {canWrite ? (
            <AddToggle open={adding} label="Add allergy" onToggle={() => setAdding((a) => !a)} />
          ) : null}
        </>
      }
    >
      {nka.error ? (
        <Notice tone="danger" role="alert" className="m-4">
          {errorMessageOf(nka.error)}
        </Notice>
      ) : null}
      {adding ? (
        <FormShell
          label="Add allergy"
          submitLabel="Add allergy"
          pending={add.isPending}
          error={add.error}
          onCancel={() => setAdding(false)}
          onSubmit={() => add.mutate({ patientId, ...form, severity: form.severity || null })}
        >
          <div className="grid gap-3 sm:grid-cols-2">
            <SubstanceField values={form} onChange={(v) => setForm((f) => ({ ...f, ...v }))} errors={addErrors.substance ?? addErrors.drugClass} />
            <SelectField label="Category" value={form.category} options={CATEGORY_OPTIONS} onChange={(e) => setForm((f) => ({ ...f, ...categoryChange(e.target.value as AllergyCategory) }))} errors={addErrors.category} />
            <TextField label="Reaction" value={form.reaction} onChange={(e) => setForm((f) => ({ ...f, reaction: e.target.value }))} errors={addErrors.reaction} maxLength={500} />
            <SelectField label="Severity" value={form.severity} options={SEVERITY_OPTIONS} onChange={(e) => setForm((f) => ({ ...f, severity: e.target.value as AllergySeverity | "" }))} errors={addErrors.severity} />
            <TextField label="Onset date" type="date" value={form.onsetDate} onChange={(e) => setForm((f) => ({ ...f, onsetDate: e.target.value }))} errors={addErrors.onsetDate} />
          </div>
          <TextAreaField label="Allergy notes" rows={2} value={form.notes} onChange={(e) => setForm((f) => ({ ...f, notes: e.target.value }))} errors={addErrors.notes} maxLength={4000} />
        </FormShell>
      ) : null}

      <div className="p-4">
        <DataTable
          caption="Allergies"
          captionHidden
          data={items}
          columns={columns}
          getRowId={(a) => a.id}
          emptyMessage={data.status === "NO_KNOWN_ALLERGIES" ? "No known allergies." : "No allergies recorded."}
        />
      </div>

      {edit ? (
        <VersionedEditForm label="Edit allergy" submitLabel="Save allergy" what="this allergy" name={edit.base.substance} current={editedItem} valuesOf={valuesOf} fieldLabels={FIELD_LABEL} format={display} edit={edit} editing={editing} mutation={update} save={save} refresh={refresh}>
          <div className="grid gap-3 sm:grid-cols-2">
            <SubstanceField values={edit.values} onChange={(v) => editing.change(v)} errors={editErrors.substance ?? editErrors.drugClass} />
            <SelectField label="Category" value={edit.values.category} options={CATEGORY_OPTIONS} onChange={(e) => editing.change(categoryChange(e.target.value as AllergyCategory))} errors={editErrors.category} />
            <TextField label="Reaction" value={edit.values.reaction} onChange={(e) => editing.change({ reaction: e.target.value })} errors={editErrors.reaction} maxLength={500} />
            <SelectField label="Severity" value={edit.values.severity} options={SEVERITY_OPTIONS} onChange={(e) => editing.change({ severity: e.target.value as AllergySeverity | "" })} errors={editErrors.severity} />
            <SelectField label="Status" value={edit.values.status} options={STATUS_OPTIONS} onChange={(e) => editing.change({ status: e.target.value as Allergy["status"] })} errors={editErrors.status} />
            <TextField label="Onset date" type="date" value={edit.values.onsetDate} onChange={(e) => editing.change({ onsetDate: e.target.value })} errors={editErrors.onsetDate} />
          </div>
          <TextAreaField label="Allergy notes" rows={2} value={edit.values.notes} onChange={(e) => editing.change({ notes: e.target.value })} errors={editErrors.notes} maxLength={4000} />
        </VersionedEditForm>
      ) : null}
    </SectionCard>
  );
}
