import { useId, type ReactNode } from "react";
import { Badge } from "~/components/ui/badge";
import { formatAge, formatDate, SEX_LABEL, STATUS_LABEL, STATUS_TONE } from "./format";
import type { PatientBanner as BannerData } from "./types";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="flex items-baseline gap-1.5">
      <dt id={id} className="text-xs font-medium tracking-wide text-ink-muted uppercase">
        {label}
      </dt>
      <dd aria-labelledby={id} className="text-sm text-ink">
        {children}
      </dd>
    </div>
  );
}

/** Who this is, at the top of every patient page: identity, status, alerts and allergies. */
export function PatientBanner({ banner }: { banner: BannerData }) {
  const { allergies } = banner;
  return (
    <section aria-label="Patient banner" className="overflow-hidden rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="flex flex-wrap items-start justify-between gap-x-8 gap-y-3 border-l-4 border-brand-600 px-5 py-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-xl font-semibold text-ink">{banner.displayName}</h1>
            <Badge tone={STATUS_TONE[banner.status]}>{STATUS_LABEL[banner.status]}</Badge>
          </div>
          <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1">
            <Fact label="MRN">
              <span className="font-mono tracking-wide">{banner.mrn}</span>
            </Fact>
            <Fact label="DOB">{formatDate(banner.dateOfBirth)}</Fact>
            <Fact label="Age">
              {formatAge(banner.age)}
              {banner.status === "DECEASED" ? " at death" : ""}
            </Fact>
            <Fact label="Sex">{SEX_LABEL[banner.sex]}</Fact>
            {banner.pronouns ? <Fact label="Pronouns">{banner.pronouns}</Fact> : null}
          </dl>
        </div>
        <div className="flex max-w-md flex-col items-start gap-2 sm:items-end">
          <ul aria-label="Allergies" className="flex flex-wrap gap-1.5 sm:justify-end">
            {allergies.state === "NOT_RECORDED" ? (
              <li>
                <Badge tone="warn">Allergies not recorded</Badge>
              </li>
            ) : allergies.state === "NO_KNOWN_ALLERGIES" ? (
              <li>
                <Badge tone="ok">No known allergies</Badge>
              </li>
            ) : allergies.items.length === 0 ? (
              // Roles without chart:read learn that allergies exist, not what they are.
              <li>
                <Badge tone="danger">Allergies recorded</Badge>
              </li>
            ) : (
              allergies.items.map((item) => (
                <li key={item}>
                  <Badge tone="danger">Allergy: {item}</Badge>
                </li>
              ))
            )}
          </ul>
          {banner.alerts.length ? (
            <ul aria-label="Alerts" className="flex flex-wrap gap-1.5 sm:justify-end">
              {banner.alerts.map((alert) => (
                <li key={alert}>
                  <span className="inline-flex items-center gap-1 rounded-md border border-warn-200 bg-warn-50 px-2 py-0.5 text-xs font-medium text-warn-700">
                    <svg viewBox="0 0 20 20" className="h-3 w-3" aria-hidden="true">
                      <path d="M10 2 1 18h18L10 2Z" fill="currentColor" />
                    </svg>
                    {alert}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </section>
  );
}
