import { useRevalidator } from "@remix-run/react";
import { useId, useState, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { useVersionedEdit, VersionedEditForm } from "~/components/ui/versioned-edit";
import { fieldErrorsOf, trpc } from "~/lib/trpc";
import { DemographicsFields } from "./demographics-fields";
import { changedFields, FIELD_LABELS, shownValue, toUpdateInput, valuesFromPatient, type DemographicsValues } from "./demographics-values";
import { formatDate, formatPhone, languageLabel, MARITAL_LABEL, SEX_LABEL } from "./format";
import { IdentifiersList } from "./identifiers";
import type { CareProvider, Patient } from "./types";

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
  const { toast } = useToast();
  const { revalidate } = useRevalidator();
  const editing = useVersionedEdit<DemographicsValues>();
  const { edit } = editing;
  const headingId = useId();

  // What the save returned, shown until the reloaded page data catches up (no flash of the old values).
  const [saved, setSaved] = useState<Patient | null>(null);
  const patient = saved && saved.version > loaded.version ? saved : loaded;

  const save = trpc.patients.update.useMutation({
    meta: { silentErrors: true }, // shown in the form
    onSuccess: (result) => {
      setSaved(result);
      editing.stop();
      toast({ tone: "success", title: "Demographics saved" });
      // Other pages hear the live event; this one reloads at once.
      revalidate();
    },
  });
  const errors = fieldErrorsOf(save.error);

  function startEdit() {
    save.reset();
    editing.start(patient.id, patient.version, valuesFromPatient(patient));
  }

  /** Sends only what the user changed (contacts and SSN as wholes); nothing changed just closes. */
  function saveChanges(version: number) {
    if (!edit) return;
    if (changedFields(edit.base, edit.values).length === 0) return editing.stop();
    save.mutate(toUpdateInput(patient.id, version, edit.base, edit.values));
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
        <VersionedEditForm
          label="Edit demographics"
          submitLabel="Save changes"
          what="this patient's record"
          edit={edit}
          editing={editing}
          mutation={save}
          current={patient}
          valuesOf={valuesFromPatient}
          fieldLabels={FIELD_LABELS}
          format={(field, values) => shownValue(field, values, providers)}
          save={saveChanges}
        >
          <DemographicsFields
            values={edit.values}
            onChange={editing.change}
            errors={errors}
            providers={providers}
            mode="edit"
            ssnOnFile={patient.identifiers.find((i) => i.kind === "SSN")?.last4 ?? null}
          />
        </VersionedEditForm>
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
