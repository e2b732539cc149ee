import type { ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { blankContact, EMPTY_CONTACT, type ContactValues, type DemographicsValues, type FieldName } from "./demographics-values";
import { LANGUAGES, MARITAL_LABEL, maskSsnInput, SEX_OPTIONS } from "./format";
import type { CareProvider, MaritalStatus, Sex } from "./types";

export type FieldErrors = Record<string, string[] | undefined>;

/** Messages for a field and everything inside it ("alerts", "alerts.2"), or undefined if none. */
function errorsUnder(errors: FieldErrors, field: string): string[] | undefined {
  const messages = Object.entries(errors).flatMap(([key, list]) => (key === field || key.startsWith(`${field}.`) ? (list ?? []) : []));
  return messages.length ? messages : undefined;
}
interface DemographicsFieldsProps {
  values: DemographicsValues;
  onChange: (patch: Partial<DemographicsValues>) => void;
  errors: FieldErrors;
  providers: CareProvider[];
  mode: "register" | "edit";
  /** Edit: the last 4 of the SSN on file, if any. */
  ssnOnFile?: string | null;
}

const MARITAL_OPTIONS = [{ value: "", label: "Not recorded" }, ...(Object.keys(MARITAL_LABEL) as MaritalStatus[]).map((v) => ({ value: v, label: MARITAL_LABEL[v] }))];
const SEX_SELECT = [{ value: "", label: "Choose…" }, ...SEX_OPTIONS];
const today = () => new Date().toISOString().slice(0, 10);

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <fieldset className="border-t border-surface-border pt-5 first:border-t-0 first:pt-0">
      <legend className="float-left w-full text-sm font-semibold tracking-wide text-ink-muted uppercase">{title}</legend>
      {description ? <p className="clear-both pt-1 text-sm text-ink-muted">{description}</p> : null}
      <div className="clear-both grid gap-4 pt-3 sm:grid-cols-2 lg:grid-cols-4">{children}</div>
    </fieldset>
  );
}

/**
 * Every demographic field, controlled, for registering and for editing. Labels are visible; the
 * server's field messages appear under their fields. Nothing here validates by itself: the server
 * says what is wrong in words a clerk understands, and the form keeps what was typed.
 */
