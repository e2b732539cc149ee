import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { MedicationsSection } from "~/features/charts/medications-section";
import { toWire } from "~/features/charts/types";
import { patientIdParam } from "~/features/patients/guard.server";
import { callServer } from "~/lib/caller.server";
import type { ChartHandle } from "./_app.patients.$patientId.chart";

export { RouteErrorBoundary as ErrorBoundary };

export const handle: ChartHandle = { chartSection: "medications" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const patientId = patientIdParam(params.patientId);
  const medications = await callServer(request, () => context.caller.charts.medications({ patientId, includeInactive: true }));
  return { patientId, medications: toWire(medications) };
}

export default function MedicationsPage() {
  const { patientId, medications } = useLoaderData<typeof loader>();
  return <MedicationsSection key={patientId} patientId={patientId} initial={medications} />;
}
