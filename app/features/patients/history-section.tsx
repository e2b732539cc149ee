import { useRevalidator } from "@remix-run/react";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { formatDate, TOBACCO_LABEL } from "./format";
import { EMPTY_CODED, Icd10Picker, type CodedText } from "./icd10-picker";
import type { Condition, FamilyHistoryItem, History, SocialHistory, Surgery, TobaccoStatus } from "./types";
import { useCan } from "./use-can";

/** Whole numbers typed into a box: empty is null; anything else goes as typed for the server to judge. */
const intOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

/** After any history write: toast, and reload the page data (other viewers hear the live event). */
function useHistoryWrite() {
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  return (title: string) => {
    toast({ tone: "success", title });
    revalidate();
  };
}

export function HistorySection({ history }: { history: History }) {
  const canWrite = useCan("history:write");
  const canCodes = useCan("codes:read");
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="space-y-4">
      <h2 id={headingId} className="text-lg font-semibold text-ink">
        Medical history
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">
        <ConditionsCard patientId={history.patientId} items={history.conditions} canWrite={canWrite} canCodes={canCodes} />
        <SurgeriesCard patientId={history.patientId} items={history.surgeries} canWrite={canWrite} />
        <FamilyHistoryCard patientId={history.patientId} items={history.familyHistory} canWrite={canWrite} canCodes={canCodes} />
        <SocialHistoryCard patientId={history.patientId} social={history.socialHistory} canWrite={canWrite} />
      </div>
    </section>
  );
}

function Card({ title, count, action, children }: { title: string; count?: number; action?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="flex flex-col rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="flex items-center justify-between gap-3 border-b border-surface-border px-4 py-2.5">
        <h3 id={id} className="text-sm font-semibold text-ink">
          {title}
          {count !== undefined ? <span className="ml-2 font-normal text-ink-muted">{count}</span> : null}
        </h3>
        {action}
      </div>
      <div className="flex-1">{children}</div>
    </section>
  );
}

function Recorded({ item }: { item: { recordedBy: { name: string }; recordedAt: string } }) {
  return (
    <p className="mt-0.5 text-xs text-ink-muted">
      Recorded by {item.recordedBy.name}, <Time value={item.recordedAt} />
    </p>
  );
}

/** Remove in two steps, so a stray click does not delete history. Sends the version that was read. */
function RemoveButton({ what, pending, onRemove }: { what: string; pending: boolean; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button size="sm" variant="ghost" aria-label={`Remove ${what}`} onClick={() => setConfirming(true)}>
        Remove
      </Button>
    );
  }
  return (
    <span className="flex shrink-0 gap-1">
      <Button size="sm" variant="danger" disabled={pending} aria-label={`Confirm removing ${what}`} onClick={onRemove}>
        {pending ? "Removing…" : "Remove"}
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Keep
      </Button>
    </span>
  );
}

function EmptyRow({ children }: { children: ReactNode }) {
  return <p className="px-4 py-4 text-sm text-ink-subtle">{children}</p>;
}

function AddToggle({ open, label, onToggle }: { open: boolean; label: string; onToggle: () => void }) {
  return (
    <Button size="sm" variant={open ? "ghost" : "secondary"} onClick={onToggle} aria-expanded={open}>
      {open ? "Close" : label}
    </Button>
  );
}

