import { useState } from "react";
import { TextAreaField, TextField } from "~/components/ui/field";
import { AddToggle } from "~/components/ui/form-shell";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { EMPTY_CODED, Icd10Picker, type CodedText } from "../icd10-picker";
import type { FamilyHistoryItem } from "../types";
import { ItemForm, type ItemKind } from "./item-form";
import { ItemList } from "./item-list";
import { Card, CodeBadge, codedLabel, intOrNull, Recorded, useFormWrite, useHistoryWrite } from "./shared";

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

const LABELS: Record<keyof FamilyValues, string> = { relative: "Relative", condition: "Relative's condition", ageAtOnset: "Age at onset", note: "Family history note" };

const shown = (key: keyof FamilyValues, v: FamilyValues) => (key === "condition" ? codedLabel(v.condition) : String(v[key] ?? ""));

const FAMILY_HISTORY: ItemKind<FamilyValues, FamilyHistoryItem> = { empty: EMPTY, valuesOf, fieldLabels: LABELS, format: shown, what: "this family history entry" };

function FamilyHistoryForm({ patientId, item, live, canCodes, onClose }: { patientId: string; item?: FamilyHistoryItem; live?: FamilyHistoryItem; canCodes: boolean; onClose: () => void }) {
  const add = trpc.patients.history.addFamilyHistory.useMutation(useFormWrite(onClose, (saved: FamilyHistoryItem) => `Family history added: ${nameOf(saved)}`));
  const update = trpc.patients.history.updateFamilyHistory.useMutation(useFormWrite(onClose, (saved: FamilyHistoryItem) => `Family history saved: ${nameOf(saved)}`));
  const errors = fieldErrorsOf((item ? update : add).error);

  return (
    <ItemForm
      kind={FAMILY_HISTORY}
      item={item}
      live={live}
      label={item ? "Edit family history" : "Add family history"}
      submitLabel={item ? "Save changes" : "Save family history"}
      add={add}
      update={update}
      onAdd={({ relative, condition, ageAtOnset, note }) =>
        add.mutate({ patientId, relative, icd10Code: condition.code, condition: condition.text, ageAtOnset: intOrNull(ageAtOnset), note })
      }
      onUpdate={(id, version, c) =>
        update.mutate({
          id,
          version,
          ...(c.relative !== undefined ? { relative: c.relative } : {}),
          ...(c.condition ? { icd10Code: c.condition.code, condition: c.condition.text } : {}),
          ...(c.ageAtOnset !== undefined ? { ageAtOnset: intOrNull(c.ageAtOnset) } : {}),
          ...(c.note !== undefined ? { note: c.note } : {}),
        })
      }
      onClose={onClose}
    >
      {(values, set) => (
        <>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Relative" value={values.relative} onChange={(e) => set({ relative: e.target.value })} errors={errors.relative} placeholder="e.g. mother" maxLength={100} />
            <TextField
              label="Age at onset"
              type="number"
              inputMode="numeric"
              min={0}
              max={130}
              value={values.ageAtOnset}
              onChange={(e) => set({ ageAtOnset: e.target.value })}
              errors={errors.ageAtOnset}
            />
          </div>
          <Icd10Picker
            label="Relative's condition"
            value={values.condition}
            onChange={(condition) => set({ condition })}
            lookup={canCodes}
            errors={[...(errors.condition ?? []), ...(errors.icd10Code ?? [])]}
          />
          <TextAreaField label="Family history note" rows={2} value={values.note} onChange={(e) => set({ note: e.target.value })} errors={errors.note} maxLength={2000} />
        </>
      )}
    </ItemForm>
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
