import { useState } from "react";
import { Badge } from "~/components/ui/badge";
import { CheckboxField, TextAreaField, TextField } from "~/components/ui/field";
import { AddToggle } from "~/components/ui/form-shell";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { EMPTY_CODED, Icd10Picker, type CodedText } from "../icd10-picker";
import type { Condition } from "../types";
import { ItemForm, type ItemKind } from "./item-form";
import { ItemList } from "./item-list";
import { Card, CodeBadge, codedLabel, intOrNull, Recorded, useFormWrite, useHistoryWrite } from "./shared";

interface ConditionValues extends Record<string, unknown> {
  condition: CodedText;
  onsetYear: string;
  resolved: boolean;
  note: string;
}

const EMPTY: ConditionValues = { condition: EMPTY_CODED, onsetYear: "", resolved: false, note: "" };

const valuesOf = (c: Condition): ConditionValues => ({
  condition: { text: c.description, code: c.icd10Code, codeDotted: c.icd10CodeDotted },
  onsetYear: c.onsetYear === null ? "" : String(c.onsetYear),
  resolved: c.resolved,
  note: c.note ?? "",
});

const LABELS: Record<keyof ConditionValues, string> = { condition: "Condition", onsetYear: "Onset year", resolved: "Resolved", note: "Condition note" };

const shown = (key: keyof ConditionValues, v: ConditionValues) =>
  key === "condition" ? codedLabel(v.condition) : key === "resolved" ? (v.resolved ? "resolved" : "active") : String(v[key] ?? "");

const CONDITION: ItemKind<ConditionValues, Condition> = { empty: EMPTY, valuesOf, fieldLabels: LABELS, format: shown, what: "this condition" };

function ConditionForm({ patientId, item, live, canCodes, onClose }: { patientId: string; item?: Condition; live?: Condition; canCodes: boolean; onClose: () => void }) {
  const add = trpc.patients.history.addCondition.useMutation(useFormWrite(onClose, (saved: Condition) => `Condition added: ${saved.description}`));
  const update = trpc.patients.history.updateCondition.useMutation(useFormWrite(onClose, (saved: Condition) => `Condition saved: ${saved.description}`));
  const errors = fieldErrorsOf((item ? update : add).error);

  return (
    <ItemForm
      kind={CONDITION}
      item={item}
      live={live}
      label={item ? "Edit condition" : "Add condition"}
      submitLabel={item ? "Save changes" : "Save condition"}
      add={add}
      update={update}
      onAdd={({ condition, onsetYear, resolved, note }) =>
        add.mutate({ patientId, icd10Code: condition.code, description: condition.text, onsetYear: intOrNull(onsetYear), resolved, note })
      }
      onUpdate={(id, version, c) =>
        update.mutate({
          id,
          version,
          ...(c.condition ? { icd10Code: c.condition.code, description: c.condition.text } : {}),
          ...(c.onsetYear !== undefined ? { onsetYear: intOrNull(c.onsetYear) } : {}),
          ...(c.resolved !== undefined ? { resolved: c.resolved } : {}),
          ...(c.note !== undefined ? { note: c.note } : {}),
        })
      }
      onClose={onClose}
    >
      {(values, set) => (
        <>
          <Icd10Picker label="Condition" value={values.condition} onChange={(condition) => set({ condition })} lookup={canCodes} errors={[...(errors.description ?? []), ...(errors.icd10Code ?? [])]} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Onset year" type="number" inputMode="numeric" min={1900} value={values.onsetYear} onChange={(e) => set({ onsetYear: e.target.value })} errors={errors.onsetYear} />
            <div className="pt-6">
              <CheckboxField label="Resolved" checked={values.resolved} onChange={(e) => set({ resolved: e.target.checked })} errors={errors.resolved} />
            </div>
          </div>
          <TextAreaField label="Condition note" rows={2} value={values.note} onChange={(e) => set({ note: e.target.value })} errors={errors.note} maxLength={2000} />
        </>
      )}
    </ItemForm>
  );
}

export function ConditionsCard({ patientId, items, canWrite, canCodes }: { patientId: string; items: Condition[]; canWrite: boolean; canCodes: boolean }) {
  const done = useHistoryWrite();
  const [adding, setAdding] = useState(false);
  const remove = trpc.patients.history.removeCondition.useMutation({ meta: { silentErrors: true }, onSuccess: () => done("Condition removed") });

  return (
    <Card title="Past conditions" count={items.length} action={canWrite ? <AddToggle open={adding} label="Add condition" onToggle={() => setAdding((a) => !a)} /> : null}>
      <ItemList
        items={items}
        canWrite={canWrite}
        empty="No past conditions recorded."
        name={(item) => item.description}
        remove={remove}
        editForm={(item, live, close) => <ConditionForm patientId={patientId} item={item} live={live} canCodes={canCodes} onClose={close} />}
        view={(item) => (
          <>
            <p className="font-medium text-ink">
              {item.description}
              <CodeBadge code={item.icd10CodeDotted} />
            </p>
            <p className="mt-0.5 flex flex-wrap items-center gap-2 text-ink-muted">
              {item.onsetYear ? <span>Since {item.onsetYear}</span> : null}
              {item.resolved ? <Badge tone="neutral">Resolved</Badge> : <Badge tone="brand">Active</Badge>}
            </p>
            {item.note ? <p className="mt-1 text-ink">{item.note}</p> : null}
            <Recorded item={item} />
          </>
        )}
      />
      {adding ? <ConditionForm patientId={patientId} canCodes={canCodes} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}
