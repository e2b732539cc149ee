import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { AllergiesSection } from "~/features/charts/allergies-section";
import { toWire } from "~/features/charts/types";
import { patientIdParam } from "~/features/patients/guard.server";
import { callServer } from "~/lib/caller.server";
import type { ChartHandle } from "./_app.patients.$patientId.chart";

export { RouteErrorBoundary as ErrorBoundary };

export const handle: ChartHandle = { chartSection: "allergies" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const patientId = patientIdParam(params.patientId);
  const allergies = await callServer(request, () => context.caller.charts.allergies({ patientId, includeInactive: true }));
  return { patientId, allergies: toWire(allergies) };
}

export default function AllergiesPage() {
  const { patientId, allergies } = useLoaderData<typeof loader>();
  return <AllergiesSection key={patientId} patientId={patientId} initial={allergies} />;
}
