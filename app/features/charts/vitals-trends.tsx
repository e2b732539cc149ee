import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { CHART_COLORS, LineChart, type LinePoint, type LineSeries } from "~/components/charts/line-chart";
import { DataTable } from "~/components/data-table/data-table";
import { Button } from "~/components/ui/button";
import { Time } from "~/components/ui/time";
import { useCan } from "~/features/patients/use-can";
import { trpc } from "~/lib/trpc";
import { ABNORMAL, type VitalField } from "../../../server/modules/charts/ranges.ts";
import { flagsByField, vitalText } from "./format";
import type { Vitals } from "./types";
import { VitalsEditor } from "./vitals-edit";

const series = (items: Vitals[], field: VitalField, label: string, color: string, dashed = false): LineSeries => ({
  label,
  color,
  dashed,
  points: items
    .filter((v) => v[field] != null)
    .map((v): LinePoint => {
      const flag = v.flags.find((f) => f.field === field);
      return { x: Date.parse(v.takenAt), y: v[field] as number, flag: flag ? (flag.level === "HIGH" ? "H" : "L") : null };
    }),
});

const band = (field: VitalField) => {
  const range = ABNORMAL[field];
  // ABNORMAL.high flags value >= high; the band shows the edge of normal.
  return range ? { low: range.low ?? null, high: range.high ?? null, label: "Normal" } : null;
};

/** Trend lines of the vitals on file, oldest to newest (the list comes newest or oldest first; both work). */
export function VitalsTrends({ items }: { items: Vitals[] }) {
  const sorted = useMemo(() => [...items].sort((a, b) => a.takenAt.localeCompare(b.takenAt)), [items]);
  const charts = useMemo(
    () => [
      {
        title: "Blood pressure",
        unit: "mmHg",
        series: [series(sorted, "systolicMmHg", "Systolic", CHART_COLORS[1]), series(sorted, "diastolicMmHg", "Diastolic", CHART_COLORS[3], true)],
        band: null,
      },
      { title: "Heart rate", unit: "/min", series: [series(sorted, "heartRatePerMin", "Heart rate", CHART_COLORS[0])], band: band("heartRatePerMin") },
      { title: "Temperature", unit: "°C", series: [series(sorted, "temperatureC", "Temperature", CHART_COLORS[2])], band: band("temperatureC") },
      { title: "SpO2", unit: "%", series: [series(sorted, "spo2Percent", "SpO2", CHART_COLORS[3])], band: band("spo2Percent") },
      { title: "Weight", unit: "kg", series: [series(sorted, "weightKg", "Weight", CHART_COLORS[0])], band: null },
      { title: "BMI", unit: "kg/m²", series: [series(sorted, "bmi", "BMI", CHART_COLORS[4])], band: band("bmi") },
    ],
    [sorted],
  );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {charts.map((c) => (
        <div key={c.title} className="rounded-lg border border-surface-border bg-surface p-4 shadow-card">
          <LineChart title={c.title} unit={c.unit} series={c.series} band={c.band} table="none" tableNote="the values are in the vitals table below" />
        </div>
      ))}
    </div>
  );
}

const column = createColumnHelper<Vitals>();

function Cell({ vitals, field }: { vitals: Vitals; field: "bp" | VitalField }) {
  const flags = flagsByField(vitals);
  const text = vitalText(vitals, field);
  const flag = field === "bp" ? (flags.systolicMmHg ?? flags.diastolicMmHg) : flags[field];
  if (!text) return <span className="text-ink-subtle">—</span>;
  return (
    <span className={flag ? "font-semibold text-danger-700" : undefined} title={flag?.rule}>
      {text}
      {flag ? <span className="ml-1 text-xs">{flag.level === "HIGH" ? "▲ H" : "▼ L"}</span> : null}
    </span>
  );
}

const COLUMNS = [
  column.accessor("takenAt", { header: "Taken", enableSorting: true, cell: (c) => <Time value={c.getValue()} /> }),
  column.display({ id: "bp", header: "BP", cell: (c) => <Cell vitals={c.row.original} field="bp" /> }),
  column.display({ id: "hr", header: "HR", cell: (c) => <Cell vitals={c.row.original} field="heartRatePerMin" /> }),
  column.display({ id: "rr", header: "RR", cell: (c) => <Cell vitals={c.row.original} field="respiratoryRatePerMin" /> }),
  column.display({ id: "temp", header: "Temp", cell: (c) => <Cell vitals={c.row.original} field="temperatureC" /> }),
  column.display({ id: "spo2", header: "SpO2", cell: (c) => <Cell vitals={c.row.original} field="spo2Percent" /> }),
  column.display({ id: "weight", header: "Weight", cell: (c) => <Cell vitals={c.row.original} field="weightKg" /> }),
  column.display({ id: "bmi", header: "BMI", cell: (c) => <Cell vitals={c.row.original} field="bmi" /> }),
  column.display({ id: "pain", header: "Pain", cell: (c) => <Cell vitals={c.row.original} field="painScore" /> }),
  column.accessor((v) => v.recordedBy.name, { id: "by", header: "Recorded by" }),
];

/**
 * The sets on file, newest first; abnormal values in red with the direction. Those who record
 * vitals may correct a set (Edit) or hide it as entered in error.
 */
export function VitalsTable({ items, limit = 50 }: { items: Vitals[]; limit?: number }) {
  const canWrite = useCan("chart:write");
  const utils = trpc.useUtils();
  const [editingId, setEditingId] = useState<string | null>(null);
  const rows = useMemo(() => [...items].sort((a, b) => b.takenAt.localeCompare(a.takenAt)).slice(0, limit), [items, limit]);
  const columns = useMemo(
    () =>
      canWrite
        ? [
            ...COLUMNS,
            column.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              cell: (c) => (
                <Button size="sm" variant="ghost" aria-label="Edit vitals taken" onClick={() => setEditingId(c.row.original.id)}>
                  Edit
                </Button>
              ),
            }),
          ]
        : COLUMNS,
    [canWrite],
  );
  const editing = editingId ? items.find((v) => v.id === editingId) : undefined;
  return (
    <div className="space-y-3">
      <DataTable
        caption={items.length > limit ? `Latest ${limit} of ${items.length} sets of vitals` : "Vitals on file"}
        data={rows}
        columns={columns}
        getRowId={(v) => v.id}
        emptyMessage="No vitals recorded yet."
      />
      {editing ? (
        <div className="rounded-lg border border-surface-border bg-surface shadow-card">
          <p className="px-5 pt-3 text-sm font-medium text-ink">
            Correcting the vitals taken <Time value={editing.takenAt} /> by {editing.recordedBy.name}
          </p>
          <VitalsEditor
            key={editing.id}
            vitals={editing}
            onDone={() => {
              setEditingId(null);
              void utils.charts.vitals.invalidate({ patientId: editing.patientId });
              void utils.charts.summary.invalidate({ patientId: editing.patientId });
            }}
          />
        </div>
      ) : null}
    </div>
  );
}
