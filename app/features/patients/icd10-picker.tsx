import { keepPreviousData } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { controlClass } from "~/components/ui/field";
import { trpc } from "~/lib/trpc";
import type { Icd10Code } from "./types";
import { useDebouncedValue } from "./use-debounced-value";

export interface CodedText {
  /** What is shown and saved as the description: typed free text, or the chosen code's description. */
  text: string;
  /** The chosen ICD-10 code (undotted, as stored), or null for free text. */
  code: string | null;
  codeDotted: string | null;
}

export const EMPTY_CODED: CodedText = { text: "", code: null, codeDotted: null };

interface Icd10PickerProps {
  label: string;
  value: CodedText;
  onChange: (value: CodedText) => void;
  errors?: string[];
  /** Without codes:read the box is plain free text. */
  lookup: boolean;
}

/**
 * Free text with ICD-10-CM suggestions (codes.icd10Search) as you type: a combobox. Choosing a
 * suggestion codes the entry; typing again after that goes back to free text.
 */
export function Icd10Picker({ label, value, onChange, errors, lookup }: Icd10PickerProps) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const q = useDebouncedValue(value.text.trim(), 200);
  const enabled = lookup && open && !value.code && q.length >= 2;
  const search = trpc.codes.icd10Search.useQuery({ q, limit: 8 }, { enabled, placeholderData: keepPreviousData, meta: { silentErrors: true } });
  const options: Icd10Code[] = enabled ? (search.data ?? []) : [];
  const expanded = options.length > 0;

  function choose(option: Icd10Code) {
    onChange({ text: option.description, code: option.code, codeDotted: option.codeDotted });
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
    } else if (event.key === "Enter" && active >= 0 && options[active]) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
    }
  }

  const describedBy = [hintId, errors?.length ? errorId : null].filter(Boolean).join(" ");

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
          maxLength={500}
          value={value.text}
          role={lookup ? "combobox" : undefined}
          aria-autocomplete={lookup ? "list" : undefined}
          aria-expanded={lookup ? expanded : undefined}
          aria-controls={lookup ? listId : undefined}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          aria-describedby={describedBy}
          aria-invalid={errors?.length ? true : undefined}
          onChange={(e) => {
            onChange({ text: e.target.value, code: null, codeDotted: null });
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className={`${controlClass} ${value.code ? "pr-24" : ""}`}
        />
        {value.code ? (
          <span className="absolute top-1/2 right-2 -translate-y-1/2 rounded bg-brand-50 px-1.5 py-0.5 font-mono text-xs text-brand-800">
            ICD-10 {value.codeDotted}
          </span>
        ) : null}
        {lookup ? (
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
                // mousedown, not click: the input's blur would close the list first.
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(option);
                }}
                onMouseEnter={() => setActive(index)}
                className="flex cursor-pointer gap-3 px-3 py-1.5 aria-selected:bg-brand-50"
              >
                <span className="w-16 shrink-0 font-mono text-xs leading-5 text-brand-800">{option.codeDotted}</span>
                <span className="text-ink">{option.description}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p id={hintId} className="text-xs text-ink-muted">
        {lookup
          ? value.code
            ? "Coded. Type again to use your own words instead."
            : "Type to see ICD-10 suggestions, or keep your own words."
          : "Describe it in your own words."}
      </p>
      {errors?.length ? (
        <p id={errorId} className="text-sm text-danger-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
