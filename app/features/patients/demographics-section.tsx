import { useRevalidator } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, fieldErrorsOf, isTrpcError, trpc } from "~/lib/trpc";
import { useAppData } from "~/lib/use-app-data";
import { DemographicsFields, type TheirValues } from "./demographics-fields";
import { changedFields, rebase, toUpdateInput, valuesFromPatient, type DemographicsValues } from "./demographics-values";
import { formatDate, formatPhone, languageLabel, MARITAL_LABEL, SEX_LABEL } from "./format";
import { IdentifiersList } from "./identifiers";
import type { CareProvider, Patient } from "./types";

interface EditState {
  /** The record as it was when this edit started (or when their changes were loaded). */
  base: DemographicsValues;
  baseVersion: number;
  values: DemographicsValues;
  /** Fields both people changed: their saved values, shown beside the user's. */
  theirs: TheirValues;
  /** Set after "Load their changes": whose changes were merged in. */
  loadedFrom?: string;
}

/** One labelled value of the read view; the value is named by its label for assistive tech and tests. */
function Detail({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  const id = useId();
  return (
    <div className={wide ? "sm:col-span-2" : undefined}>
      <dt id={id} className="text-xs font-medium tracking-wide text-ink-muted uppercase">
        {label}
      </dt>
      <dd aria-labelledby={id} className="mt-0.5 text-sm whitespace-pre-line text-ink">
        {children}
      </dd>
    </div>
  );
}

const none = <span className="text-ink-subtle">—</span>;
const orNone = (value: string | null | undefined) => (value ? value : none);

export function DemographicsSection({ patient: loaded, providers, canEdit }: { patient: Patient; providers: CareProvider[]; canEdit: boolean }) {
  const { me } = useAppData();
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  const utils = trpc.useUtils();
  const [edit, setEdit] = useState<EditState | null>(null);
  const [loading, setLoading] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();

  // What the save returned, shown until the reloaded page data catches up (no flash of the old values).
  const [saved, setSaved] = useState<Patient | null>(null);
  const patient = saved && saved.version > loaded.version ? saved : loaded;

  const save = trpc.patients.update.useMutation({
    meta: { silentErrors: true }, // shown in the form
    onSuccess: (result) => {
      setSaved(result);
      setEdit(null);
      toast({ tone: "success", title: "Demographics saved" });
      // Other pages hear the live event; this one reloads at once.
      revalidate();
    },
  });
  const errors = fieldErrorsOf(save.error);
  const conflict = isTrpcError(save.error) && save.error.data?.code === "CONFLICT";

  useEffect(() => {
    if (!save.error || conflict) return;
    formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [save.error, conflict]);

  const editor = patient.updatedBy ? (patient.updatedBy.id === me.user.id ? "You" : patient.updatedBy.name) : "Someone";
  // A live event reloaded the record while this person was editing it.
  const changedMeanwhile = edit !== null && patient.version > edit.baseVersion;

  function startEdit() {
    save.reset();
    const base = valuesFromPatient(patient);
    setEdit({ base, baseVersion: patient.version, values: base, theirs: {} });
  }

  /** Fetches the latest saved record and merges it under what the user typed (see rebase). */
  async function loadTheirChanges() {
    if (!edit) return;
    setLoading(true);
    try {
      const latest = await utils.client.patients.get.query({ id: patient.id });
      const theirValues = valuesFromPatient(latest);
      const { next, conflicts } = rebase(edit.base, theirValues, edit.values);
      setEdit({ base: theirValues, baseVersion: latest.version, values: next, theirs: conflicts, loadedFrom: latest.updatedBy?.name ?? "someone else" });
      save.reset();
      revalidate();
    } catch (error) {
      toast({ tone: "danger", title: errorMessageOf(error) });
    } finally {
      setLoading(false);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!edit || save.isPending) return;
    if (changedFields(edit.base, edit.values).length === 0) {
      setEdit(null);
      return;
    }
    save.mutate(toUpdateInput(patient.id, edit.baseVersion, edit.base, edit.values));
  }

  const address = [patient.addressLine1, patient.addressLine2, [patient.city, [patient.region, patient.postalCode].filter(Boolean).join(" ")].filter(Boolean).join(", ")]
    .filter(Boolean)
    .join("\n");
  const fullName = [patient.givenName, patient.middleName, patient.familyName].filter(Boolean).join(" ");

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-surface-border px-5 py-3">
        <h2 id={headingId} className="text-base font-semibold text-ink">
          Demographics
        </h2>
        {canEdit && !edit && patient.status !== "MERGED" ? (
          <Button variant="secondary" size="sm" onClick={startEdit} aria-label="Edit demographics">
            Edit
          </Button>
        ) : null}
      </div>

      {edit ? (
        <form ref={formRef} noValidate onSubmit={onSubmit} aria-label="Edit demographics" className="space-y-5 px-5 py-5">
          {changedMeanwhile && !conflict ? (
            <Notice
              tone="info"
              role="status"
              title={`${editor} changed this record; your save will be checked against their change.`}
              actions={
                <Button size="sm" variant="secondary" onClick={loadTheirChanges} disabled={loading}>
                  {loading ? "Loading…" : "Load their changes"}
                </Button>
              }
            >
              What you typed stays here. Load their changes to bring them into this form before saving.
            </Notice>
          ) : null}
          {edit.loadedFrom && !changedMeanwhile ? (
            <Notice tone="info" role="status" title={`Loaded the latest version (saved by ${edit.loadedFrom}).`}>
              Fields you had not changed now show their values.{" "}
              {Object.keys(edit.theirs).length
                ? "Where you both changed a field, yours is kept and theirs is shown under it."
                : "None of your changes clashed with theirs."}{" "}
              Save again to apply your changes.
            </Notice>
          ) : null}

          <DemographicsFields
            values={edit.values}
            onChange={(patch) => setEdit((e) => (e ? { ...e, values: { ...e.values, ...patch } } : e))}
            errors={errors}
            providers={providers}
            mode="edit"
            theirs={edit.theirs}
            ssnOnFile={patient.identifiers.find((i) => i.kind === "SSN")?.last4 ?? null}
          />

          {save.error ? (
            <Notice
              tone={conflict ? "warn" : "danger"}
              role="alert"
              title={conflict ? "Not saved: someone else changed this record" : "Not saved"}
              actions={
                conflict ? (
                  <Button size="sm" variant="secondary" onClick={loadTheirChanges} disabled={loading}>
                    {loading ? "Loading…" : "Load their changes"}
                  </Button>
                ) : undefined
              }
            >
              {errorMessageOf(save.error)}
              {conflict ? " Your changes are still in the form." : ""}
            </Notice>
          ) : null}

          <div className="flex flex-wrap gap-3 border-t border-surface-border pt-4">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save changes"}
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                save.reset();
                setEdit(null);
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="space-y-6 px-5 py-5">
          <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-4">
            <Detail label="Full name">{fullName}</Detail>
            <Detail label="Preferred name">{orNone(patient.preferredName)}</Detail>
            <Detail label="Date of birth">{formatDate(patient.dateOfBirth)}</Detail>
            <Detail label="Sex assigned at birth">{SEX_LABEL[patient.sex]}</Detail>
            <Detail label="Gender identity">{orNone(patient.genderIdentity)}</Detail>
            <Detail label="Pronouns">{orNone(patient.pronouns)}</Detail>
            <Detail label="Mobile phone">{orNone(formatPhone(patient.phoneMobile))}</Detail>
            <Detail label="Home phone">{orNone(formatPhone(patient.phoneHome))}</Detail>
            <Detail label="Email" wide>
              {orNone(patient.email)}
            </Detail>
            <Detail label="Contact preferences" wide>
              {[patient.allowSms ? "OK to text" : "No texts", patient.allowEmail ? "OK to email" : "No email"].join(" · ")}
            </Detail>
            <Detail label="Address" wide>
              {orNone(address)}
            </Detail>
            <Detail label="Preferred language">{languageLabel(patient.preferredLanguage)}</Detail>
            <Detail label="Marital status">{patient.maritalStatus ? MARITAL_LABEL[patient.maritalStatus] : none}</Detail>
            <Detail label="Primary care provider" wide>
              {orNone(patient.primaryCareProvider?.name)}
            </Detail>
            {patient.status === "DECEASED" ? <Detail label="Date of death">{formatDate(patient.deceasedOn)}</Detail> : null}
          </dl>

          <div className="grid gap-6 border-t border-surface-border pt-5 md:grid-cols-2">
            <div>
              <h3 className="text-xs font-medium tracking-wide text-ink-muted uppercase">Emergency contacts</h3>
              {patient.emergencyContacts.length ? (
                <ul className="mt-1 space-y-1 text-sm">
                  {patient.emergencyContacts.map((c) => (
                    <li key={c.id}>
                      <span className="font-medium">{c.name}</span> <span className="text-ink-muted">({c.relation})</span> · {formatPhone(c.phone)}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-sm text-ink-subtle">None recorded</p>
              )}
            </div>
            <IdentifiersList patientId={patient.id} identifiers={patient.identifiers} />
          </div>

          <p className="border-t border-surface-border pt-3 text-xs text-ink-muted">
            Version {patient.version} · last changed {patient.updatedBy ? `by ${patient.updatedBy.name} ` : ""}
            <Time value={patient.updatedAt} />
          </p>
        </div>
      )}
    </section>
  );
}
