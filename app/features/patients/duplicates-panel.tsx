import { Badge } from "~/components/ui/badge";
import { CheckboxField } from "~/components/ui/field";
import { formatDate, listName } from "./format";
import type { DuplicateCandidate } from "./types";

interface DuplicatesPanelProps {
  candidates: DuplicateCandidate[];
  /** Still checking against the latest typing. */
  checking?: boolean;
  confirmed: boolean;
  onConfirmedChange: (confirmed: boolean) => void;
}

/**
 * Existing records that look like the person being registered. "Open" opens the record in a new
 * tab, so the form and everything typed into it stays here.
 */
export function DuplicatesPanel({ candidates, checking = false, confirmed, onConfirmedChange }: DuplicatesPanelProps) {
  return (
    <section aria-label="Possible duplicates" className="rounded-lg border border-warn-200 bg-warn-50 p-4 shadow-card">
      <h2 className="flex items-center gap-2 text-sm font-semibold text-warn-700">
        <svg viewBox="0 0 20 20" className="h-4 w-4" aria-hidden="true">
          <path d="M10 2 1 18h18L10 2Z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
          <path d="M10 8v4M10 14.5v.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
        Possible existing patients
      </h2>
      <p className="mt-1 text-sm text-warn-700">
        Check these before registering: a second record for the same person splits their chart.
        {checking ? " Checking…" : ""}
      </p>
      <ul className="mt-3 divide-y divide-warn-200 rounded-md border border-warn-200 bg-surface">
        {candidates.map((c) => (
          <li key={c.id} className="flex items-start justify-between gap-3 px-3 py-2.5">
            <div className="min-w-0 text-sm">
              <p className="font-medium text-ink">{listName(c)}</p>
              <p className="text-ink-muted">
                MRN <span className="font-mono text-xs text-ink">{c.mrn}</span> · Born {formatDate(c.dateOfBirth)}
              </p>
              <ul className="mt-1 flex flex-wrap gap-1" aria-label="Why it matches">
                {c.reasons.map((reason) => (
                  <li key={reason}>
                    <Badge tone="warn">{reason}</Badge>
                  </li>
                ))}
              </ul>
            </div>
            <a
              href={`/patients/${c.id}`}
              target="_blank"
              rel="noopener noreferrer"
              className="shrink-0 rounded-md border border-surface-border px-2.5 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50"
              aria-label={`Open MRN ${c.mrn} (opens in a new tab)`}
            >
              Open
            </a>
          </li>
        ))}
      </ul>
      <CheckboxField
        className="mt-4"
        label="This is a different person — register anyway"
        checked={confirmed}
        onChange={(e) => onConfirmedChange(e.target.checked)}
      />
    </section>
  );
}
