import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "../../../server/trpc/router.ts";
import type { RouterOutputs } from "~/lib/trpc";

/** What the browser's tRPC client sends and receives for patients (Dates arrive as ISO strings). */
type RouterInputs = inferRouterInputs<AppRouter>;

export type Patient = RouterOutputs["patients"]["get"];
export type PatientBanner = RouterOutputs["patients"]["banner"];
export type SearchHit = RouterOutputs["patients"]["search"]["items"][number];
export type DuplicateCandidate = RouterOutputs["patients"]["duplicates"][number];
export type CareProvider = RouterOutputs["patients"]["careProviders"][number];
export type History = RouterOutputs["patients"]["history"]["get"];
export type Condition = History["conditions"][number];
export type Surgery = History["surgeries"][number];
export type FamilyHistoryItem = History["familyHistory"][number];
export type SocialHistory = NonNullable<History["socialHistory"]>;

export type RegisterInput = RouterInputs["patients"]["register"];
export type UpdateInput = RouterInputs["patients"]["update"];
export type SearchInput = RouterInputs["patients"]["search"];

export type Sex = Patient["sex"];
export type MaritalStatus = NonNullable<Patient["maritalStatus"]>;
export type PatientStatus = Patient["status"];
export type IdentifierKind = Patient["identifiers"][number]["kind"];
export type TobaccoStatus = SocialHistory["tobaccoStatus"];
