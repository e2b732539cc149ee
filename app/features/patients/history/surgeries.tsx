import { useState } from "react";
import { TextAreaField, TextField } from "~/components/ui/field";
import { AddToggle } from "~/components/ui/form-shell";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { formatDate } from "../format";
import type { Surgery } from "../types";
import { ItemFormShell, useItemForm } from "./item-form";
import { ItemList } from "./item-list";
import { Card, Recorded, useHistoryWrite } from "./shared";

interface SurgeryValues extends Record<string, unknown> {
  procedure: string;
  performedOn: string;
  note: string;
}

const EMPTY: SurgeryValues = { procedure: "", performedOn: "", note: "" };

const valuesOf = (s: Surgery): SurgeryValues => ({ procedure: s.procedure, performedOn: s.performedOn ?? "", note: s.note ?? "" });

function SurgeryForm({ patientId, item, live, onClose }: { patientId: string; item?: Surgery; live?: Surgery; onClose: () => void }) {
  const done = useHistoryWrite();
  const add = trpc.patients.history.addSurgery.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      done(`Surgery added: ${saved.procedure}`);
      onClose();
    },
  });
  const update = trpc.patients.history.updateSurgery.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      done(`Surgery saved: ${saved.procedure}`);
      onClose();
    },
  });
  const mutation = item ? update : add;
  const form = useItemForm({ patientId, item, live, empty: EMPTY, valuesOf, pick: (h) => h.surgeries, mutation, onClose });
  const { values, set } = form;
  const errors = fieldErrorsOf(mutation.error);

  function submit() {
    if (!item) return add.mutate({ patientId, ...values });
    // Empty text clears a field (the server turns "" into null).
    form.saveChanges((changes, version) => update.mutate({ id: item.id, version, ...changes }));
  }

  return (
    <ItemFormShell form={form} noun="surgery" label={item ? "Edit surgery" : "Add surgery"} submitLabel={item ? "Save changes" : "Save surgery"} onSubmit={submit}>
      <TextField label="Procedure" value={values.procedure} onChange={(e) => set({ procedure: e.target.value })} errors={errors.procedure} maxLength={500} hint={form.theirHint("procedure")} />
      <TextField
        label="Date performed"
        value={values.performedOn}
        onChange={(e) => set({ performedOn: e.target.value })}
        errors={errors.performedOn}
        placeholder="2014-06"
        hint={form.theirHint("performedOn") ?? "A year, year and month, or full date: 2014, 2014-06 or 2014-06-03"}
      />
      <TextAreaField label="Surgery note" rows={2} value={values.note} onChange={(e) => set({ note: e.target.value })} errors={errors.note} maxLength={2000} hint={form.theirHint("note")} />
    </ItemFormShell>
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
