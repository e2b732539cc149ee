import { expect, test, type Locator, type Page } from "@playwright/test";
import { registerPatient, signIn } from "./support";

/**
 * The medical history, kept by two people at once: the physician records and corrects a
 * condition while a nurse has the same patient open; the nurse sees each change without
 * reloading; the nurse's edit of a version the physician has since changed is refused with the
 * physician's name and both versions side by side; a removal disappears everywhere. Each run
 * registers its own patient, so runs and parallel specs never share a history.
 */
const PHYSICIAN = "Dr. Priya Raman";
const HYPERTENSION = "Essential (primary) hypertension";

const conditions = (page: Page) => page.getByRole("region", { name: /^Past conditions/ });
const hypertension = (page: Page): Locator => conditions(page).getByRole("listitem").filter({ hasText: HYPERTENSION });

test("a physician adds, edits and removes a condition; a nurse sees each change live and her stale edit shows both versions", async ({ browser }) => {
  // Two sign-ins and a registration before the journey itself.
  test.slow();
  const physician = await signIn(browser, "physician@carelane.test");
  const patientPath = await registerPatient(physician, { given: "Ottilie", familyPrefix: "Historia" });
  await expect(conditions(physician).getByText("No past conditions recorded.")).toBeVisible();

  // A nurse has the same patient open in another browser.
  const nurse = await signIn(browser, "nurse@carelane.test");
  await nurse.goto(patientPath);
  await expect(conditions(nurse).getByText("No past conditions recorded.")).toBeVisible();
  // Let the live connection join the patient's room before anything changes.
  await nurse.waitForLoadState("networkidle");

  // The physician adds an ICD-10 coded condition.
  await conditions(physician).getByRole("button", { name: "Add condition" }).click();
  const add = physician.getByRole("form", { name: "Add condition" });
  await add.getByRole("combobox", { name: "Condition" }).fill("essential hypertension");
  await add.getByRole("option").filter({ hasText: "I10" }).first().click();
  await expect(add.getByText("ICD-10 I10")).toBeVisible();
  await add.getByRole("button", { name: "Save condition" }).click();
  await expect(add).toHaveCount(0);
  await expect(hypertension(physician)).toContainText("I10");
  await expect(hypertension(physician)).toContainText("Active");
  await expect(hypertension(nurse)).toContainText("Active");

  // A field error shows next to its field, and the form keeps what was typed.
  await hypertension(physician).getByRole("button", { name: `Edit ${HYPERTENSION}` }).click();
  let edit = physician.getByRole("form", { name: "Edit condition" });
  await expect(edit.getByRole("combobox", { name: "Condition" })).toHaveValue(HYPERTENSION);
  await expect(edit.getByText("ICD-10 I10")).toBeVisible();
  await expect(edit.getByLabel("Resolved")).not.toBeChecked();
  await edit.getByLabel("Onset year").fill("1890");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByLabel("Onset year")).toHaveAccessibleDescription(/Onset year cannot be before 1900/);

  // The physician corrects it: resolved since 2015.
  await edit.getByLabel("Onset year").fill("2015");
  await edit.getByLabel("Resolved").check();
  await edit.getByLabel("Condition note").fill("Controlled after weight loss");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toHaveCount(0);
  await expect(hypertension(physician)).toContainText("Resolved");
  await expect(hypertension(physician)).toContainText("Since 2015");

  // The nurse's page shows it without reloading.
  await expect(hypertension(nurse)).toContainText("Resolved", { timeout: 5_000 });
  await expect(hypertension(nurse)).toContainText("Since 2015");
  await expect(hypertension(nurse)).toContainText("Controlled after weight loss");

  // The nurse starts an edit of that version…
  await hypertension(nurse).getByRole("button", { name: `Edit ${HYPERTENSION}` }).click();
  const nurseEdit = nurse.getByRole("form", { name: "Edit condition" });
  await expect(nurseEdit.getByLabel("Condition note")).toHaveValue("Controlled after weight loss");
  await nurseEdit.getByLabel("Condition note").fill("Patient reports home readings around 150/95");

  // …while the physician saves another change to the same note.
  await hypertension(physician).getByRole("button", { name: `Edit ${HYPERTENSION}` }).click();
  edit = physician.getByRole("form", { name: "Edit condition" });
  await edit.getByLabel("Condition note").fill("Controlled on lisinopril");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toHaveCount(0);
  await expect(hypertension(physician)).toContainText("Controlled on lisinopril");

  // The nurse's open form says who changed it; her save is refused with the physician's name.
  await expect(nurseEdit.getByRole("status").filter({ hasText: `${PHYSICIAN} changed this condition` })).toBeVisible();
  await nurseEdit.getByRole("button", { name: "Save changes" }).click();
  const refused = nurseEdit.getByRole("alert");
  await expect(refused).toContainText(`Not saved: this condition was changed by ${PHYSICIAN}`);
  await expect(nurseEdit.getByLabel("Condition note")).toHaveValue("Patient reports home readings around 150/95");

  // Both versions side by side, for the field she changed: his saved note, hers unsaved.
  await expect(refused.getByTestId("conflict-theirs")).toHaveText("Controlled on lisinopril");
  await expect(refused.getByTestId("conflict-yours")).toHaveText("Patient reports home readings around 150/95");
  await expect(refused.getByRole("button", { name: "Keep theirs" })).toBeVisible();

  // She saves hers over his; the physician sees it live.
  await refused.getByRole("button", { name: "Save mine over theirs" }).click();
  await expect(nurseEdit).toHaveCount(0);
  await expect(hypertension(nurse)).toContainText("Patient reports home readings around 150/95");
  await expect(hypertension(physician)).toContainText("Patient reports home readings around 150/95", { timeout: 5_000 });
  await expect(hypertension(physician)).toContainText("Recorded by Nora Nurse");

  // The physician removes it (two steps); it disappears in both browsers.
  await hypertension(physician).getByRole("button", { name: `Remove ${HYPERTENSION}` }).click();
  await hypertension(physician).getByRole("button", { name: `Confirm removing ${HYPERTENSION}` }).click();
  await expect(hypertension(physician)).toHaveCount(0);
  await expect(conditions(physician).getByText("No past conditions recorded.")).toBeVisible();
  await expect(hypertension(nurse)).toHaveCount(0, { timeout: 5_000 });
  await expect(conditions(nurse).getByText("No past conditions recorded.")).toBeVisible();
});

