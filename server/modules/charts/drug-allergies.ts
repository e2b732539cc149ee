import type { AllergySeverity } from "../../generated/prisma/client.ts";
import type { Db } from "../../db.ts";

/**
 * Which of a patient's active drug allergies a medication runs into. Shown on the medication list
 * (and returned when one is added) so the clinician sees "allergy: NSAIDs" next to ibuprofen; it
 * never blocks recording what a patient takes. Prescribing will build its own refusal on this.
 *
 * Matching, deliberately simple and explainable:
 * - a coded drug (RxCUI in rxnorm_drug) has the ingredients RxNorm names ("ibuprofen",
 *   "oxycodone hydrochloride"); an uncoded one is matched on the words of its name;
 * - an allergen matches an ingredient when it is the ingredient, or the ingredient with a salt
 *   ("oxycodone" ~ "oxycodone hydrochloride");
 * - a class allergy ("NSAIDs", picked from drug_class_member, or typed as the class's name) matches
 *   each member ingredient of the class.
 */

export interface AllergyWarning {
  allergyId: string;
  /** what the allergy record names: "NSAIDs", "penicillin" */
  allergen: string;
  /** the medication's ingredient that matched: "ibuprofen" */
  ingredient: string;
  severity: AllergySeverity | null;
}

export interface DrugRef {
  drugName: string;
  rxcui: string | null;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

/** "oxycodone" names "oxycodone hydrochloride"; "aspirin" names "aspirin" — but "codeine" does not name "oxycodone". */
function names(allergen: string, ingredient: string): boolean {
  return ingredient === allergen || ingredient.startsWith(`${allergen} `) || allergen.startsWith(`${ingredient} `);
}

function inFreeText(allergen: string, drugName: string): boolean {
  const escaped = allergen.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^a-z0-9])${escaped}([^a-z0-9]|$)`).test(drugName);
}

/** Warnings for each drug (same order). One query for the allergies; two more only when needed. */
export async function drugAllergyWarnings(client: Db, patientIds: string[], drugs: DrugRef[]): Promise<AllergyWarning[][]> {
  const none = drugs.map(() => [] as AllergyWarning[]);
  if (drugs.length === 0) return none;
  const allergies = await client.allergy.findMany({
    where: { patientId: { in: patientIds }, status: "ACTIVE", category: "DRUG" },
    select: { id: true, substance: true, drugClass: true, severity: true },
  });
  if (allergies.length === 0) return none;

  const rxcuis = [...new Set(drugs.map((d) => d.rxcui).filter((r): r is string => r !== null))];
  const [coded, classRows] = await Promise.all([
    rxcuis.length ? client.rxnormDrug.findMany({ where: { rxcui: { in: rxcuis } }, select: { rxcui: true, ingredient: true } }) : [],
    client.drugClassMember.findMany({ select: { drugClass: true, ingredient: true } }),
  ]);
  const ingredientsOf = new Map(coded.map((d) => [d.rxcui, d.ingredient.split(" / ").map(norm)]));
  const members = new Map<string, string[]>();
  for (const row of classRows) members.set(norm(row.drugClass), [...(members.get(norm(row.drugClass)) ?? []), norm(row.ingredient)]);
  // A class typed rather than picked ("NSAID", "nsaids", "Opioid") still counts as the class.
  const classOf = (allergy: { substance: string; drugClass: string | null }) => {
    const key = norm(allergy.drugClass ?? allergy.substance);
    return members.get(key) ?? members.get(`${key}s`) ?? null;
  };

  return drugs.map((drug) => {
    const ingredients = drug.rxcui ? ingredientsOf.get(drug.rxcui) : undefined;
    const drugName = norm(drug.drugName);
    const warnings: AllergyWarning[] = [];
    for (const allergy of allergies) {
      const allergens = classOf(allergy) ?? [norm(allergy.substance)];
      const hit = ingredients
        ? ingredients.find((i) => allergens.some((a) => names(a, i)))
        : allergens.find((a) => inFreeText(a, drugName));
      if (hit) warnings.push({ allergyId: allergy.id, allergen: allergy.substance, ingredient: hit, severity: allergy.severity });
    }
    return warnings;
  });
}
