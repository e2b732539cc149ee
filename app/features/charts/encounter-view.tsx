import { useEffect, useId, useState } from "react";
import type { CollabSnapshot } from "~/lib/collab";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { conflictOf, ConflictPanel } from "~/components/ui/edit-conflict";
import { TextAreaField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { useCan } from "~/features/patients/use-can";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { ENCOUNTER_TYPE_LABEL, VITAL_LABEL, vitalText } from "./format";
import { useChartEvents } from "./live";
import { NOTE_EDITOR_FIELDS, NoteEditor } from "./note-editor";
import { TemplatePicker } from "./template-picker";
import type { Addendum, Encounter, EncounterType, Note, Vitals } from "./types";
import { VitalsEditor } from "./vitals-edit";
import { VitalsForm } from "./vitals-form";

type Detail = { encounter: Encounter; note: Note | null; addenda: Addendum[] };
type NoteField = (typeof NOTE_EDITOR_FIELDS)[number];
const FIELD_LABEL: Record<NoteField, string> = { subjective: "Subjective", objective: "Objective", assessment: "Assessment", plan: "Plan" };

/**
 * One encounter: what and when, its note (co-edited live by everyone on the page, with their
 * cursors), Save and Sign, and once signed the read-only note with its addenda. Beside it, the
 * vitals taken in this encounter and the form to record them.
 */
export function EncounterView({ patientId, initial }: { patientId: string; initial: Detail }) {
  const utils = trpc.useUtils();
  const encounterId = initial.encounter.id;
  const query = trpc.charts.encounter.useQuery({ encounterId }, { initialData: initial, meta: { silentErrors: true } });
  useChartEvents(patientId, ["note", "encounters"], () => void utils.charts.encounter.invalidate({ encounterId }));
  const { encounter, note, addenda } = query.data;
  const headingId = useId();

  return (
    <div className="space-y-4">
      <section aria-labelledby={headingId} className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-surface-border bg-surface px-5 py-4 shadow-card">
        <div>
          <h2 id={headingId} className="text-lg font-semibold text-ink">
            {ENCOUNTER_TYPE_LABEL[encounter.type]}
            {encounter.reasonForVisit ? <span className="font-normal">: {encounter.reasonForVisit}</span> : null}
          </h2>
          <p className="text-sm text-ink-muted">
            <Time value={encounter.startedAt} /> · {encounter.provider.name}
            {encounter.location ? ` · ${encounter.location.name}` : ""}
          </p>
        </div>
        {encounter.status === "SIGNED" ? (
          <Badge tone="ok">Signed</Badge>
        ) : (
          <Badge tone="brand">Open</Badge>
        )}
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          {note ? <NotePanel patientId={patientId} encounterId={encounterId} encounterType={encounter.type} note={note} addenda={addenda} /> : <Notice tone="warn">This encounter has no note.</Notice>}
        </div>
        <EncounterVitals patientId={patientId} encounterId={encounterId} open={encounter.status === "OPEN"} />
      </div>
    </div>
  );
}

function NotePanel({ patientId, encounterId, encounterType, note, addenda }: { patientId: string; encounterId: string; encounterType: EncounterType; note: Note; addenda: Addendum[] }) {
  const canWrite = useCan("chart:write");
  const canSign = useCan("chart:sign");
  const { toast } = useToast();
  const utils = trpc.useUtils();
  const signed = note.signedAt !== null;
  const [snapshot, setSnapshot] = useState<CollabSnapshot | null>(null);
  const [saveRequested, setSaveRequested] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [confirmSign, setConfirmSign] = useState(false);
  const [plain, setPlain] = useState(false);

  const pending = snapshot?.pending ?? 0;
  const live = snapshot?.status === "synced";
  const liveDown = snapshot?.status === "offline" || snapshot?.status === "denied";

  // Save in a live note: every keystroke is already on its way to the database; Save waits until
  // the server has stored all of this tab's changes and says so.
  useEffect(() => {
    if (!saveRequested || !live || pending > 0) return;
    setSaveRequested(false);
    setSavedAt(new Date());
    toast({ tone: "success", title: "Note saved" });
  }, [saveRequested, live, pending, toast]);

  const refresh = () => void utils.charts.encounter.invalidate({ encounterId });
  const sign = trpc.charts.signNote.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      setConfirmSign(false);
      toast({ tone: "success", title: `Note signed by ${saved.signedBy?.name ?? "you"}` });
      refresh();
      void utils.charts.timeline.invalidate({ patientId });
    },
    onError: () => refresh(),
  });

  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-surface-border bg-surface px-5 py-4 shadow-card">
        {plain && !signed ? (
          <PlainNoteForm note={note} onDone={() => setPlain(false)} onSaved={refresh} />
        ) : (
          <NoteEditor
            noteId={note.id}
            readOnly={signed || !canWrite}
            initial={{ subjective: note.subjective, objective: note.objective, assessment: note.assessment, plan: note.plan }}
            onStatusChange={setSnapshot}
          />
        )}

        {signed ? (
          <p className="mt-4 border-t border-surface-border pt-3 text-sm text-ink" data-testid="note-signed">
            Signed by <span className="font-medium">{note.signedBy?.name ?? "unknown"}</span> on <Time value={note.signedAt!} />. The note is read-only; add an addendum to correct or add to it.
          </p>
        ) : canWrite ? (
          <div className="mt-4 space-y-3 border-t border-surface-border pt-3">
            {liveDown && !plain ? (
              <Notice
                tone="warn"
                role="status"
                title="The live editor is not connected"
                actions={
                  <Button size="sm" variant="secondary" onClick={() => setPlain(true)}>
                    Edit as plain text
                  </Button>
                }
              >
                {snapshot?.message ?? "Changes typed now are kept in this tab and sent when the connection returns."} You can also edit the note as plain text; your save is checked against
                anyone else's.
              </Notice>
            ) : null}
            {!plain ? <TemplatePicker note={note} encounterType={encounterType} busy={pending > 0} onApplied={refresh} /> : null}
            {!plain ? (
              <div className="flex flex-wrap items-center gap-3">
                <Button variant="secondary" disabled={!live || saveRequested} onClick={() => setSaveRequested(true)}>
                  {saveRequested || pending > 0 ? "Saving…" : "Save"}
                </Button>
                {canSign ? (
                  <Button
                    disabled={sign.isPending || !live || pending > 0}
                    onClick={() => {
                      sign.reset();
                      setConfirmSign(true);
                    }}
                  >
                    Sign note
                  </Button>
                ) : null}
                <span className="text-sm text-ink-muted" aria-live="polite">
                  {pending > 0 ? "Saving your changes…" : savedAt ? `All changes saved (${savedAt.toLocaleTimeString()})` : live ? "Changes save as you type" : ""}
                </span>
              </div>
            ) : null}
            {confirmSign ? (
              <Notice
                tone="info"
                role="alert"
                title="Sign this note?"
                actions={
                  <>
                    <Button size="sm" disabled={sign.isPending || pending > 0} onClick={() => sign.mutate({ noteId: note.id, version: note.version })}>
                      {sign.isPending ? "Signing…" : "Confirm signing"}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setConfirmSign(false)}>
                      Cancel
                    </Button>
                  </>
                }
              >
                Signing takes the note as everyone sees it now, records you and the time, and locks it: after that only addenda can be added.
              </Notice>
            ) : null}
            {sign.error ? (
              <Notice tone="danger" role="alert" title="Not signed">
                {errorMessageOf(sign.error)}
              </Notice>
            ) : null}
          </div>
        ) : (
          <p className="mt-4 border-t border-surface-border pt-3 text-sm text-ink-muted">Your role may read this note but not change it.</p>
        )}
      </div>

      {signed ? <Addenda noteId={note.id} addenda={addenda} canWrite={canWrite} onAdded={refresh} /> : null}
    </div>
  );
}

