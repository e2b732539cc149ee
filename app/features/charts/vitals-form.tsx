import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { vitalFlags, type VitalField } from "../../../server/modules/charts/ranges.ts";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { controlClass, TextAreaField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { VITAL_LABEL, vitalText } from "./format";
import type { Vitals } from "./types";
import { cToF, cmToIn, fToC, inToCm, kgToLb, lbToKg, parseNumber, saveUnit, savedUnit, toMetric, type HeightUnit, type TemperatureUnit, type WeightUnit } from "./units";

type FieldName = "systolic" | "diastolic" | "heartRate" | "respiratoryRate" | "temperature" | "spo2" | "height" | "weight" | "painScore";

const EMPTY: Record<FieldName, string> = { systolic: "", diastolic: "", heartRate: "", respiratoryRate: "", temperature: "", spo2: "", height: "", weight: "", painScore: "" };

const FIELD_LABEL: Record<FieldName, string> = {
  systolic: "Systolic",
  diastolic: "Diastolic",
  heartRate: "Heart rate",
  respiratoryRate: "Respiratory rate",
  temperature: "Temperature",
  spo2: "SpO2",
  height: "Height",
  weight: "Weight",
  painScore: "Pain score",
};

/** The stored (metric) field a form field is flagged on. */
const METRIC_FIELD: Record<FieldName, VitalField> = {
  systolic: "systolicMmHg",
  diastolic: "diastolicMmHg",
  heartRate: "heartRatePerMin",
  respiratoryRate: "respiratoryRatePerMin",
  temperature: "temperatureC",
  spo2: "spo2Percent",
  height: "heightCm",
  weight: "weightKg",
  painScore: "painScore",
};

/** Unit choices are the person's habit, not the patient's: remembered in this browser. */
function useUnit<U extends string>(key: "temperature" | "weight" | "height", fallback: U, allowed: readonly U[]): [U, (u: U) => void] {
  // The server renders the fallback; the saved choice applies once mounted (no hydration mismatch).
  const [unit, setUnit] = useState<U>(fallback);
  useEffect(() => {
    setUnit(savedUnit(key, fallback, allowed));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once
  }, [key]);
  return [
    unit,
    (u: U) => {
      setUnit(u);
      saveUnit(key, u);
    },
  ];
}

function UnitToggle<U extends string>({ label, units, value, onChange }: { label: string; units: readonly { value: U; label: string }[]; value: U; onChange: (u: U) => void }) {
  return (
    <div role="group" aria-label={`${label} unit`} className="inline-flex overflow-hidden rounded-md border border-surface-border">
      {units.map((u) => (
        <button
          key={u.value}
          type="button"
          aria-pressed={value === u.value}
          onClick={() => onChange(u.value)}
          className="px-2 py-0.5 text-xs font-medium text-ink-muted aria-pressed:bg-brand-600 aria-pressed:text-white"
        >
          {u.label}
        </button>
      ))}
    </div>
  );
}

interface MeasureProps {
  name: FieldName;
  unitLabel: string;
  value: string;
  onChange: (value: string) => void;
  errors?: string[];
  flag?: { level: "HIGH" | "LOW"; rule: string };
  toggle?: React.ReactNode;
  hint?: string;
}

function Measure({ name, unitLabel, value, onChange, errors, flag, toggle, hint }: MeasureProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [errors?.length ? errorId : null, hint || flag ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="min-w-0 space-y-1">
      <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
        <label htmlFor={id} className="text-sm font-medium text-ink">
          {FIELD_LABEL[name]} <span className="font-normal text-ink-muted">({unitLabel})</span>
        </label>
        {toggle}
      </div>
      <input
        id={id}
        name={name}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className={`${controlClass} ${flag ? "border-danger-600" : ""}`}
      />
      {hint || flag ? (
        <p id={hintId} className="text-xs text-ink-muted">
          {flag ? (
            <>
              <Badge tone="danger">{flag.level === "HIGH" ? "High" : "Low"}</Badge> <span>Abnormal: {flag.rule}</span>
            </>
          ) : (
            hint
          )}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-danger-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

const TEMP_UNITS = [
  { value: "C", label: "°C" },
  { value: "F", label: "°F" },
] as const satisfies readonly { value: TemperatureUnit; label: string }[];
const WEIGHT_UNITS = [
  { value: "kg", label: "kg" },
  { value: "lb", label: "lb" },
] as const satisfies readonly { value: WeightUnit; label: string }[];
const HEIGHT_UNITS = [
  { value: "cm", label: "cm" },
  { value: "in", label: "in" },
] as const satisfies readonly { value: HeightUnit; label: string }[];

/** Re-expresses what was typed when the unit changes, so 98.6 °F becomes 37 °C rather than 98.6 °C. */
function convertTyped(text: string, convert: (n: number) => number): string {
  const n = parseNumber(text);
  return n === null || Number.isNaN(n) ? text : String(convert(n));
}

/**
 * Records one set of vital signs. Metric or imperial entry (the server converts and stores
 * metric); values outside the normal range are flagged as they are typed; the server's field
 * messages appear under their fields and nothing typed is lost when it refuses.
 */
export function VitalsForm({
  patientId,
  encounterId = null,
  onSaved,
  compact = false,
}: {
  patientId: string;
  encounterId?: string | null;
  onSaved?: (v: Vitals) => void;
  /** a narrow column (beside the note): two fields a row */
  compact?: boolean;
}) {
  const { toast } = useToast();
  const utils = trpc.useUtils();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(EMPTY);
  const [note, setNote] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [tempUnit, setTempUnit] = useUnit<TemperatureUnit>("temperature", "C", ["C", "F"]);
  const [weightUnit, setWeightUnit] = useUnit<WeightUnit>("weight", "kg", ["kg", "lb"]);
  const [heightUnit, setHeightUnit] = useUnit<HeightUnit>("height", "cm", ["cm", "in"]);
  const [saved, setSaved] = useState<Vitals | null>(null);

  const record = trpc.charts.recordVitals.useMutation({
    meta: { silentErrors: true },
    onSuccess: (result) => {
      setSaved(result as Vitals);
      setValues(EMPTY);
      setNote("");
      toast({ tone: "success", title: result.flags.length ? `Vitals recorded: ${result.flags.length} abnormal` : "Vitals recorded" });
      void utils.charts.summary.invalidate({ patientId });
      void utils.charts.vitals.invalidate({ patientId });
      onSaved?.(result as Vitals);
    },
  });
  const serverErrors = fieldErrorsOf(record.error);
  const errors = { ...serverErrors, ...localErrors } as Record<string, string[] | undefined>;

  useEffect(() => {
    if (!record.error && !Object.keys(localErrors).length) return;
    formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [record.error, localErrors]);

  const set = (name: FieldName) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setLocalErrors((e) => {
      if (!e[name]) return e;
      const { [name]: _drop, ...rest } = e;
      return rest;
    });
  };

  const parsed = Object.fromEntries((Object.keys(values) as FieldName[]).map((k) => [k, parseNumber(values[k])])) as Record<FieldName, number | null>;
  const metric: Partial<Record<VitalField, number | null>> = {
    systolicMmHg: parsed.systolic,
    diastolicMmHg: parsed.diastolic,
    heartRatePerMin: parsed.heartRate,
    respiratoryRatePerMin: parsed.respiratoryRate,
    temperatureC: toMetric(parsed.temperature, tempUnit),
    spo2Percent: parsed.spo2,
    heightCm: toMetric(parsed.height, heightUnit),
    weightKg: toMetric(parsed.weight, weightUnit),
    painScore: parsed.painScore,
  };
  const bmi = metric.heightCm && metric.weightKg && !Number.isNaN(metric.heightCm) && !Number.isNaN(metric.weightKg) ? Math.round((metric.weightKg / (metric.heightCm / 100) ** 2) * 10) / 10 : null;
  const clean = Object.fromEntries(Object.entries({ ...metric, bmi }).filter(([, v]) => v !== null && !Number.isNaN(v))) as Partial<Record<VitalField, number>>;
  const flags = Object.fromEntries(vitalFlags(clean).map((f) => [f.field, f])) as Partial<Record<VitalField, { level: "HIGH" | "LOW"; rule: string }>>;
  const flagOf = (name: FieldName) => flags[METRIC_FIELD[name]];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (record.isPending) return;
    const unreadable = (Object.keys(parsed) as FieldName[]).filter((k) => Number.isNaN(parsed[k]));
    if (unreadable.length) {
      setLocalErrors(Object.fromEntries(unreadable.map((k) => [k, [`${FIELD_LABEL[k]} must be a number`]])));
      return;
    }
    setLocalErrors({});
    record.mutate({
      patientId,
      encounterId,
      systolic: parsed.systolic,
      diastolic: parsed.diastolic,
      heartRate: parsed.heartRate,
      respiratoryRate: parsed.respiratoryRate,
      temperature: parsed.temperature,
      temperatureUnit: tempUnit,
      spo2: parsed.spo2,
      height: parsed.height,
      heightUnit,
      weight: parsed.weight,
      weightUnit,
      painScore: parsed.painScore,
      note,
    });
  }

  const grid = compact ? "grid grid-cols-2 gap-3" : "grid gap-3 sm:grid-cols-2 lg:grid-cols-4";
  const measure = (name: FieldName, unitLabel: string, extra: Partial<MeasureProps> = {}) => (
    <Measure name={name} unitLabel={unitLabel} value={values[name]} onChange={set(name)} errors={errors[name]} flag={flagOf(name)} {...extra} />
  );

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} aria-label="Record vitals" className="space-y-4">
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-ink">Blood pressure and pulse</legend>
        <div className={grid}>
          {measure("systolic", "mmHg")}
          {measure("diastolic", "mmHg")}
          {measure("heartRate", "/min")}
          {measure("respiratoryRate", "/min")}
        </div>
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-ink">Temperature, oxygen, pain</legend>
        <div className={grid}>
          {measure("temperature", `°${tempUnit}`, {
            toggle: (
              <UnitToggle
                label="Temperature"
                units={TEMP_UNITS}
                value={tempUnit}
                onChange={(u) => {
                  if (u !== tempUnit) set("temperature")(convertTyped(values.temperature, u === "F" ? cToF : fToC));
                  setTempUnit(u);
                }}
              />
            ),
          })}
          {measure("spo2", "%")}
          {measure("painScore", "0–10")}
        </div>
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-ink">Height and weight</legend>
        <div className={grid}>
          {measure("height", heightUnit, {
            toggle: (
              <UnitToggle
                label="Height"
                units={HEIGHT_UNITS}
                value={heightUnit}
                onChange={(u) => {
                  if (u !== heightUnit) set("height")(convertTyped(values.height, u === "in" ? cmToIn : inToCm));
                  setHeightUnit(u);
                }}
              />
            ),
          })}
          {measure("weight", weightUnit, {
            toggle: (
              <UnitToggle
                label="Weight"
                units={WEIGHT_UNITS}
                value={weightUnit}
                onChange={(u) => {
                  if (u !== weightUnit) set("weight")(convertTyped(values.weight, u === "lb" ? kgToLb : lbToKg));
                  setWeightUnit(u);
                }}
              />
            ),
          })}
          <div className="space-y-1">
            <p className="text-sm font-medium text-ink">BMI</p>
            <p className="py-2 text-sm text-ink" aria-live="polite" data-testid="bmi-preview">
              {bmi !== null ? (
                <>
                  {bmi.toFixed(1)} kg/m²
                  {flags.bmi ? (
                    <Badge tone="danger" className="ml-2">
                      {flags.bmi.level === "HIGH" ? "High" : "Low"}
                    </Badge>
                  ) : null}
                </>
              ) : (
                <span className="text-ink-subtle">from height and weight</span>
              )}
            </p>
          </div>
        </div>
      </fieldset>
      <TextAreaField label="Vitals note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} errors={errors.note} maxLength={1000} />

      {record.error ? (
        <Notice tone="danger" role="alert" title="Vitals not saved">
          {errorMessageOf(record.error)}
        </Notice>
      ) : null}
      {saved && !record.error ? (
        <Notice tone={saved.flags.length ? "warn" : "success"} role="status" title="Vitals recorded">
          {saved.flags.length
            ? `Abnormal: ${saved.flags.map((f) => `${VITAL_LABEL[f.field]} ${f.level === "HIGH" ? "high" : "low"} (${vitalText(saved, f.field)})`).join("; ")}.`
            : "All values in the normal range."}
        </Notice>
      ) : null}

      <Button type="submit" disabled={record.isPending}>
        {record.isPending ? "Saving…" : "Record vitals"}
      </Button>
    </form>
  );
}
