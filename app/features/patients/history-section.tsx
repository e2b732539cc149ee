import { useId } from "react";
import { ConditionsCard } from "./history/conditions";
import { FamilyHistoryCard } from "./history/family-history";
import { SocialHistoryCard } from "./history/social-history";
import { SurgeriesCard } from "./history/surgeries";
import type { History } from "./types";
import { useCan } from "./use-can";

/**
 * The patient's medical history. Items are added, edited in place and removed by those who may
 * write history; the page reloads it on every `patients.history.changed` event (the patient
 * layout's useLiveEvent), and open edit forms say when someone else changed their item.
 */
export function HistorySection({ history }: { history: History }) {
  const canWrite = useCan("history:write");
  const canCodes = useCan("codes:read");
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="space-y-4">
      <h2 id={headingId} className="text-lg font-semibold text-ink">
        Medical history
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">
        <ConditionsCard patientId={history.patientId} items={history.conditions} canWrite={canWrite} canCodes={canCodes} />
        <SurgeriesCard patientId={history.patientId} items={history.surgeries} canWrite={canWrite} />
        <FamilyHistoryCard patientId={history.patientId} items={history.familyHistory} canWrite={canWrite} canCodes={canCodes} />
        <SocialHistoryCard patientId={history.patientId} social={history.socialHistory} canWrite={canWrite} />
      </div>
    </section>
  );
}