/**
 * The note as four plain boxes, for when the live editor cannot connect: saved whole with the
 * version that was read. If someone changed the note meanwhile, their text and this user's are
 * shown side by side; keep theirs, or save this text over theirs.
 */
function PlainNoteForm({ note, onDone, onSaved }: { note: Note; onDone: () => void; onSaved: () => void }) {
  const { toast } = useToast();
  const base = { subjective: note.subjective, objective: note.objective, assessment: note.assessment, plan: note.plan };
  const [values, setValues] = useState(base);
  const [baseVersion, setBaseVersion] = useState(note.version);
  const save = trpc.charts.saveNote.useMutation({
    meta: { silentErrors: true },
    onSuccess: () => {
      toast({ tone: "success", title: "Note saved" });
      onSaved();
      onDone();
    },
  });
  const conflict = conflictOf<Note>(save.error);
  const errors = fieldErrorsOf(save.error);
  const changed = NOTE_EDITOR_FIELDS.filter((f) => values[f] !== base[f]);

  function submit(version: number) {
    if (!changed.length) return onDone();
    save.mutate({ noteId: note.id, version, ...Object.fromEntries(changed.map((f) => [f, values[f]])) });
  }

  return (
    <form
      aria-label="Edit note as plain text"
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!save.isPending) submit(baseVersion);
      }}
    >
      <h2 className="text-base font-semibold text-ink">Note (plain text)</h2>
      {NOTE_EDITOR_FIELDS.map((f) => (
        <TextAreaField key={f} label={FIELD_LABEL[f]} rows={4} value={values[f]} onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))} errors={errors[f]} />
      ))}
      {conflict ? (
        <ConflictPanel
          what="the note"
          conflict={conflict}
          fields={changed.map((f) => ({ label: FIELD_LABEL[f], theirs: conflict.current ? conflict.current[f] : "(reload to see)", yours: values[f] }))}
          pending={save.isPending}
          onKeepTheirs={() => {
            save.reset();
            onSaved();
            onDone();
          }}
          onApplyMine={() => {
            setBaseVersion(conflict.currentVersion);
            submit(conflict.currentVersion);
          }}
        />
      ) : save.error ? (
        <Notice tone="danger" role="alert" title="Not saved">
          {errorMessageOf(save.error)}
        </Notice>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save note"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Back to the live editor
        </Button>
      </div>
    </form>
  );
}

