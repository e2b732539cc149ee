import { formatDate, formatPhone, languageLabel, MARITAL_LABEL, SEX_LABEL } from "./format";
import type { CareProvider, MaritalStatus, Patient, RegisterInput, Sex, UpdateInput } from "./types";

export interface ContactValues {
  name: string;
  relation: string;
  phone: string;
}

/** What the demographics form holds: text as typed (the server parses and checks it). */
export type DemographicsValues = {
  givenName: string;
  middleName: string;
  familyName: string;
  preferredName: string;
  dateOfBirth: string;
  sex: Sex | "";
  genderIdentity: string;
  pronouns: string;
  phoneMobile: string;
  phoneHome: string;
  email: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  region: string;
  postalCode: string;
  preferredLanguage: string;
  maritalStatus: MaritalStatus | "";
  primaryCareProviderId: string;
  allowSms: boolean;
  allowEmail: boolean;
  /** One alert per line. */
  alerts: string;
  emergencyContacts: ContactValues[];
  /** Typed SSN; empty means "none given" (register) or "unchanged" (edit). */
  ssn: string;
};

export type FieldName = keyof DemographicsValues;

export const EMPTY_CONTACT: ContactValues = { name: "", relation: "", phone: "" };

export const EMPTY_VALUES: DemographicsValues = {
  givenName: "",
  middleName: "",
  familyName: "",
  preferredName: "",
  dateOfBirth: "",
  sex: "",
  genderIdentity: "",
  pronouns: "",
  phoneMobile: "",
  phoneHome: "",
  email: "",
  addressLine1: "",
  addressLine2: "",
  city: "",
  region: "",
  postalCode: "",
  preferredLanguage: "en",
  maritalStatus: "",
  primaryCareProviderId: "",
  allowSms: true,
  allowEmail: true,
  alerts: "",
  emergencyContacts: [{ ...EMPTY_CONTACT }],
  ssn: "",
};

export function valuesFromPatient(p: Patient): DemographicsValues {
  return {
    givenName: p.givenName,
    middleName: p.middleName ?? "",
    familyName: p.familyName,
    preferredName: p.preferredName ?? "",
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    genderIdentity: p.genderIdentity ?? "",
    pronouns: p.pronouns ?? "",
    phoneMobile: formatPhone(p.phoneMobile),
    phoneHome: formatPhone(p.phoneHome),
    email: p.email ?? "",
    addressLine1: p.addressLine1 ?? "",
    addressLine2: p.addressLine2 ?? "",
    city: p.city ?? "",
    region: p.region ?? "",
    postalCode: p.postalCode ?? "",
    preferredLanguage: p.preferredLanguage,
    maritalStatus: p.maritalStatus ?? "",
    primaryCareProviderId: p.primaryCareProvider?.id ?? "",
    allowSms: p.allowSms,
    allowEmail: p.allowEmail,
    alerts: p.alerts.join("\n"),
    emergencyContacts: p.emergencyContacts.length
      ? p.emergencyContacts.map((c) => ({ name: c.name, relation: c.relation, phone: formatPhone(c.phone) }))
      : [{ ...EMPTY_CONTACT }],
    ssn: "",
  };
}

export const blankContact = (c: ContactValues) => !c.name.trim() && !c.relation.trim() && !c.phone.trim();
const contactsOf = (v: DemographicsValues) => v.emergencyContacts.filter((c) => !blankContact(c));
const alertsOf = (v: DemographicsValues) =>
  v.alerts
    .split("\n")
    .map((a) => a.trim())
    .filter(Boolean);

/** The server turns empty optional text into null; required fields go as typed so it can name what is missing. */
const optional = (text: string) => (text.trim() ? text : null);

/** Everything except identifiers and contacts, as the API takes it. */
function demographicsInput(v: DemographicsValues) {
  return {
    givenName: v.givenName,
    middleName: optional(v.middleName),
    familyName: v.familyName,
    preferredName: optional(v.preferredName),
    dateOfBirth: v.dateOfBirth,
    // An unanswered select goes as "", which the server refuses with the field's own message.
    sex: v.sex as Sex,
    genderIdentity: optional(v.genderIdentity),
    pronouns: optional(v.pronouns),
    phoneMobile: optional(v.phoneMobile),
    phoneHome: optional(v.phoneHome),
    email: optional(v.email),
    addressLine1: optional(v.addressLine1),
    addressLine2: optional(v.addressLine2),
    city: optional(v.city),
    region: optional(v.region),
    postalCode: optional(v.postalCode),
    preferredLanguage: v.preferredLanguage,
    maritalStatus: v.maritalStatus || null,
    primaryCareProviderId: v.primaryCareProviderId || null,
    allowSms: v.allowSms,
    allowEmail: v.allowEmail,
    alerts: alertsOf(v),
  };
}

