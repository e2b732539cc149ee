import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { can } from "../../server/permissions/registry.ts";
import { RouteErrorBoundary } from "~/components/error-page";
import { DemographicsSection } from "~/features/patients/demographics-section";
import { isUuid, patientIdParam } from "~/features/patients/guard.server";
import { HistorySection } from "~/features/patients/history-section";
import { MergedIntoHereNotice, RecordActions, TombstoneNotice, type MergeSummary } from "~/features/patients/record-actions";
import { toClient } from "~/features/patients/to-client";
import type { CareProvider, History, Patient } from "~/features/patients/types";
import { useCan } from "~/features/patients/use-can";
import { PatientAppointments } from "~/features/scheduling/patient-appointments";
import { callServer, requireSession } from "~/lib/caller.server";

export { RouteErrorBoundary as ErrorBoundary };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const id = patientIdParam(params.patientId);
  const role = session.user.role;
  const patient = await callServer(request, () => context.caller.patients.get({ id }));
  const mergedFromId = new URL(request.url).searchParams.get("mergedFrom");

  const [history, providers, mergedFrom] = await Promise.all([
    // A tombstone's history moved to the survivor (the server refuses to read it here).
    can(role, "history:read") && patient.status !== "MERGED" ? callServer(request, () => context.caller.patients.history.get({ patientId: id })) : null,
    can(role, "patient:write") ? callServer(request, () => context.caller.patients.careProviders()) : [],
    // Arrived here from a merged record: say which, while that merge stands.
    isUuid(mergedFromId) && mergedFromId !== id
      ? context.caller.patients.get({ id: mergedFromId }).then(
          (from): MergeSummary | null => (from.mergedInto?.id === id ? { mergedId: from.id, mergedMrn: from.mrn } : null),
          () => null,
        )
      : null,
  ]);

  return {
    patient: toClient<Patient>(patient),
    history: history ? toClient<History>(history) : null,
    providers: providers as CareProvider[],
    mergedFrom,
  };
}

export default function PatientOverview() {
  const { patient, history, providers, mergedFrom } = useLoaderData<typeof loader>();
  const canEdit = useCan("patient:write");
  const canSeeAppointments = useCan("schedule:read");
  // A merge done on this page, until undone or the page is left.
  const [merged, setMerged] = useState<{ into: string; merge: MergeSummary } | null>(null);
  const justMerged = merged?.into === patient.id ? merged.merge : null;
  const setJustMerged = (merge: MergeSummary | null) => setMerged(merge ? { into: patient.id, merge } : null);

  // Keyed by patient: moving to another patient's page starts every form afresh.
  return (
    <div key={patient.id} className="space-y-6">
      {patient.status === "MERGED" ? <TombstoneNotice patient={patient} /> : null}
      {justMerged ? <MergedIntoHereNotice merge={justMerged} justNow onDone={() => setJustMerged(null)} /> : null}
      {mergedFrom && mergedFrom.mergedId !== justMerged?.mergedId ? <MergedIntoHereNotice merge={mergedFrom} justNow={false} /> : null}

      <RecordActions patient={patient} onMerged={setJustMerged} />
      <DemographicsSection patient={patient} providers={providers} canEdit={canEdit} />
      {history ? <HistorySection history={history} /> : null}
      {canSeeAppointments && patient.status !== "MERGED" ? <PatientAppointments patientId={patient.id} /> : null}
    </div>
  );
}
