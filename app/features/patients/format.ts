import type { IdentifierKind, MaritalStatus, PatientStatus, Sex, TobaccoStatus } from "./types";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A calendar date as people read it: "27 Mar 1984". Works on the YYYY-MM-DD text itself, so no
 * time zone can move a birthday. Partial dates from histories read "Jun 2014" and "2014".
 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "";
  const [year, month, day] = value.slice(0, 10).split("-");
  const monthName = month ? MONTHS[Number(month) - 1] : undefined;
  if (!monthName) return year ?? value;
  if (!day) return `${monthName} ${year}`;
  return `${Number(day)} ${monthName} ${year}`;
}

/** Whole years between a YYYY-MM-DD date of birth and `on` (today by default, local calendar). */
export function ageInYears(dateOfBirth: string, on: Date = new Date()): number {
  const [y, m, d] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const age = on.getFullYear() - y;
  const beforeBirthday = on.getMonth() + 1 < m || (on.getMonth() + 1 === m && on.getDate() < d);
  return beforeBirthday ? age - 1 : age;
}

export const formatAge = (years: number) => `${years} y`;

export const SEX_LABEL: Record<Sex, string> = { FEMALE: "Female", MALE: "Male", INTERSEX: "Intersex", UNKNOWN: "Unknown" };
export const SEX_OPTIONS = (Object.keys(SEX_LABEL) as Sex[]).map((value) => ({ value, label: SEX_LABEL[value] }));

export const STATUS_LABEL: Record<PatientStatus, string> = { ACTIVE: "Active", INACTIVE: "Inactive", DECEASED: "Deceased", MERGED: "Merged" };
export const STATUS_TONE = { ACTIVE: "ok", INACTIVE: "neutral", DECEASED: "danger", MERGED: "warn" } as const satisfies Record<PatientStatus, string>;

export const MARITAL_LABEL: Record<MaritalStatus, string> = {
  SINGLE: "Single",
  MARRIED: "Married",
  DOMESTIC_PARTNER: "Domestic partner",
  DIVORCED: "Divorced",
  SEPARATED: "Separated",
  WIDOWED: "Widowed",
  UNKNOWN: "Unknown",
};

export const IDENTIFIER_LABEL: Record<IdentifierKind, string> = { SSN: "SSN", NATIONAL_ID: "National ID", DRIVERS_LICENSE: "Driver's licence" };

export const TOBACCO_LABEL: Record<TobaccoStatus, string> = {
  NEVER: "Never smoked",
  FORMER: "Former smoker",
  CURRENT_EVERY_DAY: "Current smoker, every day",
  CURRENT_SOME_DAYS: "Current smoker, some days",
  UNKNOWN: "Unknown",
};

/** The languages front desks meet most; a record with another tag shows that tag as an extra option. */
export const LANGUAGES: readonly { value: string; label: string }[] = [
  { value: "en", label: "English" },
  { value: "es", label: "Spanish" },
  { value: "pt", label: "Portuguese" },
  { value: "zh", label: "Chinese" },
  { value: "vi", label: "Vietnamese" },
  { value: "ht", label: "Haitian Creole" },
  { value: "fr", label: "French" },
  { value: "ar", label: "Arabic" },
  { value: "ru", label: "Russian" },
  { value: "ko", label: "Korean" },
  { value: "tl", label: "Tagalog" },
  { value: "asl", label: "American Sign Language" },
];

export function languageLabel(tag: string): string {
  return LANGUAGES.find((l) => l.value === tag.toLowerCase())?.label ?? tag;
}

/** Stored numbers are E.164; North American ones read "(617) 555-0123", others stay as stored. */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return "";
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(value);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : value;
}

/** Formats an SSN while it is typed: digits only, dashes added, 9 digits at most. */
export function maskSsnInput(raw: string): string {
  const digits = raw.replace(/\D/g, "").slice(0, 9);
  if (digits.length <= 3) return digits;
  if (digits.length <= 5) return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

/** Only the last four are ever sent to the browser unless someone reveals the identifier. */
export function maskedIdentifier(kind: IdentifierKind, last4: string): string {
  return kind === "SSN" ? `•••-••-${last4}` : `••••${last4}`;
}

export function formatIdentifier(kind: IdentifierKind, value: string): string {
  return kind === "SSN" && /^\d{9}$/.test(value) ? `${value.slice(0, 3)}-${value.slice(3, 5)}-${value.slice(5)}` : value;
}

/** "Quistgaard, Zebulon (Zeb)": family name first, as lists and banners show it. */
export function listName(p: { familyName: string; givenName: string; preferredName?: string | null }): string {
  return `${p.familyName}, ${p.givenName}${p.preferredName ? ` (${p.preferredName})` : ""}`;
}
