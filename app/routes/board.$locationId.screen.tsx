import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { pairScreenInput } from "../../server/modules/scheduling/schemas.ts";
import { can } from "../../server/permissions/registry.ts";
import { StandaloneErrorBoundary } from "~/components/error-page";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { FormShell } from "~/components/ui/form-shell";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { locationIdParam } from "~/features/scheduling/guard.server";
import { useAppointmentEvents } from "~/features/scheduling/live";
import { OfflineBanner } from "~/features/scheduling/offline-banner";
import { PublicScreen } from "~/features/scheduling/public-screen";
import { pairedHeaders } from "~/features/scheduling/screen.server";
import { toWire, type PublicBoardRow } from "~/features/scheduling/types";
import { callServer, requireSession } from "~/lib/caller.server";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { closeSocket } from "~/lib/socket";
import { useSessionEndRedirect } from "~/lib/use-live-event";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.locationName} waiting-room screen` : "Waiting-room screen" }];

/**
 * Staff page for a location's waiting-room screen: a live preview of what patients see (tickets and
 * initials only), pairing THIS browser as the screen (on the TV: the staff session here ends and the
 * browser keeps only the screen's credential, then shows /screen), and the paired screens with
 * unpairing. Outside the signed-in layout, so the preview can fill the display.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const locationId = locationIdParam(params.locationId);
  const [rows, locations, screens] = await callServer(request, () =>
    Promise.all([context.caller.scheduling.publicBoard({ locationId }), context.caller.scheduling.locations(), context.caller.scheduling.screens({ locationId })]),
  );
  const location = locations.find((l) => l.id === locationId);
  if (!location) throw data({ message: "Location was not found." }, { status: 404 });
  return {
    locationId,
    locationName: location.name,
    timeZone: location.timeZone,
    rows: toWire<PublicBoardRow[]>(rows),
    screens,
    canPair: can(session.user.role, "schedule:write"),
    sessionId: session.sessionId,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireSession(context, request);
  // The session cookie is SameSite=Lax, so another site's form cannot post here signed in; an
  // Origin from elsewhere is refused anyway, since this page changes who this browser is.
  const origin = request.headers.get("origin");
  if (origin && new URL(origin).host !== new URL(request.url).host) throw data({ message: "This form must be sent from Carelane itself." }, { status: 403 });
  const locationId = locationIdParam(params.locationId);
  const form = await request.formData();
  if (form.get("intent") === "unpair") {
    await callServer(request, () => context.caller.scheduling.revokeScreen({ screenId: String(form.get("screenId") ?? "") }));
    return { ok: true as const };
  }
  // Checked here as well as in the procedure, so a bad name comes back to the form by its field.
  const parsed = pairScreenInput.safeParse({ locationId, name: form.get("name") });
  if (!parsed.success) return { ok: false as const, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const { token } = await callServer(request, () => context.caller.scheduling.pairScreen(parsed.data));
  throw redirect("/screen", { headers: pairedHeaders(token) });
}

export default function WaitingRoomScreenSetup() {
  const { locationId, locationName, timeZone, rows, screens, canPair, sessionId } = useLoaderData<typeof loader>();
  useSessionEndRedirect(sessionId);
  const utils = trpc.useUtils();
  const input = { locationId };
  const board = trpc.scheduling.publicBoard.useQuery(input, { initialData: rows, meta: { silentErrors: true } });
  useAppointmentEvents([`location:${locationId}`], () => void utils.scheduling.publicBoard.invalidate(input));

  return (
    <div className="min-h-screen bg-brand-900">
      <ScreenSetup locationId={locationId} locationName={locationName} screens={screens} canPair={canPair} />
      <PublicScreen
        key={locationId}
        locationName={locationName}
        timeZone={timeZone}
        rows={board.data}
        status={
          <>
            <OfflineBanner what="This screen" large />
            {board.isError ? (
              <Notice tone="danger" role="alert" title="This screen could not be refreshed." className="text-xl">
                {errorMessageOf(board.error)}
              </Notice>
            ) : null}
          </>
        }
      />
    </div>
  );
}

type ScreenRow = ReturnType<typeof useLoaderData<typeof loader>>["screens"][number];

/** Pairs a TV that shows a code on its unpaired /screen page: typed here, on a staff computer. */
function PairByCode({ locationId, locationName }: { locationId: string; locationName: string }) {
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  const [code, setCode] = useState("");
  const [name, setName] = useState(`${locationName} waiting room`);
  const pair = trpc.scheduling.pairScreenByCode.useMutation({
    meta: { silentErrors: true },
    onSuccess: ({ screen }) => {
      toast({ tone: "success", title: `Paired: ${screen.name}`, description: "The screen shows the waiting room within a few seconds." });
      setCode("");
      revalidate();
    },
  });
  const errors = fieldErrorsOf(pair.error);
  return (
    <FormShell label="Pair a screen by code" submitLabel="Pair the screen" pending={pair.isPending} error={pair.error} onSubmit={() => pair.mutate({ locationId, code, name })}>
      <p className="text-sm">A TV that is not paired shows a code on its screen page (/screen). Only pair a screen you can see in front of you.</p>
      <TextField label="Pairing code" value={code} onChange={(e) => setCode(e.target.value)} placeholder="ABCD-EFGH" autoComplete="off" spellCheck={false} maxLength={20} errors={errors.code} />
      <TextField label="Name of that screen" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} errors={errors.name} />
    </FormShell>
  );
}

function ScreenSetup({ locationId, locationName, screens, canPair }: { locationId: string; locationName: string; screens: ScreenRow[]; canPair: boolean }) {
  const [open, setOpen] = useState(false);
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const paired = screens.filter((s) => !s.revokedAt);
  return (
    <section aria-label="Screen setup" className="border-b border-brand-700 bg-white px-6 py-3 text-ink">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm">
          <strong>Preview</strong> of the waiting-room screen. {paired.length === 1 ? "1 screen is" : `${paired.length} screens are`} paired to {locationName}.{" "}
          <Link to="/board" className="text-brand-700 hover:underline">
            Back to the board
          </Link>
        </p>
        <Button size="sm" variant="secondary" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? "Close" : "Screens"}
        </Button>
      </div>
      {open ? (
        <div className="mt-3 grid gap-4 md:grid-cols-2">
          {canPair ? <PairByCode locationId={locationId} locationName={locationName} /> : null}
          {canPair ? (
            // Pairing ends this browser's staff session and the server drops its connection: close it
            // first, on purpose, so that is not taken for an expiry that sends us to the sign-in page.
            <Form method="post" aria-label="Pair this browser" className="space-y-2" onSubmit={() => closeSocket()}>
              <p className="text-sm">
                On the TV in the waiting room, pair <em>this</em> browser as the screen. You are signed out here at once; the screen then shows ticket numbers and initials until it is unpaired.
              </p>
              <TextField label="Screen name" name="name" defaultValue={`${locationName} waiting room`} maxLength={80} errors={result && !result.ok ? result.fieldErrors.name : undefined} />
              <Button type="submit" name="intent" value="pair" disabled={busy}>
                Pair this browser as the screen
              </Button>
            </Form>
          ) : null}
          <div>
            <h2 className="text-sm font-semibold">Paired screens</h2>
            {screens.length ? (
              <ul className="mt-2 divide-y divide-line text-sm" aria-label="Paired screens">
                {screens.map((s) => (
                  <li key={s.id} className="flex items-center justify-between gap-2 py-2">
                    <span>
                      <span className="font-medium">{s.name}</span>{" "}
                      <span className="text-ink-muted">
                        {s.revokedAt ? (
                          <>
                            unpaired <Time value={s.revokedAt} />
                          </>
                        ) : (
                          <>
                            paired by {s.pairedBy ?? "—"}, last seen <Time value={s.lastSeenAt} />
                          </>
                        )}
                      </span>
                    </span>
                    {canPair && !s.revokedAt ? (
                      <Form method="post">
                        <input type="hidden" name="screenId" value={s.id} />
                        <Button type="submit" size="sm" variant="ghost" name="intent" value="unpair" disabled={busy} aria-label={`Unpair ${s.name}`}>
                          Unpair
                        </Button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm text-ink-muted">No screen has been paired yet.</p>
            )}
          </div>
        </div>
      ) : null}
    </section>
  );
}

export { StandaloneErrorBoundary as ErrorBoundary };
