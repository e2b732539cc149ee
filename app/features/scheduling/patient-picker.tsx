import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "~/components/ui/button";
import { Combobox } from "~/components/ui/combobox";
import { useDebouncedValue } from "~/features/patients/use-debounced-value";
import { errorMessageOf, trpc } from "~/lib/trpc";
import type { PatientHit } from "./types";

export interface PickedPatient {
  id: string;
  name: string;
  mrn: string;
}

interface PatientPickerProps {
  value: PickedPatient | null;
  onChange: (patient: PickedPatient | null) => void;
  errors?: string[] | null;
  label?: string;
}

const RESULTS = 8;

const hitName = (hit: PatientHit) => `${hit.familyName}, ${hit.givenName}${hit.preferredName ? ` (${hit.preferredName})` : ""}`;

/**
 * A small typeahead over `patients.search` (active patients only): type a name, MRN, date of birth
 * or phone, then pick from the list. Once picked, it shows the patient with a way to change.
 */
export function PatientPicker({ value, onChange, errors, label = "Patient" }: PatientPickerProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const [text, setText] = useState("");
  const typed = text.trim();
  const q = useDebouncedValue(typed, 200);
  const enabled = q.length >= 2;
  const search = trpc.patients.search.useQuery(
    { q, limit: RESULTS, filters: { status: "ACTIVE" } },
    { enabled, placeholderData: keepPreviousData, meta: { silentErrors: true } },
  );
  const settling = q !== typed || search.isFetching;
  const options =
    enabled && typed.length >= 2
      ? (search.data?.items ?? []).map((hit) => ({ key: hit.id, label: hitName(hit), detail: `MRN ${hit.mrn} · born ${hit.dateOfBirth}`, hit }))
      : [];
  const status =
    typed.length < 2 ? null : search.isError ? (
      <span className="text-danger-700">{errorMessageOf(search.error)}</span>
    ) : settling ? (
      "Searching…"
    ) : (
      "No active patients match."
    );

  if (value) {
    return (
      <div className="space-y-1">
        <p className="block text-sm font-medium text-ink" id={`${id}-label`}>
          {label}
        </p>
        <div className="flex items-center justify-between gap-3 rounded-md border border-surface-border bg-surface-sunken px-3 py-2" aria-labelledby={`${id}-label`} role="group">
          <div className="min-w-0 text-sm">
            <p className="truncate font-medium text-ink" data-testid="picked-patient">
              {value.name}
            </p>
            <p className="text-xs text-ink-muted">MRN {value.mrn}</p>
          </div>
          <Button size="sm" variant="ghost" onClick={() => onChange(null)}>
            Change<span className="sr-only"> patient</span>
          </Button>
        </div>
        {errors?.length ? (
          <p id={errorId} className="text-sm text-danger-700">
            {errors.join(" ")}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <Combobox
      label={label}
      listLabel="Matching patients"
      type="search"
      placeholder="Name, MRN, date of birth or phone"
      text={text}
      onTextChange={setText}
      options={options}
      onPick={({ hit }) => {
        onChange({ id: hit.id, name: hitName(hit), mrn: hit.mrn });
        setText("");
      }}
      status={status}
      // Enter alone picks only an unambiguous, settled result.
      pickFirstOnEnter={!settling && options.length === 1}
      busy={settling}
      errors={errors}
      hint="Type at least 2 characters, then choose from the list."
    />
  );
}
