import { keepPreviousData } from "@tanstack/react-query";
import { Combobox, type ComboboxOption } from "~/components/ui/combobox";
import { useDebouncedValue } from "~/features/patients/use-debounced-value";
import { trpc } from "~/lib/trpc";

/**
 * Drug and allergen boxes: free text that may be coded by picking a suggestion. Unlike the ICD-10
 * and LOINC pickers, typing is valid on its own (our RxNorm list holds ~1,000 common drugs, not
 * every product); picking fills the RxNorm code, and typing again drops it.
 */

const searchOptions = { placeholderData: keepPreviousData, meta: { silentErrors: true } };

export interface DrugValue {
  drugName: string;
  rxcui: string | null;
}

export interface PickedDrug {
  rxcui: string;
  name: string;
  strength: string | null;
  doseForm: string;
}

interface DrugOption extends ComboboxOption {
  drug: PickedDrug;
}

/** A medication's name, coded from RxNorm when picked (codes.rxnormSearch). */
export function DrugField({ value, onChange, onPick, errors }: { value: DrugValue; onChange: (value: DrugValue) => void; onPick?: (drug: PickedDrug) => void; errors?: string[] }) {
  const q = useDebouncedValue(value.drugName.trim(), 200);
  const enabled = value.rxcui === null && q.length >= 2;
  const search = trpc.codes.rxnormSearch.useQuery({ q, limit: 10 }, { ...searchOptions, enabled });
  const options: DrugOption[] = (enabled ? (search.data ?? []) : []).map((d) => ({
    key: d.rxcui,
    code: d.rxcui,
    label: d.name,
    detail: d.deaSchedule ? `Controlled: ${d.deaSchedule}` : null,
    drug: { rxcui: d.rxcui, name: d.name, strength: d.strength, doseForm: d.doseForm },
  }));
  return (
    <Combobox
      label="Drug"
      text={value.drugName}
      onTextChange={(drugName) => onChange({ drugName, rxcui: null })}
      options={options}
      onPick={(option) => {
        onChange({ drugName: option.drug.name, rxcui: option.drug.rxcui });
        onPick?.(option.drug);
      }}
      badge={value.rxcui ? `RxNorm ${value.rxcui}` : undefined}
      busy={enabled && search.isFetching}
      errors={errors}
      maxLength={200}
      hint={value.rxcui ? "Coded from RxNorm. Type again to change it." : "Type a drug (like amoxicillin 500) and choose from the list, or keep what you typed."}
    />
  );
}

export interface AllergenValue {
  substance: string;
  rxcui: string | null;
  drugClass: string | null;
}

interface AllergenOption extends ComboboxOption {
  allergen: { kind: "INGREDIENT" | "CLASS"; name: string; rxcui: string | null };
}

/** A drug allergy's substance: a class ("NSAIDs") or an ingredient, coded when picked (codes.allergenSearch). */
export function AllergenField({ value, onChange, errors }: { value: AllergenValue; onChange: (value: AllergenValue) => void; errors?: string[] }) {
  const q = useDebouncedValue(value.substance.trim(), 200);
  const coded = value.rxcui !== null || value.drugClass !== null;
  const enabled = !coded && q.length >= 2;
  const search = trpc.codes.allergenSearch.useQuery({ q, limit: 10 }, { ...searchOptions, enabled });
  const options: AllergenOption[] = (enabled ? (search.data ?? []) : []).map((a) => ({
    key: `${a.kind}:${a.name}`,
    label: a.kind === "CLASS" ? `${a.name} (class)` : a.name,
    detail: a.kind === "CLASS" ? `${a.members} drugs; covers every one of them` : null,
    allergen: a,
  }));
  return (
    <Combobox
      label="Substance"
      text={value.substance}
      onTextChange={(substance) => onChange({ substance, rxcui: null, drugClass: null })}
      options={options}
      onPick={({ allergen }) => onChange({ substance: allergen.name, rxcui: allergen.rxcui, drugClass: allergen.kind === "CLASS" ? allergen.name : null })}
      badge={value.drugClass ? "Drug class" : value.rxcui ? `RxNorm ${value.rxcui}` : undefined}
      errors={errors}
      maxLength={200}
      busy={enabled && search.isFetching}
      hint={
        value.drugClass
          ? "A class allergy: medications with any drug of the class are flagged."
          : "Type a drug or class (like penicillin, NSAIDs) and choose from the list, or keep what you typed."
      }
    />
  );
}

/** A route for the medication form from an RxNorm dose form ("Oral Tablet" → "oral"). */
export function routeOfDoseForm(doseForm: string): string | null {
  const form = doseForm.toLowerCase();
  const routes: [RegExp, string][] = [
    [/sublingual|buccal/, "sublingual"],
    [/oral|chewable/, "oral"],
    [/inhal/, "inhaled"],
    [/transdermal/, "transdermal"],
    [/nasal/, "intranasal"],
  ];
  // Injectables are left to the clinician: insulin goes under the skin, ceftriaxone into a muscle or vein.
  return routes.find(([pattern]) => pattern.test(form))?.[1] ?? null;
}
