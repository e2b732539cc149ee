import { useState } from "react";
import { Button } from "~/components/ui/button";
import { trpc } from "~/lib/trpc";
import { formatIdentifier, IDENTIFIER_LABEL, maskedIdentifier } from "./format";
import type { IdentifierKind, Patient } from "./types";
import { useCan } from "./use-can";

/**
 * Sensitive identifiers, masked to their last four. Roles with patient:reveal-identifiers can
 * reveal one (the server audits every reveal); the value stays on screen until hidden.
 */
export function IdentifiersList({ patientId, identifiers }: { patientId: string; identifiers: Patient["identifiers"] }) {
  const canReveal = useCan("patient:reveal-identifiers");
  const [revealed, setRevealed] = useState<Partial<Record<IdentifierKind, string>>>({});
  const reveal = trpc.patients.revealIdentifier.useMutation({
    onSuccess: (result) => setRevealed((r) => ({ ...r, [result.kind]: result.value })),
  });

  return (
    <div>
      <h3 className="text-xs font-medium tracking-wide text-ink-muted uppercase">Identifiers</h3>
      {identifiers.length ? (
        <ul className="mt-1 space-y-1.5 text-sm">
          {identifiers.map((identifier) => {
            const label = IDENTIFIER_LABEL[identifier.kind];
            const value = revealed[identifier.kind];
            const busy = reveal.isPending && reveal.variables?.kind === identifier.kind;
            return (
              <li key={identifier.kind} className="flex flex-wrap items-center gap-3">
                <span className="w-28 text-ink-muted">
                  {label}
                  {identifier.issuer ? ` (${identifier.issuer})` : ""}
                </span>
                <span className="font-mono tracking-wide" aria-live="polite">
                  {value ? formatIdentifier(identifier.kind, value) : maskedIdentifier(identifier.kind, identifier.last4)}
                </span>
                {canReveal ? (
                  value ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Hide ${label}`}
                      onClick={() => setRevealed(({ [identifier.kind]: _hidden, ...rest }) => rest)}
                    >
                      Hide
                    </Button>
                  ) : (
                    <Button
                      size="sm"
                      variant="secondary"
                      aria-label={`Reveal ${label}`}
                      disabled={busy}
                      onClick={() => reveal.mutate({ patientId, kind: identifier.kind })}
                    >
                      {busy ? "Revealing…" : "Reveal"}
                    </Button>
                  )
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-ink-subtle">None recorded</p>
      )}
      {canReveal && identifiers.length ? <p className="mt-2 text-xs text-ink-muted">Every reveal is recorded in the audit log.</p> : null}
    </div>
  );
}
