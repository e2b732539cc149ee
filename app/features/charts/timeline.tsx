import { Link, useNavigate } from "@remix-run/react";
import { useId, useState } from "react";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { useAppData } from "~/lib/use-app-data";
import { ENCOUNTER_TYPE_LABEL, ENCOUNTER_TYPE_OPTIONS } from "./format";
import { useChartEvents } from "./live";
import type { Encounter, EncounterType, Timeline } from "./types";

const OPENABLE = new Set(["ARRIVED", "ROOMED", "IN_VISIT"]);

/** Every encounter, newest first, a page at a time; live as encounters are opened and signed. */
export function EncounterTimeline({ patientId, first, base }: { patientId: string; first: Timeline; base: string }) {
  const utils = trpc.useUtils();
  const headingId = useId();
  const query = trpc.charts.timeline.useInfiniteQuery(
    { patientId, limit: 20 },
    {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      initialData: { pages: [first], pageParams: [undefined] },
      meta: { silentErrors: true },
    },
  );
  useChartEvents(patientId, ["encounters", "note"], () => void utils.charts.timeline.invalidate({ patientId }));

  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="flex items-center justify-between border-b border-surface-border px-5 py-3">
        <h2 id={headingId} className="text-base font-semibold text-ink">
          Encounters
        </h2>
      </div>
      {query.isError ? (
        <Notice tone="danger" role="alert" className="m-4">
          {errorMessageOf(query.error)}
        </Notice>
      ) : null}
      {items.length ? (
        <ol className="divide-y divide-surface-border" aria-label="Encounter timeline">
          {items.map((e) => (
            <TimelineItem key={e.id} encounter={e} base={base} />
          ))}
        </ol>
      ) : (
        <p className="px-5 py-6 text-sm text-ink-subtle">No encounters yet.</p>
      )}
      {query.hasNextPage ? (
        <div className="border-t border-surface-border px-5 py-3">
          <Button variant="secondary" size="sm" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : "Show older encounters"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}

function TimelineItem({ encounter: e, base }: { encounter: Encounter; base: string }) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 px-5 py-3">
      <div className="min-w-0">
        <Link to={`${base}/encounters/${e.id}`} className="font-medium text-brand-700 hover:underline">
          {ENCOUNTER_TYPE_LABEL[e.type]}
          {e.reasonForVisit ? <span className="text-ink">: {e.reasonForVisit}</span> : null}
        </Link>
        <p className="mt-0.5 text-sm text-ink-muted">
          <Time value={e.startedAt} /> · {e.provider.name}
          {e.location ? ` · ${e.location.name}` : ""}
        </p>
      </div>
      {e.status === "SIGNED" ? (
        <Badge tone="ok">
          Signed{e.signedBy ? ` by ${e.signedBy.name}` : ""}
        </Badge>
      ) : (
        <Badge tone="brand">Open</Badge>
      )}
    </li>
  );
}

/**
 * Starting an encounter: from one of today's appointments where the patient has arrived (the
 * appointment brings provider, location and type), or ad hoc (a phone call, a walk-in).
 */
export function OpenEncounterPanel({ patientId, base }: { patientId: string; base: string }) {
  const { me } = useAppData();
  const navigate = useNavigate();
  const { toast } = useToast();
  const utils = trpc.useUtils();
  const headingId = useId();
  const [adHoc, setAdHoc] = useState(false);

  const appointments = trpc.scheduling.patientAppointments.useQuery({ patientId }, { meta: { silentErrors: true } });
  const providers = trpc.scheduling.providers.useQuery(undefined, { enabled: adHoc, meta: { silentErrors: true } });
  const openable = (appointments.data?.appointments ?? []).filter((a) => OPENABLE.has(a.status));

  const mine = providers.data?.find((p) => p.userId === me.user.id);
  const [providerId, setProviderId] = useState("");
  const [type, setType] = useState<EncounterType>("OFFICE_VISIT");
  const [reason, setReason] = useState("");

  const open = trpc.charts.openEncounter.useMutation({
    meta: { silentErrors: true },
    onSuccess: ({ encounter, created }) => {
      toast({ tone: "success", title: created ? "Encounter opened" : "This visit already has an encounter; opening it" });
      void utils.charts.timeline.invalidate({ patientId });
      navigate(`${base}/encounters/${encounter.id}`);
    },
  });
  const errors = fieldErrorsOf(open.error);
  const chosenProvider = providerId || mine?.id || providers.data?.[0]?.id || "";

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-surface-border bg-surface px-5 py-4 shadow-card">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id={headingId} className="text-base font-semibold text-ink">
          Start an encounter
        </h2>
        <Button variant={adHoc ? "ghost" : "secondary"} size="sm" aria-expanded={adHoc} onClick={() => setAdHoc((v) => !v)}>
          {adHoc ? "Close" : "Ad hoc encounter"}
        </Button>
      </div>

      {openable.length ? (
        <ul className="space-y-2" aria-label="Visits in progress">
          {openable.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-surface-border px-3 py-2 text-sm">
              <span>
                <span className="font-medium">{a.appointmentType.name}</span> with {a.provider.name} · <Time value={a.start} />
                {a.room ? ` · ${a.room}` : ""}
              </span>
              <Button size="sm" disabled={open.isPending} onClick={() => open.mutate({ appointmentId: a.id })}>
                Open encounter<span className="sr-only"> for the {a.appointmentType.name} visit</span>
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-ink-muted">{appointments.isPending ? "Looking for today's visit…" : "No visit in progress for this patient."}</p>
      )}

      {adHoc ? (
        <form
          aria-label="Ad hoc encounter"
          noValidate
          className="grid gap-3 border-t border-surface-border pt-3 sm:grid-cols-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!open.isPending) open.mutate({ patientId, providerId: chosenProvider, type, reasonForVisit: reason });
          }}
        >
          <SelectField
            label="Provider"
            value={chosenProvider}
            onChange={(e) => setProviderId(e.target.value)}
            errors={errors.providerId}
            options={(providers.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
          <SelectField label="Encounter type" value={type} onChange={(e) => setType(e.target.value as EncounterType)} errors={errors.type} options={ENCOUNTER_TYPE_OPTIONS} />
          <TextField label="Reason for visit" value={reason} onChange={(e) => setReason(e.target.value)} errors={errors.reasonForVisit} maxLength={500} />
          <div className="sm:col-span-3">
            <Button type="submit" size="sm" disabled={open.isPending || !chosenProvider}>
              {open.isPending ? "Opening…" : "Open encounter"}
            </Button>
          </div>
        </form>
      ) : null}

      {open.error && !Object.keys(errors).length ? (
        <Notice tone="danger" role="alert">
          {errorMessageOf(open.error)}
        </Notice>
      ) : null}
    </section>
  );
}
