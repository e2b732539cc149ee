import { Link } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { Badge } from "~/components/ui/badge";
import { Time } from "~/components/ui/time";
import { ALLERGY_SEVERITY_LABEL, flagsByField, VITAL_LABEL, vitalText } from "./format";
import type { Summary } from "./types";
import type { VitalField } from "../../../server/modules/charts/ranges.ts";

function Block({ title, to, children }: { title: string; to: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="min-w-0">
      <h2 id={id} className="text-xs font-semibold tracking-wide text-ink-muted uppercase">
        <Link to={to} className="hover:text-brand-700 hover:underline">
          {title}
        </Link>
      </h2>
      <div className="mt-1.5">{children}</div>
    </section>
  );
}

const LAST_VITALS: { key: "bp" | VitalField; label: string; fields: VitalField[] }[] = [
  { key: "bp", label: "BP", fields: ["systolicMmHg", "diastolicMmHg"] },
  { key: "heartRatePerMin", label: "HR", fields: ["heartRatePerMin"] },
  { key: "respiratoryRatePerMin", label: "RR", fields: ["respiratoryRatePerMin"] },
  { key: "temperatureC", label: "Temp", fields: ["temperatureC"] },
  { key: "spo2Percent", label: "SpO2", fields: ["spo2Percent"] },
  { key: "weightKg", label: "Weight", fields: ["weightKg"] },
  { key: "bmi", label: "BMI", fields: ["bmi"] },
  { key: "painScore", label: "Pain", fields: ["painScore"] },
];

/**
 * The top of every chart page: allergies (or the explicit "no known allergies", or the warning that
 * nobody has asked), active problems, active medications, the last vitals with abnormal values
 * flagged, and results waiting for review. Kept current by the chart's live events.
 */
export function ChartSummary({ summary, base }: { summary: Summary; base: string }) {
  const { allergies, problems, medications, lastVitals } = summary;
  const flags = lastVitals ? flagsByField(lastVitals) : {};

  return (
    <section aria-label="Chart summary" className="grid gap-x-6 gap-y-4 rounded-lg border border-surface-border bg-surface px-5 py-4 shadow-card md:grid-cols-2 xl:grid-cols-4">
      <Block title="Allergies" to={`${base}/allergies`}>
        <ul aria-label="Allergy list" className="flex flex-wrap gap-1.5" data-testid="summary-allergies">
          {allergies.status === "NOT_RECORDED" ? (
            <li>
              <Badge tone="warn">Allergies not recorded</Badge>
            </li>
          ) : allergies.status === "NO_KNOWN_ALLERGIES" || allergies.items.length === 0 ? (
            <li>
              <Badge tone="ok">No known allergies</Badge>
            </li>
          ) : (
            allergies.items.map((a) => (
              <li key={a.id}>
                <Badge tone="danger">
                  {a.substance}
                  {a.severity ? <span className="font-normal">· {ALLERGY_SEVERITY_LABEL[a.severity]}</span> : null}
                </Badge>
                {a.reaction ? <span className="sr-only"> (reaction: {a.reaction})</span> : null}
              </li>
            ))
          )}
        </ul>
      </Block>

      <Block title={`Active problems (${problems.length})`} to={`${base}/problems`}>
        {problems.length ? (
          <ul className="space-y-0.5 text-sm" data-testid="summary-problems">
            {problems.slice(0, 6).map((p) => (
              <li key={p.id} className="truncate" title={p.description}>
                <span className="mr-1.5 font-mono text-xs text-ink-muted">{p.icd10CodeDotted}</span>
                {p.description}
              </li>
            ))}
            {problems.length > 6 ? <li className="text-xs text-ink-muted">and {problems.length - 6} more</li> : null}
          </ul>
        ) : (
          <p className="text-sm text-ink-subtle">None recorded</p>
        )}
      </Block>

      <Block title={`Active medications (${medications.length})`} to={`${base}/medications`}>
        {medications.length ? (
          <ul className="space-y-0.5 text-sm" data-testid="summary-medications">
            {medications.slice(0, 6).map((m) => (
              <li key={m.id} className="truncate">
                <span className="font-medium">{m.drugName}</span>
                <span className="text-ink-muted">{[m.dose, m.route, m.frequency].filter(Boolean).length ? ` ${[m.dose, m.route, m.frequency].filter(Boolean).join(" · ")}` : ""}</span>
              </li>
            ))}
            {medications.length > 6 ? <li className="text-xs text-ink-muted">and {medications.length - 6} more</li> : null}
          </ul>
        ) : (
          <p className="text-sm text-ink-subtle">None recorded</p>
        )}
      </Block>

      <Block title="Last vitals" to={`${base}/vitals`}>
        {lastVitals ? (
          <div data-testid="summary-vitals">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
              {LAST_VITALS.map(({ key, label, fields }) => {
                const text = vitalText(lastVitals, key);
                if (!text) return null;
                const flag = fields.map((f) => flags[f]).find(Boolean);
                return (
                  <div key={key} className="contents">
                    <dt className="text-ink-muted">{label}</dt>
                    <dd className={flag ? "font-semibold text-danger-700" : "text-ink"} aria-label={`${VITAL_LABEL[fields[0]!] === "Systolic" ? "Blood pressure" : VITAL_LABEL[fields[0]!]}: ${text}${flag ? `, ${flag.level === "HIGH" ? "high" : "low"}` : ""}`}>
                      {text}
                      {flag ? (
                        <span className="ml-1 text-xs" title={flag.rule}>
                          {flag.level === "HIGH" ? "▲ high" : "▼ low"}
                        </span>
                      ) : null}
                    </dd>
                  </div>
                );
              })}
            </dl>
            <p className="mt-1 text-xs text-ink-muted">
              <Time value={lastVitals.takenAt} />
            </p>
          </div>
        ) : (
          <p className="text-sm text-ink-subtle">None recorded</p>
        )}
        {summary.unacknowledgedResults > 0 ? (
          <p className="mt-2">
            <Link to={`${base}/labs`} className="text-sm font-medium text-warn-700 hover:underline">
              {summary.unacknowledgedResults} {summary.unacknowledgedResults === 1 ? "result" : "results"} to review
            </Link>
          </p>
        ) : null}
      </Block>
    </section>
  );
}
