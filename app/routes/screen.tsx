import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useEffect } from "react";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { StandaloneErrorBoundary } from "~/components/error-page";
import { OfflineNotice } from "~/features/scheduling/offline-banner";
import { PublicScreen } from "~/features/scheduling/public-screen";
import { pairedScreenPage, unpairedScreenPage } from "~/features/scheduling/screen.server";
import { useScreenLive } from "~/features/scheduling/screen-live";
import { toWire, type PublicBoardRow } from "~/features/scheduling/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.paired ? `${data.locationName} waiting room` : "Waiting-room screen" }];

/**
 * The waiting-room screen on a paired TV: no person signed in, only the screen's own cookie
 * (server/modules/scheduling/screens.ts), which shows tickets and initials for one location.
 * Unpaired, it shows the code that pairs it from a staff computer, and checks every few seconds.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const screen = await context.screen();
  if (!screen) {
    const { code, headers } = await unpairedScreenPage(request, context.clientIp);
    return data({ paired: false as const, code }, { headers });
  }
  const { view, headers } = await pairedScreenPage(request, screen);
  return data({ paired: true as const, locationName: view.locationName, timeZone: view.timeZone, rows: toWire<PublicBoardRow[]>(view.rows) }, { headers });
}

export default function Screen() {
  const page = useLoaderData<typeof loader>();
  return page.paired ? <PairedScreen locationName={page.locationName} timeZone={page.timeZone} rows={page.rows} /> : <NotPaired code={page.code} />;
}

function PairedScreen({ locationName, timeZone, rows }: { locationName: string; timeZone: string; rows: PublicBoardRow[] }) {
  const { revalidate } = useRevalidator();
  const { offline } = useScreenLive(revalidate);
  return <PublicScreen locationName={locationName} timeZone={timeZone} rows={rows} status={<OfflineNotice offline={offline} what="This screen" large />} />;
}

/** How often an unpaired screen asks whether it has been paired (by code, from a staff computer). */
const PAIRED_YET_MS = 3_000;

function NotPaired({ code }: { code: string | null }) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    const timer = window.setInterval(() => state === "idle" && revalidate(), PAIRED_YET_MS);
    return () => window.clearInterval(timer);
  }, [revalidate, state]);
  return (
    <main className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center gap-6 px-6 text-ink">
      <h1 className="text-3xl font-semibold">This screen is not paired</h1>
      {code ? (
        <section aria-label="Pairing code" className="space-y-2">
          <p className="text-lg">On a staff computer, open the waiting room of the location, then <strong>Open public screen → Screens → Pair a screen by code</strong>, and type:</p>
          <p className="font-mono text-6xl font-bold tracking-widest text-brand-700" data-testid="pairing-code">
            {code}
          </p>
          <p className="text-sm text-ink-muted">The code changes every 10 minutes. This page shows the waiting room as soon as it is paired.</p>
        </section>
      ) : (
        <p className="text-lg">Pairing by code is unavailable right now.</p>
      )}
      <p>
        Or sign in here and pair this browser from the location's screen page (you are signed out as soon as it is paired):{" "}
        <Link to="/login?callbackUrl=/board" className="font-medium text-brand-700 hover:underline">
          Sign in to pair this screen
        </Link>
      </p>
    </main>
  );
}

export { StandaloneErrorBoundary as ErrorBoundary };
