import { expect, test, type Page } from "@playwright/test";
import { random, registerPatient, signIn } from "./support";

/**
 * A physician manages note templates and uses one: creates a template on the templates page,
 * opens an encounter for a patient of this run, applies the template to the still-empty note
 * (the text arrives in the live editor), records vitals with a mistyped weight and corrects it.
 */

const noteField = (page: Page, field: "subjective" | "objective" | "assessment" | "plan") => page.getByTestId(`note-editor-${field}`);

test("a physician creates a note template, applies it to an empty note and corrects a vitals value", async ({ browser }) => {
  test.slow();
  const physician = await signIn(browser, "physician@carelane.test");
  const templateName = `Cough clinic ${random(1000, 9999)}`;

  // The templates page: add a template for any visit type.
  await physician.goto("/templates");
  await expect(physician.getByRole("heading", { name: "Note templates", level: 1 })).toBeVisible();
  await physician.getByRole("button", { name: "Add template" }).click();
  const add = physician.getByRole("form", { name: "Add template" });
  await add.getByLabel("Name").fill(templateName);
  await add.getByLabel("Subjective").fill("Cough: duration, productive or dry.");
  await add.getByLabel("Plan").fill("Return if fever persists beyond three days.");
  await add.getByRole("button", { name: "Add template" }).click();
  await expect(physician.getByRole("table", { name: "Note templates" })).toContainText(templateName);

  // An encounter whose template is empty ("Other": a blank SOAP note).
  const patientPath = await registerPatient(physician, { given: "Tamsin", familyPrefix: "Templeton" });
  await physician.goto(`${patientPath}/chart`);
  await physician.getByRole("button", { name: "Ad hoc encounter" }).click();
  const adHoc = physician.getByRole("form", { name: "Ad hoc encounter" });
  await adHoc.getByLabel("Encounter type").selectOption({ label: "Other" });
  await adHoc.getByLabel("Reason for visit").fill("Cough");
  await adHoc.getByRole("button", { name: "Open encounter" }).click();
  await physician.waitForURL(/\/chart\/encounters\/[0-9a-f-]{36}$/);
  await expect(noteField(physician, "subjective")).toHaveAttribute("data-ready", "true");

  // Apply the template: the note is empty, so no question is asked.
  const picker = physician.getByTestId("template-picker");
  await picker.getByLabel("Note template").selectOption({ label: `${templateName} (any visit type)` });
  await picker.getByRole("button", { name: "Apply template" }).click();
  await expect(noteField(physician, "subjective")).toContainText("Cough: duration, productive or dry.");
  await expect(noteField(physician, "plan")).toContainText("Return if fever persists beyond three days.");
  // With text in the note, applying again asks first.
  await picker.getByLabel("Note template").selectOption({ label: `${templateName} (any visit type)` });
  await picker.getByRole("button", { name: "Apply template" }).click();
  await expect(picker.getByRole("alert")).toContainText("The note already has text");
  await picker.getByRole("button", { name: "Keep the note" }).click();

  // Vitals with a mistyped weight, then corrected.
  const panel = physician.getByTestId("encounter-vitals");
  await panel.getByRole("button", { name: "Record vitals" }).click();
  const form = physician.getByRole("form", { name: "Record vitals" });
  await form.getByRole("group", { name: "Weight unit" }).getByRole("button", { name: "kg" }).click();
  await form.getByRole("textbox", { name: /^Weight/ }).fill("720");
  await form.getByRole("button", { name: "Record vitals" }).click();
  await expect(form.getByText(/Weight 720 kg is not possible/).first()).toBeVisible();
  await form.getByRole("textbox", { name: /^Weight/ }).fill("172");
  await form.getByRole("button", { name: "Record vitals" }).click();
  await expect(panel).toContainText("172.0 kg");

  await panel.getByRole("button", { name: "Edit these vitals" }).click();
  const edit = physician.getByRole("form", { name: "Edit vitals" });
  await edit.getByLabel("Weight (kg)").fill("72");
  await edit.getByRole("button", { name: "Save vitals" }).click();
  await expect(edit).toHaveCount(0);
  await expect(panel).toContainText(/(?<!\d)72\.0 kg/);
  await expect(panel).not.toContainText("172.0 kg");

  // Whoever records in pounds corrects in pounds: the edit form follows the unit chosen when recording.
  await panel.getByRole("button", { name: "Record vitals" }).click();
  await physician.getByRole("form", { name: "Record vitals" }).getByRole("group", { name: "Weight unit" }).getByRole("button", { name: "lb" }).click();
  await panel.getByRole("button", { name: "Edit these vitals" }).click();
  const inPounds = physician.getByRole("form", { name: "Edit vitals" });
  await expect(inPounds.getByLabel("Weight (lb)")).toHaveValue("158.7");
  await inPounds.getByLabel("Weight (lb)").fill("160");
  await inPounds.getByRole("button", { name: "Save vitals" }).click();
  await expect(inPounds).toHaveCount(0);
  await expect(panel).toContainText(/(?<!\d)72\.6 kg/);

  // The vitals page shows the corrected value too.
  await physician.goto(`${patientPath}/chart/vitals`);
  await expect(physician.getByRole("table", { name: "Vitals on file" })).toContainText(/(?<!\d)72\.6 kg \(160\.0 lb\)/);
  await expect(physician.getByRole("table", { name: "Vitals on file" })).not.toContainText("172.0 kg");
});
