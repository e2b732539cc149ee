import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { controlClass } from "~/components/ui/field";
import { useDebouncedValue } from "~/features/patients/use-debounced-value";
import { trpc } from "~/lib/trpc";

export interface PickedCode {
  code: string;
  /** as shown, e.g. "E11.9" */
  display: string;
  description: string;
}

interface Option extends PickedCode {
  detail?: string | null;
}

interface CodeComboboxProps {
  label: string;
  value: PickedCode | null;
  onChange: (value: PickedCode | null) => void;
  options: Option[];
  query: string;
  onQuery: (q: string) => void;
  loading: boolean;
  errors?: string[];
  hint: string;
  placeholder?: string;
}

/**
 * A required code chosen from suggestions (a combobox): type words or a code, pick one with the
 * mouse or arrows + Enter. Once picked, the box shows the code; typing again starts a new search.
 */
function CodeCombobox({ label, value, onChange, options, query, onQuery, loading, errors, hint, placeholder }: CodeComboboxProps) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const expanded = open && !value && options.length > 0;

  function choose(option: Option) {
    onChange({ code: option.code, display: option.display, description: option.description });
    onQuery(option.description);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (!expanded) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const option = options[active >= 0 ? active : 0];
      if (option) choose(option);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
    }
  }

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-ink">
        {label}
      </label>
      <div className="relative">
        <input
          id={id}
          type="text"
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          aria-describedby={[hintId, errors?.length ? errorId : null].filter(Boolean).join(" ")}
          aria-invalid={errors?.length ? true : undefined}
          aria-busy={loading || undefined}
          placeholder={placeholder}
          value={query}
          onChange={(e) => {
            onQuery(e.target.value);
            if (value) onChange(null);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className={`${controlClass} ${value ? "pr-28" : ""}`}
        />
        {value ? (
          <span className="absolute top-1/2 right-2 -translate-y-1/2 rounded bg-brand-50 px-1.5 py-0.5 font-mono text-xs text-brand-800" data-testid="picked-code">
            {value.display}
          </span>
        ) : null}
        <ul
          id={listId}
          role="listbox"
          aria-label={`${label} suggestions`}
          hidden={!expanded}
          className="absolute z-20 mt-1 max-h-72 w-full overflow-y-auto rounded-md border border-surface-border bg-surface py-1 text-sm shadow-card"
        >
          {options.map((option, index) => (
            <li
              key={option.code}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(option);
              }}
              onMouseEnter={() => setActive(index)}
              className="flex cursor-pointer gap-3 px-3 py-1.5 aria-selected:bg-brand-50"
            >
              <span className="w-16 shrink-0 font-mono text-xs leading-5 text-brand-800">{option.display}</span>
              <span className="text-ink">
                {option.description}
                {option.detail ? <span className="block text-xs text-ink-muted">{option.detail}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <p id={hintId} className="text-xs text-ink-muted">
        {value ? `Chosen: ${value.display} ${value.description}. Type again to choose another.` : hint}
      </p>
      {errors?.length ? (
        <p id={errorId} className="text-sm text-danger-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

interface PickerProps {
  label: string;
  value: PickedCode | null;
  onChange: (value: PickedCode | null) => void;
  errors?: string[];
}

/** An ICD-10-CM code (codes.icd10Search), by code or words. */
export function Icd10CodePicker({ label, value, onChange, errors }: PickerProps) {
  const [text, setText] = useState(value?.description ?? "");
  const q = useDebouncedValue(text.trim(), 200);
  const enabled = !value && q.length >= 2;
  const search = trpc.codes.icd10Search.useQuery({ q, limit: 10 }, { enabled, placeholderData: keepPreviousData, meta: { silentErrors: true } });
  const options = enabled ? (search.data ?? []).map((o) => ({ code: o.code, display: o.codeDotted, description: o.description })) : [];
  return (
    <CodeCombobox
      label={label}
      value={value}
      onChange={onChange}
      options={options}
      query={text}
      onQuery={setText}
      loading={enabled && search.isFetching}
      errors={errors}
      hint="Type a diagnosis or an ICD-10 code (like E11.9) and choose from the list."
    />
  );
}

/** A LOINC-coded lab test (charts.loincSearch). */
export function LoincPicker({ label, value, onChange, errors }: PickerProps) {
  const [text, setText] = useState(value?.description ?? "");
  const q = useDebouncedValue(text.trim(), 200);
  const enabled = !value && q.length >= 2;
  const search = trpc.charts.loincSearch.useQuery({ q, limit: 10, labOnly: true }, { enabled, placeholderData: keepPreviousData, meta: { silentErrors: true } });
  const options = enabled
    ? (search.data ?? []).map((o) => ({ code: o.code, display: o.code, description: o.longCommonName, detail: [o.system, o.exampleUnit].filter(Boolean).join(" · ") || null }))
    : [];
  return (
    <CodeCombobox
      label={label}
      value={value}
      onChange={onChange}
      options={options}
      query={text}
      onQuery={setText}
      loading={enabled && search.isFetching}
      errors={errors}
      hint="Type a test name (like hemoglobin A1c) or a LOINC code and choose from the list."
    />
  );
}
