import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { TemplatesAdmin } from "~/features/charts/templates-admin";
import { toWire } from "~/features/charts/types";
import { callServer } from "~/lib/caller.server";
import { useAppData } from "~/lib/use-app-data";

export const meta: MetaFunction = () => [{ title: "Note templates · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

/** The clinic's note templates; charts.allTemplates needs template:manage (others get the 403 page). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const templates = await callServer(request, () => context.caller.charts.allTemplates({ includeArchived: true }));
  return { templates: toWire(templates) };
}

export default function Templates() {
  const { templates } = useLoaderData<typeof loader>();
  const { me } = useAppData();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-ink">Note templates</h1>
        <p className="mt-1 text-sm text-ink-muted">
          The text a new note of {me.clinic.name} starts from. Each encounter type has one default; clinicians can apply any active template to a note that is not signed.
        </p>
      </header>
      <TemplatesAdmin clinicId={me.clinic.id} initial={templates} />
    </div>
  );
}