function Addenda({ noteId, addenda, canWrite, onAdded }: { noteId: string; addenda: Addendum[]; canWrite: boolean; onAdded: () => void }) {
  const { toast } = useToast();
  const headingId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const add = trpc.charts.addAddendum.useMutation({
    meta: { silentErrors: true },
    onSuccess: () => {
      toast({ tone: "success", title: "Addendum added" });
      setText("");
      setOpen(false);
      onAdded();
    },
  });
  const errors = fieldErrorsOf(add.error);
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="flex items-center justify-between gap-3 border-b border-surface-border px-5 py-3">
        <h2 id={headingId} className="text-base font-semibold text-ink">
          Addenda <span className="font-normal text-ink-muted">{addenda.length}</span>
        </h2>
        {canWrite && !open ? (
          <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>
            Add addendum
          </Button>
        ) : null}
      </div>
      {addenda.length ? (
        <ol className="divide-y divide-surface-border" aria-label="Addenda">
          {addenda.map((a) => (
            <li key={a.id} className="px-5 py-3 text-sm">
              <p className="whitespace-pre-wrap text-ink">{a.text}</p>
              <p className="mt-1 text-xs text-ink-muted">
                {a.author.name}, <Time value={a.createdAt} /> · <span className="font-mono" title={`SHA-256 ${a.contentHash}`}>{a.contentHash.slice(0, 12)}</span>
              </p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="px-5 py-4 text-sm text-ink-subtle">No addenda.</p>
      )}
      {open ? (
        <form
          aria-label="Add addendum"
          noValidate
          className="space-y-3 border-t border-surface-border bg-surface-muted px-5 py-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!add.isPending) add.mutate({ noteId, text });
          }}
        >
          <TextAreaField label="Addendum" rows={4} value={text} onChange={(e) => setText(e.target.value)} errors={errors.text} maxLength={20_000} />
          {add.error && !errors.text ? (
            <Notice tone="danger" role="alert" title="Not added">
              {errorMessageOf(add.error)}
            </Notice>
          ) : null}
          <div className="flex gap-2">
            <Button type="submit" size="sm" disabled={add.isPending}>
              {add.isPending ? "Adding…" : "Save addendum"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

const SHOWN: ("bp" | "heartRatePerMin" | "respiratoryRatePerMin" | "temperatureC" | "spo2Percent" | "weightKg" | "bmi" | "painScore")[] = [
  "bp",
  "heartRatePerMin",
  "respiratoryRatePerMin",
  "temperatureC",
  "spo2Percent",
  "weightKg",
  "bmi",
  "painScore",
];

/** The vitals taken in this encounter (live), and the form to take them. */
function EncounterVitals({ patientId, encounterId, open }: { patientId: string; encounterId: string; open: boolean }) {
  const canWrite = useCan("chart:write");
  const utils = trpc.useUtils();
  const headingId = useId();
  const [recording, setRecording] = useState(false);
  const query = trpc.charts.vitals.useQuery({ patientId, limit: 50 }, { meta: { silentErrors: true } });
  useChartEvents(patientId, ["vitals"], () => void utils.charts.vitals.invalidate({ patientId }));
  const items = (query.data?.items ?? []).filter((v) => v.encounterId === encounterId).sort((a, b) => b.takenAt.localeCompare(a.takenAt));

  return (
    <section aria-labelledby={headingId} className="h-fit rounded-lg border border-surface-border bg-surface shadow-card" data-testid="encounter-vitals">
      <div className="flex items-center justify-between gap-3 border-b border-surface-border px-4 py-3">
        <h2 id={headingId} className="text-base font-semibold text-ink">
          Vitals this visit
        </h2>
        {canWrite && open ? (
          <Button size="sm" variant={recording ? "ghost" : "secondary"} aria-expanded={recording} onClick={() => setRecording((r) => !r)}>
            {recording ? "Close" : "Record vitals"}
          </Button>
        ) : null}
      </div>
      {recording ? (
        <div className="border-b border-surface-border px-4 py-4">
          <VitalsForm patientId={patientId} encounterId={encounterId} compact onSaved={() => setRecording(false)} />
        </div>
      ) : null}
      {items.length ? (
        <ul className="divide-y divide-surface-border">
          {items.map((v) => (
            <VitalsItem key={v.id} vitals={v} editable={canWrite && open} onChanged={() => void utils.charts.vitals.invalidate({ patientId })} />
          ))}
        </ul>
      ) : (
        <p className="px-4 py-4 text-sm text-ink-subtle">{query.isPending ? "Loading…" : "None recorded in this visit."}</p>
      )}
    </section>
  );
}

function VitalsItem({ vitals, editable, onChanged }: { vitals: Vitals; editable: boolean; onChanged: () => void }) {
  const flagged = new Set(vitals.flags.map((f) => f.field));
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <li className="text-sm">
        <VitalsEditor
          vitals={vitals}
          onDone={() => {
            setEditing(false);
            onChanged();
          }}
        />
      </li>
    );
  }
  return (
    <li className="px-4 py-3 text-sm">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        {SHOWN.map((key) => {
          const text = vitalText(vitals, key);
          if (!text) return null;
          const isFlagged = key === "bp" ? flagged.has("systolicMmHg") || flagged.has("diastolicMmHg") : flagged.has(key);
          return (
            <div key={key} className="contents">
              <dt className="text-ink-muted">{key === "bp" ? "BP" : VITAL_LABEL[key]}</dt>
              <dd className={isFlagged ? "font-semibold text-danger-700" : "text-ink"}>
                {text}
                {isFlagged ? <span className="ml-1 text-xs">abnormal</span> : null}
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="mt-1 flex items-center justify-between gap-2 text-xs text-ink-muted">
        <span>
          {vitals.recordedBy.name}, <Time value={vitals.takenAt} />
        </span>
        {editable ? (
          <Button size="sm" variant="ghost" aria-label="Edit these vitals" onClick={() => setEditing(true)}>
            Edit
          </Button>
        ) : null}
      </p>
    </li>
  );
}