function FormShell({ label, onSubmit, onCancel, error, pending, submitLabel, children }: {
  label: string;
  onSubmit: () => void;
  onCancel?: () => void;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <form
      aria-label={label}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (!pending) onSubmit();
      }}
      className="space-y-3 border-t border-surface-border bg-surface-muted px-4 py-4"
    >
      {children}
      {error ? (
        <Notice tone="danger" role="alert">
          {errorMessageOf(error)}
        </Notice>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel ? (
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

// --- conditions --------------------------------------------------------------------------------

function ConditionsCard({ patientId, items, canWrite, canCodes }: { patientId: string; items: Condition[]; canWrite: boolean; canCodes: boolean }) {
  const done = useHistoryWrite();
  const [adding, setAdding] = useState(false);
  const [condition, setCondition] = useState<CodedText>(EMPTY_CODED);
  const [onsetYear, setOnsetYear] = useState("");
  const [resolved, setResolved] = useState(false);
  const [note, setNote] = useState("");

  const add = trpc.patients.history.addCondition.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      done(`Condition added: ${saved.description}`);
      setCondition(EMPTY_CODED);
      setOnsetYear("");
      setResolved(false);
      setNote("");
      setAdding(false);
    },
  });
  const remove = trpc.patients.history.removeCondition.useMutation({ onSuccess: () => done("Condition removed") });
  const errors = fieldErrorsOf(add.error);

  return (
    <Card title="Past conditions" count={items.length} action={canWrite ? <AddToggle open={adding} label="Add condition" onToggle={() => setAdding((a) => !a)} /> : null}>
      {items.length ? (
        <ul className="divide-y divide-surface-border">
          {items.map((item) => (
            <li key={item.id} className="flex items-start justify-between gap-3 px-4 py-3">
              <div className="min-w-0 text-sm">
                <p className="font-medium text-ink">
                  {item.description}
                  {item.icd10CodeDotted ? <span className="ml-2 rounded bg-surface-sunken px-1.5 py-0.5 font-mono text-xs text-ink-muted">{item.icd10CodeDotted}</span> : null}
                </p>
                <p className="mt-0.5 flex flex-wrap items-center gap-2 text-ink-muted">
                  {item.onsetYear ? <span>Since {item.onsetYear}</span> : null}
                  {item.resolved ? <Badge tone="neutral">Resolved</Badge> : <Badge tone="brand">Active</Badge>}
                </p>
                {item.note ? <p className="mt-1 text-ink">{item.note}</p> : null}
                <Recorded item={item} />
              </div>
              {canWrite ? (
                <RemoveButton
                  what={item.description}
                  pending={remove.isPending && remove.variables?.id === item.id}
                  onRemove={() => remove.mutate({ id: item.id, version: item.version })}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <EmptyRow>No past conditions recorded.</EmptyRow>
      )}
      {adding ? (
        <FormShell
          label="Add condition"
          submitLabel="Save condition"
          pending={add.isPending}
          error={add.error}
          onSubmit={() =>
            add.mutate({
              patientId,
              icd10Code: condition.code,
              description: condition.text,
              onsetYear: intOrNull(onsetYear),
              resolved,
              note,
            })
          }
        >
          <Icd10Picker label="Condition" value={condition} onChange={setCondition} lookup={canCodes} errors={[...(errors.description ?? []), ...(errors.icd10Code ?? [])]} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Onset year" type="number" inputMode="numeric" min={1900} value={onsetYear} onChange={(e) => setOnsetYear(e.target.value)} errors={errors.onsetYear} />
            <div className="pt-6">
              <CheckboxField label="Resolved" checked={resolved} onChange={(e) => setResolved(e.target.checked)} />
            </div>
          </div>
          <TextAreaField label="Condition note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} errors={errors.note} maxLength={2000} />
        </FormShell>
      ) : null}
    </Card>
  );
}

// --- surgeries ---------------------------------------------------------------------------------

function SurgeriesCard({ patientId, items, canWrite }: { patientId: string; items: Surgery[]; canWrite: boolean }) {
  const done = useHistoryWrite();
  const [adding, setAdding] = useState(false);
  const [procedure, setProcedure] = useState("");
  const [performedOn, setPerformedOn] = useState("");
  const [note, setNote] = useState("");

  const add = trpc.patients.history.addSurgery.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      done(`Surgery added: ${saved.procedure}`);
      setProcedure("");
      setPerformedOn("");
      setNote("");
      setAdding(false);
    },
  });
  const remove = trpc.patients.history.removeSurgery.useMutation({ onSuccess: () => done("Surgery removed") });
  const errors = fieldErrorsOf(add.error);

  return (
    <Card title="Past surgeries" count={items.length} action={canWrite ? <AddToggle open={adding} label="Add surgery" onToggle={() => setAdding((a) => !a)} /> : null}>
      {items.length ? (
        <ul className="divide-y divide-surface-border">
          {items.map((item) => (
            <li key={item.id} className="flex items-start justify-between gap-3 px-4 py-3">
              <div className="min-w-0 text-sm">
                <p className="font-medium text-ink">
                  {item.procedure}
                  {item.performedOn ? <span className="ml-2 font-normal text-ink-muted">{formatDate(item.performedOn)}</span> : null}
                </p>
                {item.note ? <p className="mt-1 text-ink">{item.note}</p> : null}
                <Recorded item={item} />
              </div>
              {canWrite ? (
                <RemoveButton
                  what={item.procedure}
                  pending={remove.isPending && remove.variables?.id === item.id}
                  onRemove={() => remove.mutate({ id: item.id, version: item.version })}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <EmptyRow>No past surgeries recorded.</EmptyRow>
      )}
      {adding ? (
        <FormShell
          label="Add surgery"
          submitLabel="Save surgery"
          pending={add.isPending}
          error={add.error}
          onSubmit={() => add.mutate({ patientId, procedure, performedOn, note })}
        >
          <TextField label="Procedure" value={procedure} onChange={(e) => setProcedure(e.target.value)} errors={errors.procedure} maxLength={500} />
          <TextField
            label="Date performed"
            value={performedOn}
            onChange={(e) => setPerformedOn(e.target.value)}
            errors={errors.performedOn}
            placeholder="2014-06"
            hint="A year, year and month, or full date: 2014, 2014-06 or 2014-06-03"
          />
          <TextAreaField label="Surgery note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} errors={errors.note} maxLength={2000} />
        </FormShell>
      ) : null}
    </Card>
  );
}

// --- family history ----------------------------------------------------------------------------

function FamilyHistoryCard({ patientId, items, canWrite, canCodes }: { patientId: string; items: FamilyHistoryItem[]; canWrite: boolean; canCodes: boolean }) {
  const done = useHistoryWrite();
  const [adding, setAdding] = useState(false);
  const [relative, setRelative] = useState("");
  const [condition, setCondition] = useState<CodedText>(EMPTY_CODED);
  const [ageAtOnset, setAgeAtOnset] = useState("");
  const [note, setNote] = useState("");

  const add = trpc.patients.history.addFamilyHistory.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      done(`Family history added: ${saved.relative}, ${saved.condition}`);
      setRelative("");
      setCondition(EMPTY_CODED);
      setAgeAtOnset("");
      setNote("");
      setAdding(false);
    },
  });
  const remove = trpc.patients.history.removeFamilyHistory.useMutation({ onSuccess: () => done("Family history entry removed") });
  const errors = fieldErrorsOf(add.error);

  return (
    <Card title="Family history" count={items.length} action={canWrite ? <AddToggle open={adding} label="Add family history" onToggle={() => setAdding((a) => !a)} /> : null}>
      {items.length ? (
        <ul className="divide-y divide-surface-border">
          {items.map((item) => (
            <li key={item.id} className="flex items-start justify-between gap-3 px-4 py-3">
              <div className="min-w-0 text-sm">
                <p className="text-ink">
                  <span className="font-medium capitalize">{item.relative}</span>: {item.condition}
                  {item.icd10CodeDotted ? <span className="ml-2 rounded bg-surface-sunken px-1.5 py-0.5 font-mono text-xs text-ink-muted">{item.icd10CodeDotted}</span> : null}
                </p>
                {item.ageAtOnset !== null ? <p className="mt-0.5 text-ink-muted">Onset at age {item.ageAtOnset}</p> : null}
                {item.note ? <p className="mt-1 text-ink">{item.note}</p> : null}
                <Recorded item={item} />
              </div>
              {canWrite ? (
                <RemoveButton
                  what={`${item.relative}: ${item.condition}`}
                  pending={remove.isPending && remove.variables?.id === item.id}
                  onRemove={() => remove.mutate({ id: item.id, version: item.version })}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <EmptyRow>No family history recorded.</EmptyRow>
      )}
      {adding ? (
        <FormShell
          label="Add family history"
          submitLabel="Save family history"
          pending={add.isPending}
          error={add.error}
          onSubmit={() =>
            add.mutate({ patientId, relative, icd10Code: condition.code, condition: condition.text, ageAtOnset: intOrNull(ageAtOnset), note })
          }
        >
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label="Relative" value={relative} onChange={(e) => setRelative(e.target.value)} errors={errors.relative} placeholder="e.g. mother" maxLength={100} />
            <TextField label="Age at onset" type="number" inputMode="numeric" min={0} max={130} value={ageAtOnset} onChange={(e) => setAgeAtOnset(e.target.value)} errors={errors.ageAtOnset} />
          </div>
          <Icd10Picker label="Relative's condition" value={condition} onChange={setCondition} lookup={canCodes} errors={[...(errors.condition ?? []), ...(errors.icd10Code ?? [])]} />
          <TextAreaField label="Family history note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} errors={errors.note} maxLength={2000} />
        </FormShell>
      ) : null}
    </Card>
  );
}

// --- social history ----------------------------------------------------------------------------

const TOBACCO_OPTIONS = (Object.keys(TOBACCO_LABEL) as TobaccoStatus[]).map((value) => ({ value, label: TOBACCO_LABEL[value] }));
const SMOKER: TobaccoStatus[] = ["FORMER", "CURRENT_EVERY_DAY", "CURRENT_SOME_DAYS"];

interface SocialValues {
  tobaccoStatus: TobaccoStatus;
  packYears: string;
  alcohol: string;
  substances: string;
  occupation: string;
}

const socialValues = (s: SocialHistory | null): SocialValues => ({
  tobaccoStatus: s?.tobaccoStatus ?? "UNKNOWN",
  packYears: s?.packYears != null ? String(s.packYears) : "",
  alcohol: s?.alcohol ?? "",
  substances: s?.substances ?? "",
  occupation: s?.occupation ?? "",
});

function SocialHistoryCard({ patientId, social, canWrite }: { patientId: string; social: SocialHistory | null; canWrite: boolean }) {
  const done = useHistoryWrite();
  const [edit, setEdit] = useState<{ version: number | undefined; values: SocialValues } | null>(null);
  const save = trpc.patients.history.saveSocialHistory.useMutation({
    meta: { silentErrors: true },
    onSuccess: () => {
      done("Social history saved");
      setEdit(null);
    },
  });
  const errors = fieldErrorsOf(save.error);
  const changedMeanwhile = edit !== null && (social?.version ?? undefined) !== edit.version;
  const set = (patch: Partial<SocialValues>) => setEdit((e) => (e ? { ...e, values: { ...e.values, ...patch } } : e));

  return (
    <Card
      title="Social history"
      action={
        canWrite && !edit ? (
          <Button
            size="sm"
            variant="secondary"
            aria-label="Edit social history"
            onClick={() => {
              save.reset();
              setEdit({ version: social?.version, values: socialValues(social) });
            }}
          >
            {social ? "Edit" : "Record"}
          </Button>
        ) : null
      }
    >
      {edit ? (
        <FormShell
          label="Edit social history"
          submitLabel="Save social history"
          onCancel={() => setEdit(null)}
          pending={save.isPending}
          error={save.error}
          onSubmit={() =>
            save.mutate({
              patientId,
              version: edit.version,
              tobaccoStatus: edit.values.tobaccoStatus,
              packYears: edit.values.packYears.trim() === "" ? null : Number(edit.values.packYears),
              alcohol: edit.values.alcohol,
              substances: edit.values.substances,
              occupation: edit.values.occupation,
            })
          }
        >
          {changedMeanwhile ? (
            <Notice
              tone="info"
              role="status"
              title={`${social ? social.recordedBy.name : "Someone"} changed the social history; your save will be checked against their change.`}
              actions={
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => {
                    save.reset();
                    setEdit((e) => (e ? { ...e, version: social?.version } : e));
                  }}
                >
                  Keep my values and save over theirs
                </Button>
              }
            >
              {social
                ? `Theirs: ${TOBACCO_LABEL[social.tobaccoStatus]}${social.packYears != null ? `, ${social.packYears} pack-years` : ""}; alcohol ${social.alcohol ?? "—"}; other substances ${social.substances ?? "—"}; occupation ${social.occupation ?? "—"}.`
                : null}
            </Notice>
          ) : null}
          <div className="grid gap-3 sm:grid-cols-2">
            <SelectField label="Tobacco use" value={edit.values.tobaccoStatus} options={TOBACCO_OPTIONS} onChange={(e) => set({ tobaccoStatus: e.target.value as TobaccoStatus })} errors={errors.tobaccoStatus} />
            <TextField
              label="Pack-years"
              type="number"
              inputMode="decimal"
              min={0}
              step={0.1}
              value={edit.values.packYears}
              disabled={!SMOKER.includes(edit.values.tobaccoStatus)}
              onChange={(e) => set({ packYears: e.target.value })}
              errors={errors.packYears}
              hint="Former or current smokers only"
            />
          </div>
          <TextField label="Alcohol use" value={edit.values.alcohol} onChange={(e) => set({ alcohol: e.target.value })} errors={errors.alcohol} maxLength={500} />
          <TextField label="Other substance use" value={edit.values.substances} onChange={(e) => set({ substances: e.target.value })} errors={errors.substances} maxLength={500} />
          <TextField label="Occupation" value={edit.values.occupation} onChange={(e) => set({ occupation: e.target.value })} errors={errors.occupation} maxLength={200} />
        </FormShell>
      ) : social ? (
        <div className="px-4 py-3">
        <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
          <dt className="text-ink-muted">Tobacco</dt>
          <dd>
            {TOBACCO_LABEL[social.tobaccoStatus]}
            {social.packYears != null ? `, ${social.packYears} pack-years` : ""}
          </dd>
          <dt className="text-ink-muted">Alcohol</dt>
          <dd>{social.alcohol ?? <span className="text-ink-subtle">—</span>}</dd>
          <dt className="text-ink-muted">Other substances</dt>
          <dd>{social.substances ?? <span className="text-ink-subtle">—</span>}</dd>
          <dt className="text-ink-muted">Occupation</dt>
          <dd>{social.occupation ?? <span className="text-ink-subtle">—</span>}</dd>
        </dl>
        <Recorded item={social} />
        </div>
      ) : (
        <EmptyRow>No social history recorded.</EmptyRow>
      )}
    </Card>
  );
}
