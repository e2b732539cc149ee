import { keepPreviousData } from "@tanstack/react-query";
import { useState } from "react";
import { Combobox, type ComboboxOption } from "~/components/ui/combobox";
import { useDebouncedValue } from "~/features/patients/use-debounced-value";
import { trpc } from "~/lib/trpc";

export interface PickedCode {
  code: string;
  /** as shown, e.g. "E11.9" */
  display: string;
  description: string;
}

interface CodeOption extends ComboboxOption {
  picked: PickedCode;
}

/** One vocabulary's search: suggestions for a settled query, none while `enabled` is false. */
type UseSuggestions = (q: string, enabled: boolean) => { options: CodeOption[]; busy: boolean };

const searchOptions = { placeholderData: keepPreviousData, meta: { silentErrors: true } };

const useIcd10Suggestions: UseSuggestions = (q, enabled) => {
  const search = trpc.codes.icd10Search.useQuery({ q, limit: 10 }, { ...searchOptions, enabled });
  const options = (enabled ? (search.data ?? []) : []).map((o) => ({
    key: o.code,
    code: o.codeDotted,
    label: o.description,
    picked: { code: o.code, display: o.codeDotted, description: o.description },
  }));
  return { options, busy: enabled && search.isFetching };
};

const useLoincSuggestions: UseSuggestions = (q, enabled) => {
  const search = trpc.charts.loincSearch.useQuery({ q, limit: 10, labOnly: true }, { ...searchOptions, enabled });
  const options = (enabled ? (search.data ?? []) : []).map((o) => ({
    key: o.code,
    code: o.code,
    label: o.longCommonName,
    detail: [o.system, o.exampleUnit].filter(Boolean).join(" · ") || null,
    picked: { code: o.code, display: o.code, description: o.longCommonName },
  }));
  return { options, busy: enabled && search.isFetching };
};

interface PickerProps {
  label: string;
  value: PickedCode | null;
  onChange: (value: PickedCode | null) => void;
  errors?: string[];
}

interface CodeBoxProps extends PickerProps {
  /** A module-level hook, so every render calls the same hooks in the same order. */
  useSuggestions: UseSuggestions;
  hint: string;
}

/**
 * A required code chosen from suggestions. Once picked, the box shows the code; typing again
 * drops it and starts a new search. Enter takes the first suggestion: free text is never valid.
 */
function CodeBox({ label, value, onChange, errors, useSuggestions, hint }: CodeBoxProps) {
  const [text, setText] = useState(value?.description ?? "");
  const q = useDebouncedValue(text.trim(), 200);
  const { options, busy } = useSuggestions(q, !value && q.length >= 2);
  return (
    <Combobox
      label={label}
      text={text}
      onTextChange={(t) => {
        setText(t);
        if (value) onChange(null);
      }}
      options={options}
      onPick={(option) => {
        onChange(option.picked);
        setText(option.picked.description);
      }}
      pickFirstOnEnter
      badge={value?.display}
      busy={busy}
      errors={errors}
      hint={value ? `Chosen: ${value.display} ${value.description}. Type again to choose another.` : hint}
    />
  );
}

/** An ICD-10-CM code (codes.icd10Search), by code or words. */
export function Icd10CodePicker(props: PickerProps) {
  return <CodeBox {...props} useSuggestions={useIcd10Suggestions} hint="Type a diagnosis or an ICD-10 code (like E11.9) and choose from the list." />;
}

/** A LOINC-coded lab test (charts.loincSearch). */
export function LoincPicker(props: PickerProps) {
  return <CodeBox {...props} useSuggestions={useLoincSuggestions} hint="Type a test name (like hemoglobin A1c) or a LOINC code and choose from the list." />;
}
