import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData, useMatches } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { ChartNav } from "~/features/charts/chart-nav";
import { ChartPresence } from "~/features/charts/presence";
import { ChartSummary } from "~/features/charts/chart-summary";
import { useChartEvents } from "~/features/charts/live";
import { toWire, type ChartSectionName } from "~/features/charts/types";
import { patientIdParam, requirePermission } from "~/features/patients/guard.server";
import { callServer } from "~/lib/caller.server";
import { trpc } from "~/lib/trpc";

export const meta: MetaFunction = () => [{ title: "Chart · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

/** Each chart page says which section it is (for the tabs and for presence). */
export interface ChartHandle {
  chartSection: ChartSectionName;
}

/**
 * The chart: its summary on top of every section. Only roles with chart:read get here (the
 * summary call refuses the others, audited; checking first spares them a database round trip).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "chart:read");
  const patientId = patientIdParam(params.patientId);
  const summary = await callServer(request, () => context.caller.charts.summary({ patientId }));
  return { patientId, summary: toWire(summary) };
}

export default function ChartLayout() {
  const { patientId, summary: loaded } = useLoaderData<typeof loader>();
  const utils = trpc.useUtils();
  const base = `/patients/${patientId}/chart`;

  const summaryQuery = trpc.charts.summary.useQuery({ patientId }, { initialData: loaded, meta: { silentErrors: true } });
  useChartEvents(patientId, ["vitals", "problems", "allergies", "medications", "labs"], () => void utils.charts.summary.invalidate({ patientId }));

  const matches = useMatches();
  const section = [...matches].reverse().map((m) => (m.handle as Partial<ChartHandle> | undefined)?.chartSection).find(Boolean) ?? "summary";

  return (
    <div className="space-y-4" data-chart-section={section}>
      <ChartSummary summary={summaryQuery.data} base={base} />
      <ChartNav base={base} section={section} aside={<ChartPresence patientId={patientId} section={section} />} />
      <Outlet />
    </div>
  );
}
