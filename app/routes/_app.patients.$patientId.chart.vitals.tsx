import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useId, useState } from "react";
import { Button } from "~/components/ui/button";
import { RouteErrorBoundary } from "~/components/error-page";
import { useChartEvents } from "~/features/charts/live";
import { toWire } from "~/features/charts/types";
import { VitalsForm } from "~/features/charts/vitals-form";
import { VitalsTable, VitalsTrends } from "~/features/charts/vitals-trends";
import { patientIdParam } from "~/features/patients/guard.server";
import { useCan } from "~/features/patients/use-can";
import { callServer } from "~/lib/caller.server";
import { trpc } from "~/lib/trpc";
import type { ChartHandle } from "./_app.patients.$patientId.chart";

export { RouteErrorBoundary as ErrorBoundary };

export const handle: ChartHandle = { chartSection: "vitals" };

/**
 * How many sets the page loads: the most recent 200 (years of visits for most patients) render
 * with the page; the longer history loads on request.
 */
const TREND_LIMIT = 200;
const HISTORY_LIMIT = 2_000;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const patientId = patientIdParam(params.patientId);
  const vitals = await callServer(request, () => context.caller.charts.vitals({ patientId, limit: TREND_LIMIT }));
  return { patientId, vitals: toWire(vitals) };
}

export default function VitalsPage() {
  const { patientId, vitals } = useLoaderData<typeof loader>();
  const canWrite = useCan("chart:write");
  const utils = trpc.useUtils();
  const formId = useId();
  const [longer, setLonger] = useState(false);
  const recent = trpc.charts.vitals.useQuery({ patientId, limit: TREND_LIMIT }, { initialData: vitals, meta: { silentErrors: true } });
  const history = trpc.charts.vitals.useQuery({ patientId, limit: HISTORY_LIMIT }, { enabled: longer, meta: { silentErrors: true } });
  // Invalidates both windows (a partial match on the input).
  useChartEvents(patientId, ["vitals"], () => void utils.charts.vitals.invalidate({ patientId }));
  const items = longer && history.data ? history.data.items : recent.data.items;
  const mayHaveMore = recent.data.items.length >= TREND_LIMIT;

  return (
    <div key={patientId} className="space-y-6">
      {canWrite ? (
        <section aria-labelledby={formId} className="rounded-lg border border-surface-border bg-surface px-5 py-4 shadow-card">
          <h2 id={formId} className="mb-3 text-base font-semibold text-ink">
            Record vitals
          </h2>
          <VitalsForm patientId={patientId} />
        </section>
      ) : null}
      {mayHaveMore ? (
        <div className="flex items-center gap-3 text-sm text-ink-muted">
          <span>{longer && history.data ? `Showing all ${items.length} sets of vitals.` : `Showing the latest ${TREND_LIMIT} sets of vitals.`}</span>
          {!longer || !history.data ? (
            <Button size="sm" variant="secondary" disabled={longer && history.isFetching} onClick={() => setLonger(true)}>
              {longer ? "Loading…" : "Show the whole history"}
            </Button>
          ) : null}
        </div>
      ) : null}
      <VitalsTrends items={items} />
      <VitalsTable items={items} />
    </div>
  );
}
