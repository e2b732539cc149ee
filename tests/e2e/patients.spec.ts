import { expect, test, type Page } from "@playwright/test";
import { random, signIn } from "./support";

/**
 * The front desk finds and registers patients; clinicians see changes live. The e2e database is
 * shared by every spec and worker, and a reused local server keeps it between runs, so records
 * made here get a date of birth and phone numbers of their own per run.
 */
/** A date of birth between 1940 and 1989 that earlier runs almost surely did not use. */
function uniqueDateOfBirth(): string {
  const day = new Date(Date.UTC(1940, 0, 1) + random(0, 50 * 365) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** The seeded patients all have 617 numbers; 413 ones with random digits match nobody else. */
const uniquePhone = () => `(413) 555-${String(random(100, 9999)).padStart(4, "0")}`;

const banner = (page: Page) => page.getByRole("region", { name: "Patient banner" });
// Read-only values are <dd>s labelled by their <dt> (aria-labelledby).
const bannerMrn = (page: Page) => banner(page).getByLabel("MRN", { exact: true });
const demographic = (page: Page, label: string) => page.getByRole("region", { name: "Demographics" }).getByLabel(label, { exact: true });
const searchBox = (page: Page) => page.getByLabel("Search patients");
const results = (page: Page) => page.getByRole("grid", { name: "Matching patients" });
/** Result rows (the first row of the grid is its header). */
const resultRows = (page: Page) => results(page).locator("tbody tr");

async function settledResults(page: Page) {
  await expect(results(page)).not.toHaveAttribute("aria-busy", "true");
  await expect(page.getByText(/Showing \d+–\d+/)).toBeVisible();
}

interface NewPatient {
  given: string;
  family: string;
  dateOfBirth: string;
  sex: "Female" | "Male" | "Intersex" | "Unknown";
  mobile: string;
}

async function fillRegistration(page: Page, patient: NewPatient) {
  await page.getByLabel("Given name").fill(patient.given);
  await page.getByLabel("Family name").fill(patient.family);
  await page.getByLabel("Date of birth").fill(patient.dateOfBirth);
  await page.getByLabel("Sex assigned at birth").selectOption({ label: patient.sex });
  await page.getByLabel("Mobile phone").fill(patient.mobile);
}

test("the front desk registers a look-alike patient past the duplicate warning, edits the phone, and a nurse sees it live and saves her own edit over theirs", async ({ browser }) => {
  // Two sign-ins, two registrations and an edit: longer than one page's journey.
  test.slow();
  const dateOfBirth = uniqueDateOfBirth();
  const reception = await signIn(browser, "reception@carelane.test");
  await reception.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Patients" }).click();
  await expect(reception.getByRole("heading", { level: 1, name: "Patients" })).toBeVisible();

  // A patient to find (and later to be mistaken for).
  await reception.getByRole("link", { name: "Register patient" }).click();
  await expect(reception.getByRole("heading", { level: 1, name: "Register patient" })).toBeVisible();
  await fillRegistration(reception, { given: "Zebulon", family: "Quistgaard", dateOfBirth, sex: "Male", mobile: uniquePhone() });
  // A mistyped contact phone is refused by that very field, and nothing typed is lost.
  await reception.getByLabel("Emergency contact name").fill("Wilhelmina Quistgaard");
  await reception.getByLabel("Emergency contact relationship").fill("sister");
  const contactPhone = reception.getByLabel("Emergency contact phone");
  await contactPhone.fill("12");
  await reception.getByRole("button", { name: "Register patient" }).click();
  await expect(contactPhone).toHaveAccessibleDescription(/not a valid phone number/);
  await expect(reception.getByLabel("Emergency contact name")).toHaveValue("Wilhelmina Quistgaard");
  await contactPhone.fill(uniquePhone());
  await reception.getByRole("button", { name: "Register patient" }).click();
  await expect(banner(reception).getByRole("heading", { level: 1 })).toHaveText("Quistgaard, Zebulon");
  const firstMrn = (await bannerMrn(reception).textContent())!.trim();
  expect(firstMrn).toMatch(/^\d{8}$/);

  // A misspelt search finds them. Newest MRN first, in case earlier runs left other Zebulons.
  await reception.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Patients" }).click();
  await searchBox(reception).fill("zebulon quistgard");
  await settledResults(reception);
  const mrnHeader = results(reception).getByRole("columnheader", { name: "MRN" });
  await mrnHeader.getByRole("button").click();
  await expect(mrnHeader).toHaveAttribute("aria-sort", "ascending");
  await mrnHeader.getByRole("button").click();
  await expect(mrnHeader).toHaveAttribute("aria-sort", "descending");
  await settledResults(reception);
  await expect(resultRows(reception).filter({ hasText: firstMrn })).toContainText("Quistgaard, Zebulon");

  // Registering someone with a near-identical name and the same birthday warns before saving.
  // (Not "Quistgard": an exact family-name match would stop later runs' misspelt search above
  // at that record, before the typo-tolerant tier finds "Quistgaard".)
  await reception.getByRole("link", { name: "Register patient" }).click();
  const secondPhone = uniquePhone();
  await fillRegistration(reception, { given: "Zebulun", family: "Quistgaard", dateOfBirth, sex: "Male", mobile: secondPhone });
  const duplicates = reception.getByRole("region", { name: "Possible duplicates" });
  await expect(duplicates).toBeVisible();
  const match = duplicates.getByRole("listitem").filter({ hasText: firstMrn });
  await expect(match).toContainText("Quistgaard, Zebulon");
  await expect(match).toContainText("same date of birth and similar name");
  await expect(match.getByRole("link", { name: /^Open/ })).toHaveAttribute("href", /\/patients\/[0-9a-f-]{36}$/);

  // Saving without confirming is refused, and nothing typed is lost.
  await reception.getByRole("button", { name: "Register patient" }).click();
  await expect(reception.getByRole("alert")).toContainText("This may be a patient we already have");
  await expect(reception.getByLabel("Given name")).toHaveValue("Zebulun");
  await expect(reception.getByLabel("Mobile phone")).toHaveValue(secondPhone);

  await duplicates.getByLabel("This is a different person — register anyway").check();
  await reception.getByRole("button", { name: "Register patient" }).click();
  await expect(banner(reception).getByRole("heading", { level: 1 })).toHaveText("Quistgaard, Zebulun");
  await expect(bannerMrn(reception)).not.toHaveText(firstMrn);
  await expect(demographic(reception, "Mobile phone")).toHaveText(secondPhone);
  const patientUrl = reception.url();

  // A nurse has the new record open in another browser.
  const nurse = await signIn(browser, "nurse@carelane.test");
  await nurse.goto(patientUrl);
  await expect(demographic(nurse, "Mobile phone")).toHaveText(secondPhone);
  // Let the live connection join the patient's room before anything changes.
  await nurse.waitForLoadState("networkidle");

  // The receptionist corrects the mobile number.
  await reception.getByRole("button", { name: "Edit demographics" }).click();
  const form = reception.getByRole("form", { name: "Edit demographics" });
  await form.getByLabel("Mobile phone").fill("413-555-0142");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form).toHaveCount(0);
  await expect(demographic(reception, "Mobile phone")).toHaveText("(413) 555-0142");

  // The nurse's page shows it without reloading.
  await expect(demographic(nurse, "Mobile phone")).toHaveText("(413) 555-0142", { timeout: 5_000 });

  // Both edit at once: the nurse adds an email while the receptionist changes the home phone.
  await nurse.getByRole("button", { name: "Edit demographics" }).click();
  const nurseForm = nurse.getByRole("form", { name: "Edit demographics" });
  await nurseForm.getByLabel("Email", { exact: true }).fill("zebulun.q@example.com");
  const homePhone = uniquePhone();
  await reception.getByRole("button", { name: "Edit demographics" }).click();
  await form.getByLabel("Home phone").fill(homePhone);
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form).toHaveCount(0);

  // Her open form says so; her save is refused with both versions of what she changed, while the
  // field she did not touch already shows theirs.
  await expect(nurseForm.getByRole("status").filter({ hasText: "changed this patient's record while you were editing" })).toBeVisible({ timeout: 5_000 });
  await nurseForm.getByRole("button", { name: "Save changes" }).click();
  const refused = nurseForm.getByRole("alert");
  await expect(refused).toContainText("Not saved: this patient's record was changed by");
  await expect(refused.getByTestId("conflict-theirs")).toHaveText("(empty)");
  await expect(refused.getByTestId("conflict-yours")).toHaveText("zebulun.q@example.com");
  await expect(nurseForm.getByLabel("Home phone")).toHaveValue(homePhone);
  await refused.getByRole("button", { name: "Save mine over theirs" }).click();
  await expect(nurseForm).toHaveCount(0);
  await expect(demographic(nurse, "Email")).toHaveText("zebulun.q@example.com");
  await expect(demographic(nurse, "Home phone")).toHaveText(homePhone);
  await expect(demographic(reception, "Email")).toHaveText("zebulun.q@example.com", { timeout: 5_000 });
});

