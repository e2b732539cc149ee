import { keepPreviousData } from "@tanstack/react-query";
import { Combobox } from "~/components/ui/combobox";
import { TextField } from "~/components/ui/field";
import { trpc } from "~/lib/trpc";
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

const MAX_LENGTH = 500;

/**
 * Free text with ICD-10-CM suggestions (codes.icd10Search) as you type. Choosing a suggestion
 * codes the entry; typing again after that goes back to free text.
 */
export function Icd10Picker({ label, value, onChange, errors, lookup }: Icd10PickerProps) {
  const q = useDebouncedValue(value.text.trim(), 200);
  const enabled = lookup && !value.code && q.length >= 2;
  const search = trpc.codes.icd10Search.useQuery({ q, limit: 8 }, { enabled, placeholderData: keepPreviousData, meta: { silentErrors: true } });

  if (!lookup) {
    return (
      <TextField
        label={label}
        autoComplete="off"
        maxLength={MAX_LENGTH}
        value={value.text}
        onChange={(e) => onChange({ text: e.target.value, code: null, codeDotted: null })}
        errors={errors}
        hint="Describe it in your own words."
      />
    );
  }

  const options = enabled
    ? (search.data ?? []).map((o) => ({ key: o.code, code: o.codeDotted, label: o.description, coded: { text: o.description, code: o.code, codeDotted: o.codeDotted } }))
    : [];
  return (
    <Combobox
      label={label}
      maxLength={MAX_LENGTH}
      text={value.text}
      onTextChange={(text) => onChange({ text, code: null, codeDotted: null })}
      options={options}
      onPick={(o) => onChange(o.coded)}
      badge={value.code ? `ICD-10 ${value.codeDotted}` : null}
      errors={errors}
      hint={value.code ? "Coded. Type again to use your own words instead." : "Type to see ICD-10 suggestions, or keep your own words."}
    />
  );
}
