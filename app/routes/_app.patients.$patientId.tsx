import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData, useRevalidator } from "@remix-run/react";
import { can } from "../../server/permissions/registry.ts";
import { RouteErrorBoundary } from "~/components/error-page";
import { patientIdParam } from "~/features/patients/guard.server";
import { PatientBanner } from "~/features/patients/patient-banner";
import { useCan } from "~/features/patients/use-can";
import { callServer, requireSession } from "~/lib/caller.server";
import { useLiveEvent } from "~/lib/use-live-event";

// No name in the title: it shows in tab lists, history menus and screen shares.
export const meta: MetaFunction = () => [{ title: "Patient · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

/**
 * Every page about one patient sits under this layout: the banner on top, kept current by live
 * events. A merged (tombstone) record sends people to the record it was merged into; only those
 * who may undo merges can look at the tombstone itself (?view=merged).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const id = patientIdParam(params.patientId);
  const banner = await callServer(request, () => context.caller.patients.banner({ id }));
  if (banner.status === "MERGED") {
    const viewTombstone = new URL(request.url).searchParams.get("view") === "merged" && can(session.user.role, "patient:merge");
    if (!viewTombstone) {
      const record = await callServer(request, () => context.caller.patients.get({ id }));
      if (record.mergedInto) throw redirect(`/patients/${record.mergedInto.id}?mergedFrom=${id}`);
    }
  }
  return { banner };
}

export default function PatientLayout() {
  const { banner } = useLoaderData<typeof loader>();
  const { revalidate } = useRevalidator();

  // Someone else saved (or this tab reconnected): reload what the pages show. Forms being edited
  // keep their input; the page compares versions and says who changed the record.
  useLiveEvent({
    rooms: [`patient:${banner.id}`],
    // The banner's allergies come from the chart.
    events: ["patients.patient.updated", "patients.history.changed", "charts.allergies.changed"],
    onEvent: () => revalidate(),
  });

  return (
    <div className="space-y-6">
      <Link to="/patients" className="inline-block text-sm font-medium text-brand-700 hover:underline">
        ← Patients
      </Link>
      <PatientBanner banner={banner} />
      <PatientTabs patientId={banner.id} />
      <Outlet />
    </div>
  );
}

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `inline-block border-b-2 px-3 py-2 text-sm font-medium ${isActive ? "border-brand-600 text-brand-700" : "border-transparent text-ink-muted hover:border-surface-border hover:text-ink"}`;

/** The record and, for roles that may read clinical content, the chart (the server refuses the others). */
function PatientTabs({ patientId }: { patientId: string }) {
  const canChart = useCan("chart:read");
  if (!canChart) return null;
  return (
    <nav aria-label="Patient record" className="border-b border-surface-border">
      <ul className="-mb-px flex gap-1">
        <li>
          <NavLink to={`/patients/${patientId}`} end className={tabClass}>
            Overview
          </NavLink>
        </li>
        <li>
          <NavLink to={`/patients/${patientId}/chart`} prefetch="intent" className={tabClass}>
            Chart
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
