import { useState } from "react";
import { TextAreaField, TextField } from "~/components/ui/field";
import { AddToggle } from "~/components/ui/form-shell";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { EMPTY_CODED, Icd10Picker, type CodedText } from "../icd10-picker";
import type { FamilyHistoryItem } from "../types";
import { ItemFormShell, TheirValue, useItemForm } from "./item-form";
import { ItemList } from "./item-list";
import { Card, CodeBadge, codedLabel, intOrNull, Recorded, useHistoryWrite } from "./shared";

interface FamilyValues extends Record<string, unknown> {
  relative: string;
  condition: CodedText;
  ageAtOnset: string;
  note: string;
}

const EMPTY: FamilyValues = { relative: "", condition: EMPTY_CODED, ageAtOnset: "", note: "" };

const valuesOf = (f: FamilyHistoryItem): FamilyValues => ({
  relative: f.relative,
  condition: { text: f.condition, code: f.icd10Code, codeDotted: f.icd10CodeDotted },
  ageAtOnset: f.ageAtOnset === null ? "" : String(f.ageAtOnset),
  note: f.note ?? "",
});

const nameOf = (f: FamilyHistoryItem) => `${f.relative}: ${f.condition}`;

function FamilyHistoryForm({ patientId, item, live, canCodes, onClose }: { patientId: string; item?: FamilyHistoryItem; live?: FamilyHistoryItem; canCodes: boolean; onClose: () => void }) {
  const done = useHistoryWrite();
  const add = trpc.patients.history.addFamilyHistory.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      done(`Family history added: ${nameOf(saved)}`);
      onClose();
    },
  });
  const update = trpc.patients.history.updateFamilyHistory.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      done(`Family history saved: ${nameOf(saved)}`);
      onClose();
    },
  });
  const mutation = item ? update : add;
  const form = useItemForm({ patientId, item, live, empty: EMPTY, valuesOf, pick: (h) => h.familyHistory, mutation, onClose });
  const { values, set } = form;
  const errors = fieldErrorsOf(mutation.error);

  function submit() {
    if (!item) {
      const { relative, condition, ageAtOnset, note } = values;
      add.mutate({ patientId, relative, icd10Code: condition.code, condition: condition.text, ageAtOnset: intOrNull(ageAtOnset), note });
      return;
    }
    form.saveChanges((c, version) =>
      update.mutate({
        id: item.id,
        version,
        ...(c.relative !== undefined ? { relative: c.relative } : {}),
        ...(c.condition ? { icd10Code: c.condition.code, condition: c.condition.text } : {}),
        ...(c.ageAtOnset !== undefined ? { ageAtOnset: intOrNull(c.ageAtOnset) } : {}),
        ...(c.note !== undefined ? { note: c.note } : {}),
      }),
    );
  }

  return (
    <ItemFormShell
      form={form}
      noun="family history entry"
      label={item ? "Edit family history" : "Add family history"}
      submitLabel={item ? "Save changes" : "Save family history"}
      onSubmit={submit}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Relative"
          value={values.relative}
          onChange={(e) => set({ relative: e.target.value })}
          errors={errors.relative}
          placeholder="e.g. mother"
          maxLength={100}
          hint={form.theirHint("relative")}
        />
        <TextField
          label="Age at onset"
          type="number"
          inputMode="numeric"
          min={0}
          max={130}
          value={values.ageAtOnset}
          onChange={(e) => set({ ageAtOnset: e.target.value })}
          errors={errors.ageAtOnset}
          hint={form.theirHint("ageAtOnset")}
        />
      </div>
      <div>
        <Icd10Picker
          label="Relative's condition"
          value={values.condition}
          onChange={(condition) => set({ condition })}
          lookup={canCodes}
          errors={[...(errors.condition ?? []), ...(errors.icd10Code ?? [])]}
        />
        <TheirValue hint={form.theirHint("condition", (v) => codedLabel(v as CodedText))} />
      </div>
      <TextAreaField label="Family history note" rows={2} value={values.note} onChange={(e) => set({ note: e.target.value })} errors={errors.note} maxLength={2000} hint={form.theirHint("note")} />
    </ItemFormShell>
  );
}

export function FamilyHistoryCard({ patientId, items, canWrite, canCodes }: { patientId: string; items: FamilyHistoryItem[]; canWrite: boolean; canCodes: boolean }) {
  const done = useHistoryWrite();
  const [adding, setAdding] = useState(false);
  const remove = trpc.patients.history.removeFamilyHistory.useMutation({ meta: { silentErrors: true }, onSuccess: () => done("Family history entry removed") });

  return (
    <Card title="Family history" count={items.length} action={canWrite ? <AddToggle open={adding} label="Add family history" onToggle={() => setAdding((a) => !a)} /> : null}>
      <ItemList
        items={items}
        canWrite={canWrite}
        empty="No family history recorded."
        name={nameOf}
        remove={remove}
        editForm={(item, live, close) => <FamilyHistoryForm patientId={patientId} item={item} live={live} canCodes={canCodes} onClose={close} />}
        view={(item) => (
          <>
            <p className="text-ink">
              <span className="font-medium capitalize">{item.relative}</span>: {item.condition}
              <CodeBadge code={item.icd10CodeDotted} />
            </p>
            {item.ageAtOnset !== null ? <p className="mt-0.5 text-ink-muted">Onset at age {item.ageAtOnset}</p> : null}
            {item.note ? <p className="mt-1 text-ink">{item.note}</p> : null}
            <Recorded item={item} />
          </>
        )}
      />
      {adding ? <FamilyHistoryForm patientId={patientId} canCodes={canCodes} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}
