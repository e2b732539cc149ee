import {
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from "chart.js";
import { useId, useMemo } from "react";
import { Line } from "react-chartjs-2";
import { useHydrated } from "~/lib/use-hydrated";

// Only what a line chart over time needs (tree-shaken Chart.js). Time runs on a linear axis of
// epoch ms with our own tick labels, so no date adapter is needed.
ChartJS.register(LineController, CategoryScale, LinearScale, PointElement, LineElement, Tooltip, Legend, Filler);

export interface LinePoint {
  /** epoch ms */
  x: number;
  y: number | null;
  /** shown in the tooltip and the table, e.g. "H" or "critical" */
  flag?: string | null;
}

export interface LineSeries {
  label: string;
  points: LinePoint[];
  /** Tailwind-independent colour (canvas needs a real colour), e.g. "#1f7a72" */
  color: string;
  /** draw dashed, e.g. a diastolic line under systolic */
  dashed?: boolean;
}

export interface ReferenceBand {
  low?: number | null;
  high?: number | null;
  label?: string;
}

interface LineChartProps {
  /** Names the chart (figure caption) for everyone. */
  title: string;
  /** Unit shown on the y axis and in tooltips, e.g. "mmHg". */
  unit: string;
  series: LineSeries[];
  /** The normal range, shaded behind the lines. */
  band?: ReferenceBand | null;
  height?: number;
  /** Text when there is nothing to draw. */
  emptyText?: string;
  /**
   * The numbers as a table: "visible" under the chart, "hidden" for screen readers only (the
   * default), or "none" when the page already lists the same values in a table of its own
   * (`tableNote` then says where).
   */
  table?: "visible" | "hidden" | "none";
  tableNote?: string;
}

export const CHART_COLORS = ["#1f7a72", "#a11f1f", "#8a5300", "#3b5bdb", "#6b7784"] as const;

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * A line chart over time (Chart.js via react-chartjs-2). The canvas is drawn only in the browser,
 * after hydration; the server renders a box of the same height, so the page does not jump and the
 * first paint costs nothing. The same numbers are always in a table for assistive technology.
 */
/** Rows in the chart's own table: the most recent ones (a table of thousands helps nobody). */
const TABLE_ROWS = 100;

export function LineChart({ title, unit, series, band, height = 220, emptyText = "No values recorded yet.", table = "hidden", tableNote }: LineChartProps) {
  const hydrated = useHydrated();
  const captionId = useId();
  const hasData = series.some((s) => s.points.some((p) => p.y !== null));

  const data = useMemo<ChartData<"line", { x: number; y: number | null }[]>>(() => {
    const xs = series.flatMap((s) => s.points.map((p) => p.x));
    const minX = Math.min(...xs);
    const maxX = Math.max(...xs);
    const bandSets =
      band && xs.length
        ? [band.high, band.low]
            .map((value, i) =>
              value === null || value === undefined
                ? null
                : {
                    label: i === 0 ? `${band.label ?? "Normal"} (high)` : `${band.label ?? "Normal"} (low)`,
                    data: [
                      { x: minX, y: value },
                      { x: maxX, y: value },
                    ],
                    borderColor: "rgba(35, 122, 67, 0.45)",
                    borderDash: [4, 4],
                    borderWidth: 1,
                    pointRadius: 0,
                    pointHoverRadius: 0,
                    fill: false,
                    order: 10,
                  },
            )
            .filter((d) => d !== null)
        : [];
    return {
      datasets: [
        ...series.map((s) => ({
          label: s.label,
          data: s.points.map((p) => ({ x: p.x, y: p.y })),
          borderColor: s.color,
          backgroundColor: s.color,
          borderDash: s.dashed ? [6, 4] : undefined,
          borderWidth: 2,
          pointRadius: s.points.length > 60 ? 0 : 3,
          pointHoverRadius: 4,
          spanGaps: true,
          tension: 0.15,
        })),
        ...bandSets,
      ],
    };
  }, [series, band]);

  const options = useMemo<ChartOptions<"line">>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      normalized: true,
      interaction: { mode: "nearest", intersect: false },
      plugins: {
        legend: {
          display: series.length > 1 || Boolean(band),
          labels: { boxWidth: 12, filter: (item) => !String(item.text).endsWith("(low)") },
        },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? fullFormat.format(new Date(items[0].parsed.x ?? 0)) : ""),
            label: (item) => `${item.dataset.label}: ${item.parsed.y} ${unit}`,
          },
        },
      },
      scales: {
        x: {
          type: "linear",
          ticks: { maxTicksLimit: 6, callback: (value) => dayFormat.format(new Date(Number(value))) },
          grid: { display: false },
        },
        y: { title: { display: Boolean(unit), text: unit }, grace: "5%" },
      },
    }),
    [series.length, band, unit],
  );

  const rows = useMemo(() => {
    const byTime = new Map<number, (LinePoint | undefined)[]>();
    series.forEach((s, i) => {
      for (const p of s.points) {
        const row = byTime.get(p.x) ?? new Array<LinePoint | undefined>(series.length).fill(undefined);
        row[i] = p;
        byTime.set(p.x, row);
      }
    });
    return [...byTime.entries()].sort((a, b) => b[0] - a[0]);
  }, [series]);

  return (
    <figure aria-labelledby={captionId} className="space-y-2">
      <figcaption id={captionId} className="text-sm font-semibold text-ink">
        {title}
        {unit ? <span className="ml-1 font-normal text-ink-muted">({unit})</span> : null}
      </figcaption>
      {hasData ? (
        <div style={{ height }} className="relative" data-testid="line-chart">
          {hydrated ? <Line data={data} options={options} role="img" aria-label={`${title}, ${rows.length} readings; ${tableNote ?? "values in the table"}`} /> : null}
        </div>
      ) : (
        <p className="text-sm text-ink-subtle">{emptyText}</p>
      )}
      {hasData && table !== "none" ? (
        <div className={table === "visible" ? "max-h-60 overflow-y-auto rounded-md border border-surface-border" : "sr-only"}>
          <table className="w-full text-sm">
            <caption className="sr-only">
              {title} values{rows.length > TABLE_ROWS ? `, latest ${TABLE_ROWS} of ${rows.length}` : ""}
            </caption>
            <thead className="bg-surface-sunken text-left text-xs text-ink-muted uppercase">
              <tr>
                <th scope="col" className="px-3 py-1.5">
                  When
                </th>
                {series.map((s) => (
                  <th key={s.label} scope="col" className="px-3 py-1.5">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-surface-border">
              {rows.slice(0, TABLE_ROWS).map(([x, points]) => (
                <tr key={x}>
                  <td className="px-3 py-1 whitespace-nowrap text-ink-muted">{fullFormat.format(new Date(x))}</td>
                  {points.map((p, i) => (
                    <td key={i} className="px-3 py-1">
                      {p?.y ?? "—"}
                      {p?.flag ? <span className="ml-1 font-semibold text-danger-700">{p.flag}</span> : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </figure>
  );
}