test("surgeries and family history: one form adds and edits, field errors sit by their fields, and a removal asks first", async ({ browser }) => {
  const physician = await signIn(browser, "physician@carelane.test");
  await registerPatient(physician, { given: "Ottilie", familyPrefix: "Historia" });

  // A surgery: added, then edited in the same form, prefilled.
  const surgeries = physician.getByRole("region", { name: /^Past surgeries/ });
  await surgeries.getByRole("button", { name: "Add surgery" }).click();
  const addSurgery = physician.getByRole("form", { name: "Add surgery" });
  await addSurgery.getByLabel("Procedure").fill("Appendectomy");
  await addSurgery.getByLabel("Date performed").fill("2009-06");
  await addSurgery.getByRole("button", { name: "Save surgery" }).click();
  await expect(addSurgery).toHaveCount(0);
  const appendectomy = surgeries.getByRole("listitem").filter({ hasText: "Appendectomy" });
  await expect(appendectomy).toBeVisible();

  await appendectomy.getByRole("button", { name: "Edit Appendectomy" }).click();
  const editSurgery = physician.getByRole("form", { name: "Edit surgery" });
  await expect(editSurgery.getByLabel("Procedure")).toHaveValue("Appendectomy");
  await expect(editSurgery.getByLabel("Date performed")).toHaveValue("2009-06");
  await editSurgery.getByLabel("Date performed").fill("2009-13");
  await editSurgery.getByRole("button", { name: "Save changes" }).click();
  await expect(editSurgery.getByLabel("Date performed")).toHaveAccessibleDescription(/Date performed is not a real date/);
  await editSurgery.getByLabel("Procedure").fill("Laparoscopic appendectomy");
  await editSurgery.getByLabel("Date performed").fill("2009-07-14");
  await editSurgery.getByRole("button", { name: "Save changes" }).click();
  await expect(editSurgery).toHaveCount(0);
  await expect(surgeries.getByRole("listitem").filter({ hasText: "Laparoscopic appendectomy" })).toBeVisible();

  // A family history entry: added, edited, then removed after confirming.
  const family = physician.getByRole("region", { name: /^Family history/ });
  await family.getByRole("button", { name: "Add family history" }).click();
  const addFamily = physician.getByRole("form", { name: "Add family history" });
  await addFamily.getByLabel("Relative", { exact: true }).fill("Mother");
  await addFamily.getByRole("combobox", { name: "Relative's condition" }).fill("Breast cancer");
  await addFamily.getByRole("button", { name: "Save family history" }).click();
  await expect(addFamily).toHaveCount(0);
  const mother = family.getByRole("listitem").filter({ hasText: "Breast cancer" });
  await expect(mother).toBeVisible();

  await mother.getByRole("button", { name: "Edit Mother: Breast cancer" }).click();
  const editFamily = physician.getByRole("form", { name: "Edit family history" });
  await expect(editFamily.getByLabel("Relative", { exact: true })).toHaveValue("Mother");
  await editFamily.getByLabel("Relative", { exact: true }).fill("Maternal aunt");
  await editFamily.getByLabel("Age at onset").fill("52");
  await editFamily.getByRole("button", { name: "Save changes" }).click();
  await expect(editFamily).toHaveCount(0);
  const aunt = family.getByRole("listitem").filter({ hasText: "Onset at age 52" });
  await expect(aunt).toContainText("Maternal aunt");

  await aunt.getByRole("button", { name: "Remove Maternal aunt: Breast cancer" }).click();
  await aunt.getByRole("button", { name: "Keep" }).click();
  await expect(aunt).toBeVisible();
  await aunt.getByRole("button", { name: "Remove Maternal aunt: Breast cancer" }).click();
  await aunt.getByRole("button", { name: "Confirm removing Maternal aunt: Breast cancer" }).click();
  await expect(family.getByText("No family history recorded.")).toBeVisible();
});
