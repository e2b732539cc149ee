import { useEffect, useState } from "react";
import { TextAreaField, TextField } from "~/components/ui/field";
import { useToast } from "~/components/ui/toast";
import { useVersionedEdit, VersionedEditForm } from "~/components/ui/versioned-edit";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import type { Vitals } from "./types";
import { EnteredInErrorButton } from "./ui";
import { cmToIn, cToF, kgToLb, parseNumber, savedUnit, type HeightUnit, type TemperatureUnit, type WeightUnit } from "./units";

interface Units {
  temperature: TemperatureUnit;
  height: HeightUnit;
  weight: WeightUnit;
}

const converted = (value: number | null, convert: (n: number) => number, when: boolean) => (value == null || !when ? value : convert(value));

/** The form's fields: the input names of charts.updateVitals, in this browser's units (stored metric). */
const fieldsFor = (u: Units) =>
  [
    { name: "systolic", label: "Systolic (mmHg)", of: (v: Vitals) => v.systolicMmHg },
    { name: "diastolic", label: "Diastolic (mmHg)", of: (v: Vitals) => v.diastolicMmHg },
    { name: "heartRate", label: "Heart rate (/min)", of: (v: Vitals) => v.heartRatePerMin },
    { name: "respiratoryRate", label: "Respiratory rate (/min)", of: (v: Vitals) => v.respiratoryRatePerMin },
    { name: "temperature", label: `Temperature (°${u.temperature})`, of: (v: Vitals) => converted(v.temperatureC, cToF, u.temperature === "F") },
    { name: "spo2", label: "SpO2 (%)", of: (v: Vitals) => v.spo2Percent },
    { name: "height", label: `Height (${u.height})`, of: (v: Vitals) => converted(v.heightCm, cmToIn, u.height === "in") },
    { name: "weight", label: `Weight (${u.weight})`, of: (v: Vitals) => converted(v.weightKg, kgToLb, u.weight === "lb") },
    { name: "painScore", label: "Pain score (0–10)", of: (v: Vitals) => v.painScore },
  ] as const;
type FieldName = ReturnType<typeof fieldsFor>[number]["name"];
type VitalsValues = Record<FieldName | "note", string>;

/**
 * Corrects one recorded set, in the units this browser records in (°F, lb, in when chosen on the
 * record form; fixed while the form is open, so theirs and yours in a conflict are in the same
 * units). The whole set is saved with the version read, so
 * a mistyped weight is fixed without a second set in the trend. A stale save shows their values
 * beside these; "entered in error" hides the set from the chart (kept for the record).
 */
export function VitalsEditor({ vitals, onDone }: { vitals: Vitals; onDone: () => void }) {
  const { toast } = useToast();
  // Read once: a unit switch mid-edit would re-express typed values and the conflict table.
  const [units] = useState<Units>(() => ({
    temperature: savedUnit("temperature", "C", ["C", "F"] as const),
    height: savedUnit("height", "cm", ["cm", "in"] as const),
    weight: savedUnit("weight", "kg", ["kg", "lb"] as const),
  }));
  const FIELDS = fieldsFor(units);
  const valuesOf = (v: Vitals): VitalsValues =>
    ({ ...Object.fromEntries(FIELDS.map((f) => [f.name, f.of(v) == null ? "" : String(f.of(v))])), note: v.note ?? "" }) as VitalsValues;
  const LABEL = { ...(Object.fromEntries(FIELDS.map((f) => [f.name, f.label])) as Record<FieldName, string>), note: "Vitals note" };
  const editing = useVersionedEdit<VitalsValues>();
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [initial] = useState(() => ({ id: vitals.id, baseVersion: vitals.version, base: valuesOf(vitals), values: valuesOf(vitals) }));
  // useVersionedEdit's functions are new each render: start once, from the set as it was read.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  useEffect(() => editing.start(initial.id, initial.baseVersion, initial.base), []);
  const edit = editing.edit ?? initial;

  const update = trpc.charts.updateVitals.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: saved.enteredInError ? "Vitals hidden as entered in error" : "Vitals corrected" });
      editing.stop();
      onDone();
    },
  });
  const errors = { ...fieldErrorsOf(update.error), ...localErrors } as Record<string, string[] | undefined>;

  function save(version: number) {
    const parsed = Object.fromEntries(FIELDS.map((f) => [f.name, parseNumber(edit.values[f.name])])) as Record<FieldName, number | null>;
    const unreadable = FIELDS.filter((f) => Number.isNaN(parsed[f.name]));
    if (unreadable.length) {
      setLocalErrors(Object.fromEntries(unreadable.map((f) => [f.name, [`${f.label.replace(/ \(.*/, "")} must be a number`]])));
      return;
    }
    setLocalErrors({});
    update.mutate({ id: edit.id, version, ...parsed, temperatureUnit: units.temperature, heightUnit: units.height, weightUnit: units.weight, note: edit.values.note });
  }

  // No "Editing …" heading or "changed meanwhile" notice: the caller titles the set, and the editor
  // holds no live copy of it.
  return (
    <VersionedEditForm label="Edit vitals" submitLabel="Save vitals" what="these vitals" valuesOf={valuesOf} fieldLabels={LABEL} onCancel={onDone} edit={edit} editing={editing} mutation={update} save={save} refresh={onDone}>
      <div className="grid grid-cols-2 gap-3">
        {FIELDS.map((f) => (
          <TextField
            key={f.name}
            label={f.label}
            inputMode="decimal"
            autoComplete="off"
            value={edit.values[f.name]}
            onChange={(e) => editing.change({ [f.name]: e.target.value })}
            errors={errors[f.name]}
          />
        ))}
      </div>
      <TextAreaField label="Vitals note" rows={2} value={edit.values.note} onChange={(e) => editing.change({ note: e.target.value })} errors={errors.note} maxLength={1000} />
      <EnteredInErrorButton what="this set of vitals" pending={update.isPending} onConfirm={() => update.mutate({ id: edit.id, version: edit.baseVersion, enteredInError: true })} />
    </VersionedEditForm>
  );
}
