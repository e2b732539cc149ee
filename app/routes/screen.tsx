import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator, useRouteError } from "@remix-run/react";
import { describeRouteError, ErrorPage } from "~/components/error-page";
import { OfflineNotice } from "~/features/scheduling/offline-banner";
import { PublicScreen } from "~/features/scheduling/public-screen";
import { pairedScreenPage } from "~/features/scheduling/screen.server";
import { useScreenLive } from "~/features/scheduling/screen-live";
import { toWire, type PublicBoardRow } from "~/features/scheduling/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.paired ? `${data.locationName} waiting room` : "Waiting-room screen" }];

/**
 * The waiting-room screen on a paired TV: no person signed in, only the screen's own cookie
 * (server/modules/scheduling/screens.ts), which shows tickets and initials for one location.
 * Unpaired, it says how to pair it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const screen = await context.screen();
  if (!screen) return data({ paired: false as const });
  const { view, headers } = await pairedScreenPage(request, screen);
  return data({ paired: true as const, locationName: view.locationName, timeZone: view.timeZone, rows: toWire<PublicBoardRow[]>(view.rows) }, { headers });
}

export default function Screen() {
  const page = useLoaderData<typeof loader>();
  return page.paired ? <PairedScreen locationName={page.locationName} timeZone={page.timeZone} rows={page.rows} /> : <NotPaired />;
}

function PairedScreen({ locationName, timeZone, rows }: { locationName: string; timeZone: string; rows: PublicBoardRow[] }) {
  const { revalidate } = useRevalidator();
  const { offline } = useScreenLive(revalidate);
  return <PublicScreen locationName={locationName} timeZone={timeZone} rows={rows} status={<OfflineNotice offline={offline} what="This screen" large />} />;
}

function NotPaired() {
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-4 px-6 text-ink">
      <h1 className="text-3xl font-semibold">This screen is not paired</h1>
      <p className="text-lg">
        To show a waiting room here, a member of staff signs in on this device, opens the waiting-room board of the location and chooses <strong>Pair this browser as the screen</strong>. Signing in
        here ends as soon as it is paired: the screen shows ticket numbers and initials only.
      </p>
      <p>
        <Link to="/login?callbackUrl=/board" className="font-medium text-brand-700 hover:underline">
          Sign in to pair this screen
        </Link>
      </p>
    </main>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <main className="px-4">
      <ErrorPage {...describeRouteError(error)} />
    </main>
  );
}
