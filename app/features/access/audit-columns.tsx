import { Link } from "@remix-run/react";
import { createColumnHelper } from "@tanstack/react-table";
import { Badge } from "~/components/ui/badge";
import { Time } from "~/components/ui/time";
import { ROLE_LABEL } from "~/lib/roles";
import type { RouterOutputs } from "~/lib/trpc";

export type AuditRow = RouterOutputs["access"]["auditLog"]["items"][number];

const column = createColumnHelper<AuditRow>();

const OUTCOME_TONE = { SUCCESS: "ok", FAILURE: "warn", DENIED: "danger" } as const;
const OUTCOME_LABEL = { SUCCESS: "Success", FAILURE: "Failure", DENIED: "Denied" } as const;

/** Long ids are shown shortened; the full id is in the tooltip and in the filter link. */
function ShortId({ id }: { id: string }) {
  return (
    <span className="font-mono text-xs" title={id}>
      {id.slice(0, 8)}
    </span>
  );
}

/** A link that narrows the current filters (ids only: no patient details go into URLs). */
function filterLink(current: URLSearchParams, key: string, value: string) {
  const next = new URLSearchParams(current);
  next.set(key, value);
  return `?${next}`;
}

export function auditColumns(search: URLSearchParams) {
  return [
    column.accessor("at", {
      header: "When",
      cell: (info) => (
        <span className="whitespace-nowrap">
          <Time value={info.getValue()} seconds />
        </span>
      ),
    }),
    column.accessor("userName", {
      header: "Who",
      cell: ({ row }) => {
        const { userId, userName, role } = row.original;
        if (!userId) return <span className="text-ink-muted">Not signed in</span>;
        return (
          <div className="leading-tight">
            <Link
              to={filterLink(search, "userId", userId)}
              className="font-medium text-brand-700 hover:underline"
              aria-label={`Only events by ${userName ?? "this user"}`}
            >
              {userName ?? <ShortId id={userId} />}
            </Link>
            {role ? <div className="text-xs text-ink-muted">{ROLE_LABEL[role]}</div> : null}
          </div>
        );
      },
    }),
    column.accessor("action", {
      header: "Action",
      cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span>,
    }),
    column.display({
      id: "resource",
      header: "Record",
      cell: ({ row }) => {
        const { resourceType, resourceId, patientId } = row.original;
        // A patient record is shown once, as the patient link.
        const showResource = resourceType && !(resourceType === "Patient" && resourceId === patientId);
        return (
          <div className="space-y-0.5 text-xs">
            {showResource ? (
              <div>
                {resourceType} {resourceId ? <ShortId id={resourceId} /> : null}
              </div>
            ) : null}
            {patientId ? (
              <div>
                <Link to={filterLink(search, "patientId", patientId)} className="text-brand-700 hover:underline" aria-label="Only events for this patient">
                  Patient <ShortId id={patientId} />
                </Link>
              </div>
            ) : null}
            {!resourceType && !patientId ? <span className="text-ink-muted">—</span> : null}
          </div>
        );
      },
    }),
    column.accessor("outcome", {
      header: "Outcome",
      cell: (info) => <Badge tone={OUTCOME_TONE[info.getValue()]}>{OUTCOME_LABEL[info.getValue()]}</Badge>,
    }),
    column.accessor("reason", {
      header: "Detail",
      cell: (info) => <span className="text-ink-muted">{info.getValue() ?? ""}</span>,
    }),
    column.accessor("ip", {
      header: "IP address",
      cell: (info) => <span className="font-mono text-xs text-ink-muted">{info.getValue() ?? ""}</span>,
    }),
  ];
}
