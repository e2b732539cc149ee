import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

export const controlClass =
  "block w-full rounded-md border border-surface-border bg-surface px-3 py-2 text-sm text-ink shadow-sm " +
  "placeholder:text-ink-subtle focus:border-brand-600 aria-[invalid=true]:border-danger-600";

interface FieldShellProps {
  id: string;
  label: string;
  hint?: string;
  errors?: string[] | null;
  children: (describedBy: string | undefined) => ReactNode;
}

/** Label above, control, then hint and error text tied to the control with aria-describedby. */
function FieldShell({ id, label, hint, errors, children }: FieldShellProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-ink">
        {label}
      </label>
      {children(describedBy)}
      {hint ? (
        <p id={hintId} className="text-xs text-ink-muted">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <p id={errorId} className="text-sm text-danger-700">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  hint?: string;
  errors?: string[] | null;
}

export function TextField({ label, hint, errors, className = "", ...input }: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(describedBy) => (
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={errors?.length ? true : undefined}
          className={`${controlClass} ${className}`}
          {...input}
        />
      )}
    </FieldShell>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: string;
  hint?: string;
  errors?: string[] | null;
  options: readonly { value: string; label: string }[];
}

export function SelectField({ label, hint, errors, options, className = "", ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(describedBy) => (
        <select
          id={id}
          aria-describedby={describedBy}
          aria-invalid={errors?.length ? true : undefined}
          className={`${controlClass} ${className}`}
          {...select}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}
