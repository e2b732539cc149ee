import { Form, Link } from "@remix-run/react";
import { Button, buttonClass } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";

export interface AuditFilters {
  action?: string;
  outcome?: "SUCCESS" | "FAILURE" | "DENIED";
  userId?: string;
  patientId?: string;
}

const OUTCOMES = [
  { value: "", label: "Any outcome" },
  { value: "SUCCESS", label: "Success" },
  { value: "FAILURE", label: "Failure" },
  { value: "DENIED", label: "Denied" },
] as const;

/**
 * A GET form, so the filters live in the URL (shareable, back button works). Only action names,
 * outcomes and ids go into it, never patient details.
 */
export function AuditFilterForm({ filters }: { filters: AuditFilters }) {
  const hasFilters = Boolean(filters.action || filters.outcome || filters.userId || filters.patientId);
  return (
    <Form method="get" className="flex flex-wrap items-start gap-4 rounded-lg border border-surface-border bg-surface p-4 shadow-card" aria-label="Filter the audit log">
      {/* Key by value so a new navigation resets what the inputs show. */}
      <div className="w-64">
        <TextField
          key={filters.action ?? ""}
          label="Action"
          name="action"
          defaultValue={filters.action ?? ""}
          placeholder="e.g. auth.sign-in"
          hint="Matches actions that start with this"
          maxLength={100}
        />
      </div>
      <div className="w-44">
        <SelectField key={filters.outcome ?? ""} label="Outcome" name="outcome" defaultValue={filters.outcome ?? ""} options={OUTCOMES} />
      </div>
      {filters.userId ? <input type="hidden" name="userId" value={filters.userId} /> : null}
      {filters.patientId ? <input type="hidden" name="patientId" value={filters.patientId} /> : null}
      <div className="flex gap-2 pt-6">
        <Button type="submit">Apply filters</Button>
        {hasFilters ? (
          <Link to="?" className={buttonClass("ghost")}>
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