test("a search by MRN opens that patient", async ({ browser }) => {
  const page = await signIn(browser, "billing@carelane.test");
  await page.goto("/patients");
  // Billing may read patients but not register them.
  await expect(page.getByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Register patient" })).toHaveCount(0);

  // Take a seeded patient from a name search…
  await searchBox(page).fill("mar");
  await settledResults(page);
  const row = resultRows(page).first();
  const mrn = (await row.locator("td").first().textContent())!.trim();
  const name = (await row.locator("td").nth(1).textContent())!.trim();
  expect(mrn).toMatch(/^\d{8}$/);

  // …and find them again by MRN: one row, matched by MRN.
  await searchBox(page).fill(mrn);
  await expect(page.getByText(/matched by MRN/)).toBeVisible();
  await expect(resultRows(page)).toHaveCount(1);
  await expect(resultRows(page).first()).toContainText(name);
  await results(page).getByRole("link", { name }).click();

  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(bannerMrn(page)).toHaveText(mrn);
  await expect(banner(page).getByRole("heading", { level: 1 })).toHaveText(name);
});

test("keyboard: / focuses the search, ArrowDown highlights the first row and Enter opens it", async ({ browser }) => {
  const page = await signIn(browser, "physician@carelane.test");
  await page.goto("/patients");

  await page.getByRole("heading", { level: 1, name: "Patients" }).click();
  await expect(searchBox(page)).not.toBeFocused();
  await page.keyboard.press("/");
  await expect(searchBox(page)).toBeFocused();

  await page.keyboard.type("john");
  await settledResults(page);
  const first = resultRows(page).first();
  await expect(first).toHaveAttribute("aria-selected", "false");
  await page.keyboard.press("ArrowDown");
  await expect(first).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowDown");
  await expect(first).toHaveAttribute("aria-selected", "false");
  await page.keyboard.press("ArrowUp");
  await expect(first).toHaveAttribute("aria-selected", "true");
  const mrn = (await first.locator("td").first().textContent())!.trim();

  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);
  await expect(bannerMrn(page)).toHaveText(mrn);
  // A clinician also sees the medical history.
  await expect(page.getByRole("heading", { level: 2, name: "Medical history" })).toBeVisible();
});

