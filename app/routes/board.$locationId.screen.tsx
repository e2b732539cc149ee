import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { describeRouteError, ErrorPage } from "~/components/error-page";
import { locationIdParam } from "~/features/scheduling/guard.server";
import { PublicScreen } from "~/features/scheduling/public-screen";
import { toWire, type PublicBoardRow } from "~/features/scheduling/types";
import { callServer, requireSession } from "~/lib/caller.server";
import { useSessionEndRedirect } from "~/lib/use-live-event";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.locationName} waiting room` : "Waiting room" }];

/**
 * The waiting-room screen, full screen and outside the signed-in layout (no menu, no staff name).
 * It still needs a signed-in session with schedule:read. Nothing here names a patient: the loader
 * returns only `scheduling.publicBoard` rows (ticket, initials, status, room) and the location.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const locationId = locationIdParam(params.locationId);
  const [rows, locations] = await callServer(request, () => Promise.all([context.caller.scheduling.publicBoard({ locationId }), context.caller.scheduling.locations()]));
  const location = locations.find((l) => l.id === locationId);
  if (!location) throw data({ message: "Location was not found." }, { status: 404 });
  return { locationId, locationName: location.name, timeZone: location.timeZone, rows: toWire<PublicBoardRow[]>(rows), sessionId: session.sessionId };
}

export default function WaitingRoomScreen() {
  const { locationId, locationName, timeZone, rows, sessionId } = useLoaderData<typeof loader>();
  useSessionEndRedirect(sessionId);
  return <PublicScreen key={locationId} locationId={locationId} locationName={locationName} timeZone={timeZone} initialRows={rows} />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <main className="px-4">
      <ErrorPage {...describeRouteError(error)} />
    </main>
  );
}
