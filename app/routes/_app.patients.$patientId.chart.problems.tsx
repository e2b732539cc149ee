import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { ProblemsSection } from "~/features/charts/problems-section";
import { toWire } from "~/features/charts/types";
import { patientIdParam } from "~/features/patients/guard.server";
import { callServer } from "~/lib/caller.server";
import type { ChartHandle } from "./_app.patients.$patientId.chart";

export { RouteErrorBoundary as ErrorBoundary };

export const handle: ChartHandle = { chartSection: "problems" };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const patientId = patientIdParam(params.patientId);
  const problems = await callServer(request, () => context.caller.charts.problems({ patientId, includeInactive: true }));
  return { patientId, problems: toWire(problems) };
}

export default function ProblemsPage() {
  const { patientId, problems } = useLoaderData<typeof loader>();
  return <ProblemsSection key={patientId} patientId={patientId} initial={problems} />;
}