test("an administrator merges a duplicate; opening the duplicate leads to the survivor, and the merge can be undone", async ({ browser }) => {
  test.slow();
  const admin = await signIn(browser, "admin@carelane.test");
  const family = "Vandermolen";
  const register = async (given: string, dateOfBirth: string) => {
    await admin.goto("/patients/new");
    await fillRegistration(admin, { given, family, dateOfBirth, sex: "Female", mobile: uniquePhone() });
    await admin.getByRole("button", { name: "Register patient" }).click();
    await expect(banner(admin).getByRole("heading", { level: 1 })).toHaveText(`${family}, ${given}`);
    return { url: admin.url(), mrn: (await bannerMrn(admin).textContent())!.trim() };
  };
  const duplicate = await register("Ottilie", uniqueDateOfBirth());
  const survivor = await register("Ottilie", uniqueDateOfBirth());

  // On the survivor's page: find the duplicate by MRN and confirm.
  await admin.getByRole("button", { name: "Merge duplicate…" }).click();
  const dialog = admin.getByRole("dialog", { name: "Merge a duplicate into this record" });
  await dialog.getByLabel("Find the duplicate record").fill(duplicate.mrn);
  await expect(dialog.getByText(/matched by MRN/)).toBeVisible();
  await dialog.getByLabel("Find the duplicate record").press("ArrowDown");
  await dialog.getByLabel("Find the duplicate record").press("Enter");
  await dialog.getByRole("button", { name: `Merge MRN ${duplicate.mrn} into MRN ${survivor.mrn}` }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByRole("status").filter({ hasText: `MRN ${duplicate.mrn} was merged into this record.` })).toBeVisible();

  // Anyone opening the duplicate lands on the survivor, told why.
  const reception = await signIn(browser, "reception@carelane.test");
  await reception.goto(duplicate.url);
  await expect(reception).toHaveURL(new RegExp(`${survivor.url}\\?mergedFrom=`));
  await expect(bannerMrn(reception)).toHaveText(survivor.mrn);
  await expect(reception.getByText(`You opened MRN ${duplicate.mrn}, which was merged into this record.`)).toBeVisible();
  await expect(reception.getByRole("button", { name: "Undo merge" })).toHaveCount(0);

  // The administrator undoes it from the merged record itself.
  await admin.getByRole("link", { name: "View merged record" }).click();
  await expect(banner(admin).getByText("Merged")).toBeVisible();
  await admin.getByRole("button", { name: "Undo merge" }).click();
  await expect(banner(admin).getByText("Active")).toBeVisible();
  await expect(bannerMrn(admin)).toHaveText(duplicate.mrn);
});
