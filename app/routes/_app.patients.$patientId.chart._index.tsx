import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { EncounterTimeline, OpenEncounterPanel } from "~/features/charts/timeline";
import { toWire } from "~/features/charts/types";
import { useCan } from "~/features/patients/use-can";
import { patientIdParam } from "~/features/patients/guard.server";
import { callServer } from "~/lib/caller.server";
import type { ChartHandle } from "./_app.patients.$patientId.chart";

export { RouteErrorBoundary as ErrorBoundary };

export const handle: ChartHandle = { chartSection: "summary" };

/** The chart's first page: the encounter timeline (newest 20; older ones page in). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const patientId = patientIdParam(params.patientId);
  const timeline = await callServer(request, () => context.caller.charts.timeline({ patientId, limit: 20 }));
  return { patientId, timeline: toWire(timeline) };
}

export default function ChartSummaryPage() {
  const { patientId, timeline } = useLoaderData<typeof loader>();
  const canWrite = useCan("chart:write");
  const base = `/patients/${patientId}/chart`;
  return (
    <div key={patientId} className="space-y-4">
      {canWrite ? <OpenEncounterPanel patientId={patientId} base={base} /> : null}
      <EncounterTimeline patientId={patientId} first={timeline} base={base} />
    </div>
  );
}
