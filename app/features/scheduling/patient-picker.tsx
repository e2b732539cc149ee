import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { Button } from "~/components/ui/button";
import { controlClass } from "~/components/ui/field";
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

/** `value`, once it has stopped changing for `ms`. */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const hitName = (hit: PatientHit) => `${hit.familyName}, ${hit.givenName}${hit.preferredName ? ` (${hit.preferredName})` : ""}`;

/**
 * A small typeahead over `patients.search` (active patients only): type a name, MRN, date of birth
 * or phone, then pick with the mouse or ArrowDown/ArrowUp and Enter. A combobox with a listbox.
 */
export function PatientPicker({ value, onChange, errors, label = "Patient" }: PatientPickerProps) {
  const id = useId();
  const listId = `${id}-list`;
  const errorId = `${id}-error`;
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const q = useDebounced(text.trim(), 200);
  const enabled = open && q.length >= 2;
  const search = trpc.patients.search.useQuery(
    { q, limit: RESULTS, filters: { status: "ACTIVE" } },
    { enabled, placeholderData: keepPreviousData, meta: { silentErrors: true } },
  );
  const hits = enabled ? (search.data?.items ?? []) : [];
  const showList = open && text.trim().length >= 2;
  const settling = q !== text.trim() || search.isFetching;

  function pick(hit: PatientHit) {
    onChange({ id: hit.id, name: hitName(hit), mrn: hit.mrn });
    setText("");
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" && hits.length) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, hits.length - 1));
    } else if (event.key === "ArrowUp" && hits.length) {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter") {
      const hit = active >= 0 ? hits[active] : !settling && hits.length === 1 ? hits[0] : undefined;
      if (hit) {
        event.preventDefault();
        pick(hit);
      }
    } else if (event.key === "Escape") {
      setOpen(false);
      setActive(-1);
    }
  }

  const describedBy = errors?.length ? errorId : undefined;

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
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-ink">
        {label}
      </label>
      <div className="relative">
        <input
          id={id}
          type="search"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listId}
          aria-activedescendant={active >= 0 && hits[active] ? `${listId}-${active}` : undefined}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={[`${id}-hint`, describedBy].filter(Boolean).join(" ")}
          placeholder="Name, MRN, date of birth or phone"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => window.setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
          className={controlClass}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Matching patients"
          hidden={!showList}
          className="absolute top-full right-0 left-0 z-20 mt-1 max-h-72 overflow-y-auto rounded-md border border-surface-border bg-surface py-1 shadow-card"
        >
          {showList && search.isError ? <li className="px-3 py-2 text-sm text-danger-700">{errorMessageOf(search.error)}</li> : null}
          {showList && !search.isError && hits.length === 0 ? (
            <li className="px-3 py-2 text-sm text-ink-muted">{settling ? "Searching…" : "No active patients match."}</li>
          ) : null}
          {hits.map((hit, index) => (
            <li
              key={hit.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              // mousedown, not click: it runs before the input's blur closes the list
              onMouseDown={(e) => {
                e.preventDefault();
                pick(hit);
              }}
              onMouseEnter={() => setActive(index)}
              className="cursor-pointer px-3 py-2 text-sm aria-selected:bg-brand-50"
            >
              <span className="font-medium text-ink">{hitName(hit)}</span>
              <span className="block text-xs text-ink-muted">
                MRN {hit.mrn} · born {hit.dateOfBirth}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <p id={`${id}-hint`} className="text-xs text-ink-muted">
        Type at least 2 characters, then choose from the list.
      </p>
      {errors?.length ? (
        <p id={errorId} className="text-sm text-danger-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