export function toRegisterInput(v: DemographicsValues, confirmDuplicate: boolean): RegisterInput {
  return {
    ...demographicsInput(v),
    emergencyContacts: contactsOf(v),
    identifiers: v.ssn.trim() ? [{ kind: "SSN", value: v.ssn }] : [],
    confirmDuplicate,
  };
}

/** Fields compared one by one (contacts and SSN are handled as wholes). */
export const SCALAR_FIELDS = (Object.keys(EMPTY_VALUES) as FieldName[]).filter((f) => f !== "emergencyContacts" && f !== "ssn");

export const sameValue = (a: DemographicsValues[FieldName], b: DemographicsValues[FieldName]) => JSON.stringify(a) === JSON.stringify(b);

/** The fields the user changed from `base`: the only ones an edit sends, so others' changes to the rest survive. */
export function changedFields(base: DemographicsValues, mine: DemographicsValues): FieldName[] {
  const changed: FieldName[] = SCALAR_FIELDS.filter((f) => !sameValue(base[f], mine[f]));
  if (!sameValue(contactsOf(base), contactsOf(mine))) changed.push("emergencyContacts");
  if (mine.ssn.trim()) changed.push("ssn");
  return changed;
}

export function toUpdateInput(id: string, version: number, base: DemographicsValues, mine: DemographicsValues): UpdateInput {
  const all = demographicsInput(mine);
  const patch: Record<string, unknown> = {};
  for (const field of changedFields(base, mine)) {
    if (field === "emergencyContacts") patch.emergencyContacts = contactsOf(mine);
    else if (field === "ssn") patch.identifiers = [{ kind: "SSN", value: mine.ssn }];
    else patch[field] = all[field];
  }
  return { id, version, ...patch } as UpdateInput;
}

/** Each field as the form labels it, for the conflict table. */
export const FIELD_LABELS: Record<FieldName, string> = {
  givenName: "Given name",
  middleName: "Middle name",
  familyName: "Family name",
  preferredName: "Preferred name",
  dateOfBirth: "Date of birth",
  sex: "Sex assigned at birth",
  genderIdentity: "Gender identity",
  pronouns: "Pronouns",
  phoneMobile: "Mobile phone",
  phoneHome: "Home phone",
  email: "Email",
  addressLine1: "Address line 1",
  addressLine2: "Address line 2",
  city: "City",
  region: "State",
  postalCode: "Postal code",
  preferredLanguage: "Preferred language",
  maritalStatus: "Marital status",
  primaryCareProviderId: "Primary care provider",
  allowSms: "OK to text",
  allowEmail: "OK to email",
  alerts: "Alerts",
  emergencyContacts: "Emergency contacts",
  ssn: "SSN",
};

/** One field as a person reads it in the conflict table ("Female", not "FEMALE"; never a whole SSN). */
export function shownValue(field: FieldName, v: DemographicsValues, providers: CareProvider[]): string {
  switch (field) {
    case "dateOfBirth":
      return v.dateOfBirth ? formatDate(v.dateOfBirth) : "";
    case "sex":
      return v.sex ? SEX_LABEL[v.sex] : "";
    case "maritalStatus":
      return v.maritalStatus ? MARITAL_LABEL[v.maritalStatus] : "";
    case "preferredLanguage":
      return languageLabel(v.preferredLanguage);
    case "primaryCareProviderId":
      return v.primaryCareProviderId ? (providers.find((p) => p.id === v.primaryCareProviderId)?.name ?? "another provider") : "";
    case "allowSms":
    case "allowEmail":
      return v[field] ? "yes" : "no";
    case "emergencyContacts":
      return contactsOf(v)
        .map((c) => `${c.name} (${c.relation}) ${c.phone}`)
        .join("\n");
    case "ssn":
      return v.ssn.trim() ? `new, ending ${v.ssn.replace(/\D/g, "").slice(-4)}` : "";
    default:
      return v[field];
  }
}
