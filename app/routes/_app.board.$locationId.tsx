import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { locationIdParam } from "~/features/scheduling/guard.server";
import { toWire, type BoardRow } from "~/features/scheduling/types";
import { useCan } from "~/features/scheduling/use-can";
import { WaitingBoard } from "~/features/scheduling/waiting-board";
import { callServer } from "~/lib/caller.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Waiting room${data ? ` · ${data.location.name}` : ""} · Carelane` }];

export { RouteErrorBoundary as ErrorBoundary };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const locationId = locationIdParam(params.locationId);
  // board checks schedule:read and answers NOT_FOUND for another clinic's location.
  const [rows, locations] = await callServer(request, () => Promise.all([context.caller.scheduling.board({ locationId }), context.caller.scheduling.locations()]));
  const location = locations.find((l) => l.id === locationId);
  if (!location) throw data({ message: "Location was not found." }, { status: 404 });
  return { location, otherLocations: locations.filter((l) => l.id !== locationId).map(({ id, name }) => ({ id, name })), rows: toWire<BoardRow[]>(rows) };
}

export default function Board() {
  const { location, otherLocations, rows } = useLoaderData<typeof loader>();
  const canWrite = useCan("schedule:write");
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-ink">Waiting room · {location.name}</h1>
          <p className="mt-1 text-sm text-ink-muted">Today&apos;s checked-in patients, updated live. Waits turn amber after 15 minutes and red after 30.</p>
        </div>
        <nav aria-label="Board links" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Link to={`/board/${location.id}/screen`} target="_blank" rel="noreferrer" className="font-medium text-brand-700 hover:underline">
            Open public screen<span className="sr-only"> (new tab)</span>
          </Link>
          {otherLocations.map((l) => (
            <Link key={l.id} to={`/board/${l.id}`} className="text-brand-700 hover:underline">
              {l.name} board
            </Link>
          ))}
        </nav>
      </header>
      {/* A new location starts from its own loader data. */}
      <WaitingBoard key={location.id} location={location} initialRows={rows} canWrite={canWrite} />
    </div>
  );
}
