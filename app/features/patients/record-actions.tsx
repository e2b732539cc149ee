import { Link, useRevalidator } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { Button, buttonClass } from "~/components/ui/button";
import { Dialog } from "~/components/ui/dialog";
import { TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { formatDate, listName } from "./format";
import { PatientSearch } from "./patient-search";
import type { Patient, SearchHit } from "./types";
import { useCan } from "./use-can";

export interface MergeSummary {
  mergedId: string;
  mergedMrn: string;
}

/** Status changes and merging, for a record that is not itself merged away. */
export function RecordActions({ patient, onMerged }: { patient: Patient; onMerged: (merge: MergeSummary) => void }) {
  const canWrite = useCan("patient:write");
  const canMerge = useCan("patient:merge");
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  const [dialog, setDialog] = useState<"death" | "merge" | null>(null);

  const setStatus = trpc.patients.setStatus.useMutation({
    onSuccess: (saved) => {
      const title =
        saved.status === "ACTIVE" ? "Record reactivated" : saved.status === "INACTIVE" ? "Record deactivated" : `Death recorded (${formatDate(saved.deceasedOn)})`;
      toast({ tone: "success", title });
      setDialog(null);
      revalidate();
    },
  });

  if (patient.status === "MERGED" || (!canWrite && !canMerge)) return null;
  const busy = setStatus.isPending;

  return (
    <div className="flex flex-wrap items-center justify-end gap-2" role="group" aria-label="Record actions">
      {canWrite && patient.status === "ACTIVE" ? (
        <Button variant="secondary" size="sm" disabled={busy} onClick={() => setStatus.mutate({ id: patient.id, version: patient.version, status: "INACTIVE" })}>
          Deactivate
        </Button>
      ) : null}
      {canWrite && patient.status !== "ACTIVE" ? (
        <Button variant="secondary" size="sm" disabled={busy} onClick={() => setStatus.mutate({ id: patient.id, version: patient.version, status: "ACTIVE" })}>
          Reactivate
        </Button>
      ) : null}
      {canWrite && patient.status !== "DECEASED" ? (
        <Button variant="secondary" size="sm" disabled={busy} onClick={() => setDialog("death")}>
          Record death…
        </Button>
      ) : null}
      {canMerge ? (
        <Button variant="secondary" size="sm" onClick={() => setDialog("merge")}>
          Merge duplicate…
        </Button>
      ) : null}

      <Dialog open={dialog === "death"} onClose={() => setDialog(null)} title="Record death" description={`For ${listName(patient)}, MRN ${patient.mrn}.`}>
        <DeathForm
          pending={busy}
          error={setStatus.error}
          onCancel={() => setDialog(null)}
          onSubmit={(deceasedOn) => setStatus.mutate({ id: patient.id, version: patient.version, status: "DECEASED", deceasedOn })}
        />
      </Dialog>

      <Dialog
        open={dialog === "merge"}
        onClose={() => setDialog(null)}
        width="max-w-5xl"
        title="Merge a duplicate into this record"
        description={`Find the duplicate of ${listName(patient)} (MRN ${patient.mrn}). This record stays; the duplicate is merged into it.`}
      >
        <MergeFlow
          patient={patient}
          onCancel={() => setDialog(null)}
          onMerged={(merge) => {
            setDialog(null);
            onMerged(merge);
          }}
        />
      </Dialog>
    </div>
  );
}

function DeathForm({ pending, error, onSubmit, onCancel }: { pending: boolean; error: unknown; onSubmit: (date: string) => void; onCancel: () => void }) {
  const [date, setDate] = useState("");
  const errors = fieldErrorsOf(error);
  return (
    <form
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit(date);
      }}
      className="space-y-4"
    >
      <TextField label="Date of death" type="date" value={date} max={new Date().toISOString().slice(0, 10)} onChange={(e) => setDate(e.target.value)} errors={errors.deceasedOn} />
      <p className="text-sm text-ink-muted">The record stays searchable, marked Deceased. Reactivate it if this was recorded in error.</p>
      <div className="flex gap-3">
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? "Saving…" : "Record death"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function MergeFlow({ patient, onMerged, onCancel }: { patient: Patient; onMerged: (merge: MergeSummary) => void; onCancel: () => void }) {
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  const [candidate, setCandidate] = useState<SearchHit | null>(null);
  const merge = trpc.patients.merge.useMutation({
    meta: { silentErrors: true }, // shown in the dialog
    onSuccess: (result) => {
      toast({ tone: "success", title: `MRN ${result.mergedMrn} merged into MRN ${result.survivorMrn}` });
      revalidate();
      onMerged({ mergedId: result.mergedId, mergedMrn: result.mergedMrn });
    },
  });

  if (!candidate) {
    return <PatientSearch label="Find the duplicate record" autoFocus excludeId={patient.id} onOpen={setCandidate} />;
  }

  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="rounded-lg border border-danger-200 bg-danger-50 p-4 text-sm">
          <p className="text-xs font-semibold tracking-wide text-danger-700 uppercase">Duplicate (will be merged)</p>
          <p className="mt-1 font-medium text-ink">{listName(candidate)}</p>
          <p className="text-ink-muted">
            MRN <span className="font-mono text-ink">{candidate.mrn}</span> · Born {formatDate(candidate.dateOfBirth)}
          </p>
        </div>
        <div className="rounded-lg border border-ok-200 bg-ok-50 p-4 text-sm">
          <p className="text-xs font-semibold tracking-wide text-ok-700 uppercase">This record (stays)</p>
          <p className="mt-1 font-medium text-ink">{listName(patient)}</p>
          <p className="text-ink-muted">
            MRN <span className="font-mono text-ink">{patient.mrn}</span> · Born {formatDate(patient.dateOfBirth)}
          </p>
        </div>
      </div>
      <ul className="list-disc space-y-1 pl-5 text-sm text-ink">
        <li>
          MRN {candidate.mrn}&rsquo;s emergency contacts, identifiers and medical history move to MRN {patient.mrn}.
        </li>
        <li>MRN {candidate.mrn} stops appearing in search; opening it leads here.</li>
        <li>An administrator can undo the merge afterwards.</li>
      </ul>
      {merge.error ? (
        <Notice tone="danger" role="alert" title="Not merged">
          {errorMessageOf(merge.error)}
        </Notice>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <Button variant="danger" disabled={merge.isPending} onClick={() => merge.mutate({ survivorId: patient.id, mergedId: candidate.id })}>
          {merge.isPending ? "Merging…" : `Merge MRN ${candidate.mrn} into MRN ${patient.mrn}`}
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            merge.reset();
            setCandidate(null);
          }}
        >
          Choose another record
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

/** Undo the latest merge of `mergedId` (patients.unmerge); only for roles with patient:merge. */
export function UndoMergeButton({ mergedId, mergedMrn, onDone }: MergeSummary & { onDone?: () => void }) {
  const canMerge = useCan("patient:merge");
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  const unmerge = trpc.patients.unmerge.useMutation({
    onSuccess: () => {
      toast({ tone: "success", title: `Merge undone: MRN ${mergedMrn} is a separate record again` });
      revalidate();
      onDone?.();
    },
  });
  if (!canMerge) return null;
  return (
    <Button size="sm" variant="secondary" disabled={unmerge.isPending} onClick={() => unmerge.mutate({ mergedId })}>
      {unmerge.isPending ? "Undoing…" : "Undo merge"}
    </Button>
  );
}

/** On the record another one was merged into: which one, with a way back for administrators. */
export function MergedIntoHereNotice({ merge, justNow, onDone }: { merge: MergeSummary; justNow: boolean; onDone?: () => void }) {
  const canMerge = useCan("patient:merge");
  return (
    <Notice
      tone={justNow ? "success" : "info"}
      role="status"
      title={justNow ? `MRN ${merge.mergedMrn} was merged into this record.` : `You opened MRN ${merge.mergedMrn}, which was merged into this record.`}
      actions={
        canMerge ? (
          <>
            <UndoMergeButton {...merge} onDone={onDone} />
            <Link to={`/patients/${merge.mergedId}?view=merged`} className={buttonClass("ghost", "sm")}>
              View merged record
            </Link>
          </>
        ) : undefined
      }
    >
      {justNow ? "Its contacts, identifiers and history are now shown here." : "Everything recorded for it is shown here."}
    </Notice>
  );
}

/** On a merged-away record (administrators only get here). */
export function TombstoneNotice({ patient }: { patient: Patient }) {
  return (
    <Notice
      tone="warn"
      role="status"
      title={`This record was merged into MRN ${patient.mergedInto?.mrn ?? "another record"}.`}
      actions={
        <>
          {patient.mergedInto ? (
            <Link to={`/patients/${patient.mergedInto.id}`} className={buttonClass("primary", "sm")}>
              Open MRN {patient.mergedInto.mrn}
            </Link>
          ) : null}
          <UndoMergeButton mergedId={patient.id} mergedMrn={patient.mrn} />
        </>
      }
    >
      It no longer appears in search and cannot be edited. The details below are as they were when it was merged.
    </Notice>
  );
}
