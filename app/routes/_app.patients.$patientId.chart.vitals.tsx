import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useId } from "react";
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

/** How many sets the trends cover (the most recent; the server caps the window). */
const TREND_LIMIT = 500;

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
  const input = { patientId, limit: TREND_LIMIT };
  const query = trpc.charts.vitals.useQuery(input, { initialData: vitals, meta: { silentErrors: true } });
  useChartEvents(patientId, ["vitals"], () => void utils.charts.vitals.invalidate({ patientId }));
  const items = query.data.items;

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
      <VitalsTrends items={items} />
      <VitalsTable items={items} />
    </div>
  );
}
