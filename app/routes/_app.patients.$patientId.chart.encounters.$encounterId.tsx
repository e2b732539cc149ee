import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { EncounterView } from "~/features/charts/encounter-view";
import { toWire } from "~/features/charts/types";
import { isUuid, patientIdParam } from "~/features/patients/guard.server";
import { callServer } from "~/lib/caller.server";
import type { ChartHandle } from "./_app.patients.$patientId.chart";

export { RouteErrorBoundary as ErrorBoundary };

export const handle: ChartHandle = { chartSection: "encounter" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const patientId = patientIdParam(params.patientId);
  const encounterId = params.encounterId;
  if (!isUuid(encounterId)) throw data({ message: "Encounter was not found." }, { status: 404 });
  const detail = await callServer(request, () => context.caller.charts.encounter({ encounterId }));
  // An encounter is only shown under its own patient (a merged record's encounters show under the survivor).
  if (detail.encounter.patientId !== patientId && !(await isMergedInto(context, request, detail.encounter.patientId, patientId))) {
    throw data({ message: "Encounter was not found." }, { status: 404 });
  }
  return { patientId, detail: toWire(detail) };
}

async function isMergedInto(context: LoaderFunctionArgs["context"], request: Request, from: string, into: string): Promise<boolean> {
  const record = await callServer(request, () => context.caller.patients.get({ id: from })).catch(() => null);
  return record?.mergedInto?.id === into;
}

export default function EncounterPage() {
  const { patientId, detail } = useLoaderData<typeof loader>();
  return <EncounterView key={detail.encounter.id} patientId={patientId} initial={detail} />;
}
