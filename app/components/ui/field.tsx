import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

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

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> {
  label: string;
  hint?: string;
  errors?: string[] | null;
}

export function TextAreaField({ label, hint, errors, className = "", rows = 3, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(describedBy) => (
        <textarea
          id={id}
          rows={rows}
          aria-describedby={describedBy}
          aria-invalid={errors?.length ? true : undefined}
          className={`${controlClass} ${className}`}
          {...textarea}
        />
      )}
    </FieldShell>
  );
}

interface CheckboxFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type"> {
  label: ReactNode;
  hint?: string;
  errors?: string[] | null;
}

/** A checkbox with its label to the right; hint and errors tied to it like the other fields. */
export function CheckboxField({ label, hint, errors, className = "", ...input }: CheckboxFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`space-y-1 ${className}`}>
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          aria-describedby={describedBy}
          aria-invalid={errors?.length ? true : undefined}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-surface-border accent-brand-600"
          {...input}
        />
        <label htmlFor={id} className="text-sm text-ink">
          {label}
        </label>
      </div>
      {hint ? (
        <p id={hintId} className="pl-6 text-xs text-ink-muted">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <p id={errorId} className="pl-6 text-sm text-danger-700">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
