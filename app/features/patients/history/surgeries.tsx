import { useState } from "react";
import { TextAreaField, TextField } from "~/components/ui/field";
import { AddToggle } from "~/components/ui/form-shell";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { formatDate } from "../format";
import type { Surgery } from "../types";
import { ItemForm, type ItemKind } from "./item-form";
import { ItemList } from "./item-list";
import { Card, Recorded, useFormWrite, useHistoryWrite } from "./shared";

interface SurgeryValues extends Record<string, unknown> {
  procedure: string;
  performedOn: string;
  note: string;
}

const EMPTY: SurgeryValues = { procedure: "", performedOn: "", note: "" };

const valuesOf = (s: Surgery): SurgeryValues => ({ procedure: s.procedure, performedOn: s.performedOn ?? "", note: s.note ?? "" });

const LABELS: Record<keyof SurgeryValues, string> = { procedure: "Procedure", performedOn: "Date performed", note: "Surgery note" };

const SURGERY: ItemKind<SurgeryValues, Surgery> = { empty: EMPTY, valuesOf, fieldLabels: LABELS, what: "this surgery" };

function SurgeryForm({ patientId, item, live, onClose }: { patientId: string; item?: Surgery; live?: Surgery; onClose: () => void }) {
  const add = trpc.patients.history.addSurgery.useMutation(useFormWrite(onClose, (saved: Surgery) => `Surgery added: ${saved.procedure}`));
  const update = trpc.patients.history.updateSurgery.useMutation(useFormWrite(onClose, (saved: Surgery) => `Surgery saved: ${saved.procedure}`));
  const errors = fieldErrorsOf((item ? update : add).error);

  return (
    <ItemForm
      kind={SURGERY}
      item={item}
      live={live}
      label={item ? "Edit surgery" : "Add surgery"}
      submitLabel={item ? "Save changes" : "Save surgery"}
      add={add}
      update={update}
      onAdd={(values) => add.mutate({ patientId, ...values })}
      // Empty text clears a field (the server turns "" into null).
      onUpdate={(id, version, changes) => update.mutate({ id, version, ...changes })}
      onClose={onClose}
    >
      {(values, set) => (
        <>
          <TextField label="Procedure" value={values.procedure} onChange={(e) => set({ procedure: e.target.value })} errors={errors.procedure} maxLength={500} />
          <TextField
            label="Date performed"
            value={values.performedOn}
            onChange={(e) => set({ performedOn: e.target.value })}
            errors={errors.performedOn}
            placeholder="2014-06"
            hint="A year, year and month, or full date: 2014, 2014-06 or 2014-06-03"
          />
          <TextAreaField label="Surgery note" rows={2} value={values.note} onChange={(e) => set({ note: e.target.value })} errors={errors.note} maxLength={2000} />
        </>
      )}
    </ItemForm>
  );
}

export function SurgeriesCard({ patientId, items, canWrite }: { patientId: string; items: Surgery[]; canWrite: boolean }) {
  const done = useHistoryWrite();
  const [adding, setAdding] = useState(false);
  const remove = trpc.patients.history.removeSurgery.useMutation({ meta: { silentErrors: true }, onSuccess: () => done("Surgery removed") });

  return (
    <Card title="Past surgeries" count={items.length} action={canWrite ? <AddToggle open={adding} label="Add surgery" onToggle={() => setAdding((a) => !a)} /> : null}>
      <ItemList
        items={items}
        canWrite={canWrite}
        empty="No past surgeries recorded."
        name={(item) => item.procedure}
        remove={remove}
        editForm={(item, live, close) => <SurgeryForm patientId={patientId} item={item} live={live} onClose={close} />}
        view={(item) => (
          <>
            <p className="font-medium text-ink">
              {item.procedure}
              {item.performedOn ? <span className="ml-2 font-normal text-ink-muted">{formatDate(item.performedOn)}</span> : null}
            </p>
            {item.note ? <p className="mt-1 text-ink">{item.note}</p> : null}
            <Recorded item={item} />
          </>
        )}
      />
      {adding ? <SurgeryForm patientId={patientId} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}
