import { createColumnHelper } from "@tanstack/react-table";
import { keepPreviousData } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { CHART_COLORS, LineChart } from "~/components/charts/line-chart";
import { DataTable } from "~/components/data-table/data-table";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { FormShell } from "~/components/ui/form-shell";
import { useCan } from "~/features/patients/use-can";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { LoincPicker, type PickedCode } from "./code-picker";
import { FLAG_LABEL, FLAG_TONE, labValueText, rangeText } from "./format";
import { useChartEvents } from "./live";
import type { LabOrder, LabResult, Labs } from "./types";
import { parseNumber } from "./units";
import { SectionCard } from "./ui";

const LAB_LIMIT = 100;

type ResultRow = LabResult & { orderedBy: string | null };

const column = createColumnHelper<ResultRow>();

/**
 * Labs: order a LOINC-coded test, enter its result (the server flags it against the range),
 * acknowledge it (ordering clinician or a physician), and see numeric results over time.
 */
export function LabsSection({ patientId, initial }: { patientId: string; initial: Labs }) {
  const utils = trpc.useUtils();
  const canWrite = useCan("chart:write");
  const query = trpc.charts.labs.useQuery({ patientId, limit: LAB_LIMIT }, { initialData: initial, meta: { silentErrors: true } });
  const refresh = () => {
    void utils.charts.labs.invalidate({ patientId });
    void utils.charts.labTrend.invalidate({ patientId });
    void utils.charts.summary.invalidate({ patientId });
  };
  useChartEvents(patientId, ["labs"], refresh);
  const { orders, unorderedResults, unacknowledgedCount } = query.data;

  const awaiting = orders.filter((o) => o.status === "ORDERED");
  const results: ResultRow[] = useMemo(
    () =>
      [...orders.flatMap((o) => o.results.map((r) => ({ ...r, orderedBy: o.orderedBy.name }))), ...unorderedResults.map((r) => ({ ...r, orderedBy: null }))].sort((a, b) =>
        b.resultedAt.localeCompare(a.resultedAt),
      ),
    [orders, unorderedResults],
  );

  const [ordering, setOrdering] = useState(false);
  const [resulting, setResulting] = useState<LabOrder | null>(null);
  // A result that came without an order of ours (an outside lab, a point-of-care test).
  const [outside, setOutside] = useState(false);

  return (
    <div className="space-y-4">
      <SectionCard
        title="Lab orders"
        description={`${awaiting.length} awaiting results`}
        action={
          canWrite ? (
            <span className="flex flex-wrap gap-2">
              <Button size="sm" variant={outside ? "ghost" : "secondary"} aria-expanded={outside} onClick={() => setOutside((o) => !o)}>
                {outside ? "Close" : "Enter an outside result"}
              </Button>
              <Button size="sm" variant={ordering ? "ghost" : "secondary"} aria-expanded={ordering} onClick={() => setOrdering((o) => !o)}>
                {ordering ? "Close" : "Order lab"}
              </Button>
            </span>
          ) : null
        }
      >
        {ordering ? <OrderForm patientId={patientId} onDone={() => setOrdering(false)} onSaved={refresh} /> : null}
        {outside ? <ResultForm patientId={patientId} onDone={() => setOutside(false)} onSaved={refresh} /> : null}
        {awaiting.length ? (
          <ul className="divide-y divide-surface-border" aria-label="Orders awaiting results">
            {awaiting.map((o) => (
              <li key={o.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
                <span>
                  <span className="font-medium">{o.testName}</span> <span className="font-mono text-xs text-ink-muted">{o.loincCode}</span>
                  <span className="block text-ink-muted">
                    Ordered by {o.orderedBy.name}, <Time value={o.orderedAt} />
                    {o.notes ? ` · ${o.notes}` : ""}
                  </span>
                </span>
                {canWrite ? (
                  <span className="flex flex-wrap items-center gap-2">
                    <Button size="sm" variant="secondary" aria-label={`Enter result for ${o.testName}`} onClick={() => setResulting(o)}>
                      Enter result
                    </Button>
                    <CancelOrder order={o} onCancelled={refresh} />
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="px-5 py-4 text-sm text-ink-subtle">No orders awaiting results.</p>
        )}
        {resulting ? <ResultForm key={resulting.id} patientId={patientId} order={resulting} onDone={() => setResulting(null)} onSaved={refresh} /> : null}
      </SectionCard>

      <ResultsTable results={results} unacknowledged={unacknowledgedCount} canWrite={canWrite} onChanged={refresh} />
      <LabTrend patientId={patientId} results={results} />
    </div>
  );
}

/** Cancelling an order that has no result yet, with the reason (kept on the order). */
function CancelOrder({ order, onCancelled }: { order: LabOrder; onCancelled: () => void }) {
  const { toast } = useToast();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const cancel = trpc.charts.cancelLabOrder.useMutation({
    meta: { silentErrors: true },
    onSuccess: () => {
      toast({ tone: "success", title: `Order cancelled: ${order.testName}` });
      setOpen(false);
      onCancelled();
    },
  });
  if (!open) {
    return (
      <Button size="sm" variant="ghost" aria-label={`Cancel order for ${order.testName}`} onClick={() => setOpen(true)}>
        Cancel order
      </Button>
    );
  }
  const errors = fieldErrorsOf(cancel.error);
  return (
    <form
      aria-label={`Cancel order for ${order.testName}`}
      noValidate
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (!cancel.isPending) cancel.mutate({ labOrderId: order.id, version: order.version, reason });
      }}
    >
      <TextField label="Reason for cancelling" value={reason} onChange={(e) => setReason(e.target.value)} errors={errors.reason} maxLength={300} />
      <Button type="submit" size="sm" variant="danger" disabled={cancel.isPending}>
        {cancel.isPending ? "Cancelling…" : "Cancel order"}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>
        Keep
      </Button>
      {cancel.error && !errors.reason ? (
        <Notice tone="danger" role="alert" className="w-full">
          {errorMessageOf(cancel.error)}
        </Notice>
      ) : null}
    </form>
  );
}

function OrderForm({ patientId, onDone, onSaved }: { patientId: string; onDone: () => void; onSaved: () => void }) {
  const { toast } = useToast();
  const [test, setTest] = useState<PickedCode | null>(null);
  const [notes, setNotes] = useState("");
  const order = trpc.charts.orderLab.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Ordered: ${saved.testName}` });
      onSaved();
      onDone();
    },
  });
  const errors = fieldErrorsOf(order.error);
  return (
    <FormShell label="Order lab" submitLabel="Place order" pending={order.isPending} error={order.error} onCancel={onDone} onSubmit={() => order.mutate({ patientId, loincCode: test?.code ?? "", notes })}>
      <LoincPicker label="Test (LOINC)" value={test} onChange={setTest} errors={errors.loincCode} />
      <TextAreaField label="Order notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} errors={errors.notes} maxLength={4000} />
    </FormShell>
  );
}

/**
 * A result for an order, or (no `order`) one that came without an order of ours, whose test is then
 * picked here. Value as typed: a number goes as valueNumeric, anything else as text ("Negative").
 */
function ResultForm({ patientId, order, onDone, onSaved }: { patientId: string; order?: LabOrder; onDone: () => void; onSaved: () => void }) {
  const { toast } = useToast();
  const [test, setTest] = useState<PickedCode | null>(null);
  const [form, setForm] = useState({ value: "", unit: "", low: "", high: "", referenceText: "" });
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const record = trpc.charts.recordLabResult.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: saved.abnormalFlag && saved.abnormalFlag !== "N" ? "danger" : "success", title: `Result recorded: ${saved.testName} ${labValueText(saved)}${saved.abnormalFlag ? ` (${FLAG_LABEL[saved.abnormalFlag]})` : ""}` });
      onSaved();
      onDone();
    },
  });
  const serverErrors = fieldErrorsOf(record.error);
  const errors = { ...serverErrors, ...localErrors } as Record<string, string[] | undefined>;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  function submit() {
    const value = parseNumber(form.value);
    const low = parseNumber(form.low);
    const high = parseNumber(form.high);
    const bad: Record<string, string[]> = {};
    if (Number.isNaN(low)) bad.referenceLow = ["Reference low must be a number"];
    if (Number.isNaN(high)) bad.referenceHigh = ["Reference high must be a number"];
    if (!order && !test) bad.loincCode = ["Choose the test"];
    setLocalErrors(bad);
    if (Object.keys(bad).length) return;
    const numeric = value !== null && !Number.isNaN(value);
    record.mutate({
      ...(order ? { labOrderId: order.id } : { patientId, loincCode: test!.code }),
      valueNumeric: numeric ? value : null,
      valueText: numeric ? null : form.value,
      unit: form.unit,
      referenceLow: low,
      referenceHigh: high,
      referenceText: form.referenceText,
    });
  }

  return (
    <FormShell label={order ? `Result for ${order.testName}` : "Outside result"} submitLabel="Save result" pending={record.isPending} error={record.error} onCancel={onDone} onSubmit={submit}>
      {order ? (
        <p className="text-sm font-medium text-ink">
          Result for {order.testName} <span className="font-mono text-xs text-ink-muted">{order.loincCode}</span>
        </p>
      ) : (
        <LoincPicker label="Test (LOINC)" value={test} onChange={setTest} errors={errors.loincCode} />
      )}
      <div className="grid gap-3 sm:grid-cols-5">
        <TextField label="Value" value={form.value} onChange={set("value")} errors={[...(errors.valueNumeric ?? []), ...(errors.valueText ?? [])]} hint="A number, or text like Negative" />
        <TextField label="Unit" placeholder="mg/dL" value={form.unit} onChange={set("unit")} errors={errors.unit} maxLength={40} />
        <TextField label="Reference low" inputMode="decimal" value={form.low} onChange={set("low")} errors={errors.referenceLow} />
        <TextField label="Reference high" inputMode="decimal" value={form.high} onChange={set("high")} errors={errors.referenceHigh} />
        <TextField label="Reference (text)" placeholder="Negative" value={form.referenceText} onChange={set("referenceText")} errors={errors.referenceText} maxLength={100} />
      </div>
    </FormShell>
  );
}

function FlagBadge({ flag }: { flag: LabResult["abnormalFlag"] }) {
  if (!flag) return <span className="text-ink-subtle">—</span>;
  return <Badge tone={FLAG_TONE[flag]}>{flag === "N" ? "Normal" : `${flag} · ${FLAG_LABEL[flag]}`}</Badge>;
}

function ResultsTable({ results, unacknowledged, canWrite, onChanged }: { results: ResultRow[]; unacknowledged: number; canWrite: boolean; onChanged: () => void }) {
  const { toast } = useToast();
  const acknowledge = trpc.charts.acknowledgeResult.useMutation({
    onSuccess: (saved) => {
      toast({ tone: "success", title: `Acknowledged: ${saved.testName}` });
      onChanged();
    },
    onError: () => onChanged(),
  });
  const columns = useMemo(
    () => [
      column.accessor("testName", {
        header: "Test",
        enableSorting: true,
        cell: (c) => (
          <span>
            <span className="font-medium">{c.getValue()}</span> <span className="font-mono text-xs text-ink-muted">{c.row.original.loincCode}</span>
          </span>
        ),
      }),
      column.display({
        id: "value",
        header: "Result",
        cell: (c) => {
          const r = c.row.original;
          const abnormal = r.abnormalFlag && r.abnormalFlag !== "N";
          return <span className={abnormal ? "font-semibold text-danger-700" : undefined}>{labValueText(r)}</span>;
        },
      }),
      column.display({ id: "range", header: "Reference", cell: (c) => rangeText(c.row.original) || <span className="text-ink-subtle">—</span> }),
      column.accessor("abnormalFlag", { header: "Flag", cell: (c) => <FlagBadge flag={c.getValue()} /> }),
      column.accessor("resultedAt", { header: "Resulted", enableSorting: true, cell: (c) => <Time value={c.getValue()} /> }),
      column.display({
        id: "review",
        header: "Review",
        cell: (c) => {
          const r = c.row.original;
          if (r.acknowledgedAt) {
            return (
              <span className="text-xs text-ink-muted">
                Acknowledged by {r.acknowledgedBy?.name ?? "—"}, <Time value={r.acknowledgedAt} />
              </span>
            );
          }
          return canWrite ? (
            <Button size="sm" variant="secondary" aria-label={`Acknowledge ${r.testName}`} disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ resultId: r.id, version: r.version })}>
              Acknowledge
            </Button>
          ) : (
            <Badge tone="warn">To review</Badge>
          );
        },
      }),
    ],
    [canWrite, acknowledge],
  );
  return (
    <div className="space-y-2">
      {unacknowledged > 0 ? (
        <Notice tone="warn" role="status">
          {unacknowledged} {unacknowledged === 1 ? "result is" : "results are"} waiting to be acknowledged.
        </Notice>
      ) : null}
      <DataTable caption="Lab results" data={results} columns={columns} getRowId={(r) => r.id} emptyMessage="No results yet." />
      {acknowledge.error ? (
        <Notice tone="danger" role="alert">
          {errorMessageOf(acknowledge.error)}
        </Notice>
      ) : null}
    </div>
  );
}

/** A numeric test's results over time, with its reference range; pick the test. */
function LabTrend({ patientId, results }: { patientId: string; results: ResultRow[] }) {
  const firstNumeric = results.find((r) => r.valueNumeric != null)?.loincCode ?? null;
  const [chosen, setChosen] = useState<string | null>(null);
  const code = chosen ?? firstNumeric;
  const trend = trpc.charts.labTrend.useQuery({ patientId, loincCode: code ?? "0-0", limit: 1000 }, { enabled: code !== null, placeholderData: keepPreviousData, meta: { silentErrors: true } });
  if (!code) return null;
  const data = trend.data;
  const last = data?.points.at(-1);
  return (
    <SectionCard
      title="Lab trends"
      action={
        data && data.available.length > 1 ? (
          <SelectField
            label="Test"
            value={code}
            onChange={(e) => setChosen(e.target.value)}
            options={data.available.map((a) => ({ value: a.loincCode, label: `${a.testName} (${a.count})` }))}
          />
        ) : null
      }
    >
      <div className="p-4">
        {trend.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessageOf(trend.error)}
          </Notice>
        ) : data ? (
          <LineChart
            title={data.testName}
            unit={last?.unit ?? ""}
            series={[
              {
                label: data.testName,
                color: CHART_COLORS[0],
                points: data.points.map((p) => ({ x: Date.parse(p.resultedAt), y: p.value, flag: p.abnormalFlag && p.abnormalFlag !== "N" ? p.abnormalFlag : null })),
              },
            ]}
            band={last && (last.referenceLow != null || last.referenceHigh != null) ? { low: last.referenceLow, high: last.referenceHigh, label: "Reference" } : null}
            height={260}
          />
        ) : (
          <p className="text-sm text-ink-muted">Loading…</p>
        )}
      </div>
    </SectionCard>
  );
}
