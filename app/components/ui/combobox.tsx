import { useId, useState, type KeyboardEvent, type ReactNode } from "react";
import { controlClass } from "./field";

/** One suggestion. Pickers extend it with whatever they need back in `onPick`. */
export interface ComboboxOption {
  key: string;
  label: string;
  /** A code shown in its own column (ICD-10, LOINC), so a list of codes lines up. */
  code?: string;
  detail?: string | null;
}

interface ComboboxProps<T extends ComboboxOption> {
  label: string;
  /** The listbox's accessible name; "<label> suggestions" unless given. */
  listLabel?: string;
  text: string;
  onTextChange: (text: string) => void;
  /** The current suggestions; the picker owns the search (and its debounce). */
  options: T[];
  onPick: (option: T) => void;
  /** Shown in the open list when there are no options: "Searching…", "No match", an error. */
  status?: ReactNode;
  /** Enter with nothing highlighted takes the first option (when a pick is required anyway). */
  pickFirstOnEnter?: boolean;
  /** What has been picked, shown inside the box. */
  badge?: ReactNode;
  busy?: boolean;
  hint: ReactNode;
  errors?: string[] | null;
  type?: "text" | "search";
  placeholder?: string;
  maxLength?: number;
}

/**
 * A text box with a list of suggestions (the ARIA combobox pattern): type, then pick with the
 * mouse or ArrowDown/ArrowUp and Enter; Escape closes the list. Focus stays in the box and the
 * highlighted option is announced through aria-activedescendant.
 */
export function Combobox<T extends ComboboxOption>({
  label,
  listLabel = `${label} suggestions`,
  text,
  onTextChange,
  options,
  onPick,
  status,
  pickFirstOnEnter = false,
  badge,
  busy,
  hint,
  errors,
  type = "text",
  placeholder,
  maxLength,
}: ComboboxProps<T>) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const expanded = open && (options.length > 0 || status != null);
  // Options can change under a highlight (a newer search); a stale index then points at nothing.
  const highlighted = expanded ? options[active] : undefined;

  function pick(option: T) {
    onPick(option);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (event.key === "ArrowUp" && expanded && options.length) {
      event.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (event.key === "Enter" && expanded) {
      const option = highlighted ?? (pickFirstOnEnter ? options[0] : undefined);
      // Only a pick swallows Enter; otherwise it submits the form as usual.
      if (option) {
        event.preventDefault();
        pick(option);
      }
    } else if (event.key === "Escape" && expanded) {
      // Closing the list is all Escape does here: not clearing a search box, not closing a dialog.
      event.preventDefault();
      setOpen(false);
      setActive(-1);
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
          type={type}
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={highlighted ? `${listId}-${active}` : undefined}
          aria-describedby={[hintId, errors?.length ? errorId : null].filter(Boolean).join(" ")}
          aria-invalid={errors?.length ? true : undefined}
          aria-busy={busy || undefined}
          placeholder={placeholder}
          maxLength={maxLength}
          value={text}
          onChange={(e) => {
            onTextChange(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className={`${controlClass} ${badge ? "pr-28" : ""}`}
        />
        {badge ? (
          <span className="absolute top-1/2 right-2 -translate-y-1/2 rounded bg-brand-50 px-1.5 py-0.5 font-mono text-xs text-brand-800" data-testid="picked-code">
            {badge}
          </span>
        ) : null}
        <ul
          id={listId}
          role="listbox"
          aria-label={listLabel}
          hidden={!expanded}
          className="absolute z-20 mt-1 max-h-72 w-full overflow-y-auto rounded-md border border-surface-border bg-surface py-1 text-sm shadow-card"
        >
          {options.length === 0 && status != null ? <li className="px-3 py-2 text-ink-muted">{status}</li> : null}
          {options.map((option, index) => (
            <li
              key={option.key}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(option);
              }}
              onMouseEnter={() => setActive(index)}
              className="flex cursor-pointer gap-3 px-3 py-1.5 aria-selected:bg-brand-50"
            >
              {option.code != null ? <span className="w-16 shrink-0 font-mono text-xs leading-5 text-brand-800">{option.code}</span> : null}
              <span className="text-ink">
                {option.label}
                {option.detail ? <span className="block text-xs text-ink-muted">{option.detail}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <p id={hintId} className="text-xs text-ink-muted">
        {hint}
      </p>
      {errors?.length ? (
        <p id={errorId} className="text-sm text-danger-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
