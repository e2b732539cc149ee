import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRevalidator } from "@remix-run/react";
import { can } from "../../server/permissions/registry.ts";
import { RouteErrorBoundary } from "~/components/error-page";
import { patientIdParam } from "~/features/patients/guard.server";
import { PatientBanner } from "~/features/patients/patient-banner";
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
    events: ["patients.patient.updated", "patients.history.changed"],
    onEvent: () => revalidate(),
  });

  return (
    <div className="space-y-6">
      <Link to="/patients" className="inline-block text-sm font-medium text-brand-700 hover:underline">
        ← Patients
      </Link>
      <PatientBanner banner={banner} />
      <Outlet />
    </div>
  );
}
