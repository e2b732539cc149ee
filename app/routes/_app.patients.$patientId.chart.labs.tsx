import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { LabsSection } from "~/features/charts/labs-section";
import { toWire } from "~/features/charts/types";
import { patientIdParam } from "~/features/patients/guard.server";
import { callServer } from "~/lib/caller.server";
import type { ChartHandle } from "./_app.patients.$patientId.chart";

export { RouteErrorBoundary as ErrorBoundary };

export const handle: ChartHandle = { chartSection: "labs" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const patientId = patientIdParam(params.patientId);
  const labs = await callServer(request, () => context.caller.charts.labs({ patientId, limit: 100 }));
  return { patientId, labs: toWire(labs) };
}

export default function LabsPage() {
  const { patientId, labs } = useLoaderData<typeof loader>();
  return <LabsSection key={patientId} patientId={patientId} initial={labs} />;
}