export function DemographicsFields({ values, onChange, errors, providers, mode, ssnOnFile }: DemographicsFieldsProps) {
  const set = <K extends FieldName>(field: K) => (value: DemographicsValues[K]) => onChange({ [field]: value } as Partial<DemographicsValues>);

  const text = (field: FieldName, label: string, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField {...extra} label={label} value={values[field] as string} onChange={(e) => set(field)(e.target.value as never)} errors={errors[field]} />
  );

  const providerOptions = [
    { value: "", label: "None" },
    ...providers.map((p) => ({ value: p.id, label: p.name })),
    // A provider who left still shows on old records.
    ...(values.primaryCareProviderId && !providers.some((p) => p.id === values.primaryCareProviderId)
      ? [{ value: values.primaryCareProviderId, label: "Former provider" }]
      : []),
  ];
  const languageOptions = LANGUAGES.some((l) => l.value === values.preferredLanguage)
    ? LANGUAGES
    : [...LANGUAGES, { value: values.preferredLanguage, label: values.preferredLanguage }];

  const contacts = values.emergencyContacts.length ? values.emergencyContacts : [{ ...EMPTY_CONTACT }];
  const setContact = (index: number, patch: Partial<ContactValues>) =>
    onChange({ emergencyContacts: contacts.map((c, i) => (i === index ? { ...c, ...patch } : c)) });
  // The server names a contact's field by its place among the contacts sent, and blank ones are
  // not sent: "emergencyContacts.0.phone" is the first non-blank contact's phone.
  const contactErrors = (index: number, field: keyof ContactValues) => {
    if (blankContact(contacts[index]!)) return undefined;
    const sent = contacts.slice(0, index).filter((c) => !blankContact(c)).length;
    return errors[`emergencyContacts.${sent}.${field}`];
  };

  return (
    <div className="space-y-6">
      <Section title="Name">
        {text("givenName", "Given name", { autoComplete: "off", "aria-required": true, maxLength: 100 })}
        {text("middleName", "Middle name", { autoComplete: "off", maxLength: 100 })}
        {text("familyName", "Family name", { autoComplete: "off", "aria-required": true, maxLength: 100 })}
        {text("preferredName", "Preferred name", { autoComplete: "off", maxLength: 100, hint: "What they like to be called" })}
      </Section>

      <Section title="Birth and identity">
        {text("dateOfBirth", "Date of birth", { type: "date", min: "1900-01-01", max: today(), "aria-required": true })}
        <SelectField
          label="Sex assigned at birth"
          value={values.sex}
          onChange={(e) => set("sex")(e.target.value as Sex | "")}
          options={SEX_SELECT}
          errors={errors.sex}
          aria-required
        />
        {text("genderIdentity", "Gender identity", { maxLength: 60 })}
        {text("pronouns", "Pronouns", { maxLength: 30, placeholder: "e.g. she/her" })}
      </Section>

      <Section title="Contact">
        {text("phoneMobile", "Mobile phone", { type: "tel", autoComplete: "off", placeholder: "(617) 555-0123" })}
        {text("phoneHome", "Home phone", { type: "tel", autoComplete: "off" })}
        <div className="sm:col-span-2">{text("email", "Email", { type: "email", autoComplete: "off", maxLength: 254 })}</div>
        <div className="flex flex-wrap gap-x-8 gap-y-2 sm:col-span-2 lg:col-span-4">
          <CheckboxField label="OK to text" checked={values.allowSms} onChange={(e) => set("allowSms")(e.target.checked)} errors={errors.allowSms} />
          <CheckboxField label="OK to email" checked={values.allowEmail} onChange={(e) => set("allowEmail")(e.target.checked)} errors={errors.allowEmail} />
        </div>
      </Section>

      <Section title="Address">
        <div className="sm:col-span-2">{text("addressLine1", "Address line 1", { autoComplete: "off", maxLength: 120 })}</div>
        <div className="sm:col-span-2">{text("addressLine2", "Address line 2", { autoComplete: "off", maxLength: 120 })}</div>
        <div className="sm:col-span-2">{text("city", "City", { autoComplete: "off", maxLength: 80 })}</div>
        {text("region", "State", { autoComplete: "off", maxLength: 60, placeholder: "e.g. MA" })}
        {text("postalCode", "Postal code", { autoComplete: "off", maxLength: 20 })}
      </Section>

      <Section title="Care and preferences">
        <SelectField
          label="Preferred language"
          value={values.preferredLanguage}
          onChange={(e) => set("preferredLanguage")(e.target.value)}
          options={languageOptions}
          errors={errors.preferredLanguage}
        />
        <SelectField
          label="Marital status"
          value={values.maritalStatus}
          onChange={(e) => set("maritalStatus")(e.target.value as MaritalStatus | "")}
          options={MARITAL_OPTIONS}
          errors={errors.maritalStatus}
        />
        <div className="sm:col-span-2">
          <SelectField
            label="Primary care provider"
            value={values.primaryCareProviderId}
            onChange={(e) => set("primaryCareProviderId")(e.target.value)}
            options={providerOptions}
            errors={errors.primaryCareProviderId}
          />
        </div>
        <div className="sm:col-span-2 lg:col-span-4">
          <TextAreaField
            label="Alerts"
            rows={2}
            value={values.alerts}
            onChange={(e) => set("alerts")(e.target.value)}
            errors={errorsUnder(errors, "alerts")}
            hint="Shown on the banner of every page. One per line, e.g. Hard of hearing."
          />
        </div>
      </Section>

      <fieldset className="border-t border-surface-border pt-5">
        <legend className="float-left w-full text-sm font-semibold tracking-wide text-ink-muted uppercase">Emergency contacts</legend>
        <div className="clear-both space-y-4 pt-3">
          {contacts.map((contact, index) => {
            const prefix = index === 0 ? "Emergency contact" : "Second contact";
            return (
              <div key={index} className="space-y-2">
                <div className="grid items-end gap-4 sm:grid-cols-3">
                  <TextField
                    label={`${prefix} name`}
                    value={contact.name}
                    onChange={(e) => setContact(index, { name: e.target.value })}
                    autoComplete="off"
                    maxLength={100}
                    errors={contactErrors(index, "name")}
                  />
                  <TextField
                    label={`${prefix} relationship`}
                    value={contact.relation}
                    onChange={(e) => setContact(index, { relation: e.target.value })}
                    placeholder="e.g. spouse"
                    autoComplete="off"
                    maxLength={50}
                    errors={contactErrors(index, "relation")}
                  />
                  <TextField
                    label={`${prefix} phone`}
                    type="tel"
                    value={contact.phone}
                    onChange={(e) => setContact(index, { phone: e.target.value })}
                    autoComplete="off"
                    errors={contactErrors(index, "phone")}
                  />
                </div>
                {index > 0 ? (
                  <Button variant="ghost" size="sm" onClick={() => onChange({ emergencyContacts: contacts.filter((_, i) => i !== index) })}>
                    Remove second contact
                  </Button>
                ) : null}
              </div>
            );
          })}
          {errors.emergencyContacts?.length ? <p className="text-sm text-danger-700">{errors.emergencyContacts.join(" ")}</p> : null}
          {contacts.length < 2 ? (
            <Button variant="secondary" size="sm" onClick={() => onChange({ emergencyContacts: [...contacts, { ...EMPTY_CONTACT }] })}>
              Add a second contact
            </Button>
          ) : null}
        </div>
      </fieldset>

      <fieldset className="border-t border-surface-border pt-5">
        <legend className="float-left w-full text-sm font-semibold tracking-wide text-ink-muted uppercase">Identifiers</legend>
        <div className="clear-both grid gap-4 pt-3 sm:grid-cols-2">
          <TextField
            label={mode === "edit" && ssnOnFile ? "New SSN" : "SSN (optional)"}
            value={values.ssn}
            onChange={(e) => set("ssn")(maskSsnInput(e.target.value))}
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            placeholder="123-45-6789"
            errors={errorsUnder(errors, "identifiers")}
            hint={
              mode === "edit" && ssnOnFile
                ? `On file: •••-••-${ssnOnFile}. Leave empty to keep it.`
                : "Stored encrypted; afterwards only the last 4 digits are shown."
            }
          />
        </div>
      </fieldset>
    </div>
  );
}
