import { expect, test, type Locator, type Page } from "@playwright/test";
import { registerPatient, signIn } from "./support";

/**
 * The chart, worked on by two people at once: the physician writes the note while the nurse
 * records vitals in the same encounter; each sees the other's work without reloading; the
 * physician signs, and from then on the nurse cannot change the note. A receptionist never gets
 * the chart. Each run registers its own patient, so runs and parallel specs never share a chart.
 */

/** One SOAP section of the co-edited note (CodeMirror), and its editable content. */
const noteField = (page: Page, field: "subjective" | "objective" | "assessment" | "plan") => page.getByTestId(`note-editor-${field}`);
const noteContent = (page: Page, field: "subjective" | "objective" | "assessment" | "plan"): Locator => noteField(page, field).locator(".cm-content");

test("the nurse records vitals while the physician writes the note; each sees the other's work live; signing locks the note", async ({ browser }) => {
  test.slow();
  const physician = await signIn(browser, "physician@carelane.test");
  const patientPath = await registerPatient(physician, { given: "Imogen", familyPrefix: "Chartwell" });

  // The chart, from the patient page.
  await physician.getByRole("navigation", { name: "Patient record" }).getByRole("link", { name: "Chart" }).click();
  const summary = physician.getByRole("region", { name: "Chart summary" });
  await expect(summary).toBeVisible();
  await expect(summary.getByText("Allergies not recorded")).toBeVisible();

  // An ad hoc encounter (the patient has no appointment).
  await physician.getByRole("button", { name: "Ad hoc encounter" }).click();
  const adHoc = physician.getByRole("form", { name: "Ad hoc encounter" });
  await adHoc.getByLabel("Encounter type").selectOption({ label: "Acute visit" });
  await adHoc.getByLabel("Reason for visit").fill("Cough and fever");
  await adHoc.getByRole("button", { name: "Open encounter" }).click();
  await physician.waitForURL(/\/chart\/encounters\/[0-9a-f-]{36}$/);
  const encounterUrl = physician.url();
  const encounterId = encounterUrl.split("/").at(-1)!;
  await expect(physician.getByRole("heading", { name: /Acute visit: Cough and fever/ })).toBeVisible();
  await expect(noteField(physician, "subjective")).toHaveAttribute("data-ready", "true");

  // The nurse opens the same encounter in her own browser.
  const nurse = await signIn(browser, "nurse@carelane.test");
  await nurse.goto(encounterUrl);
  await expect(noteField(nurse, "subjective")).toHaveAttribute("data-ready", "true");
  // Each sees the other in the chart.
  await expect(physician.getByTestId("chart-presence")).toHaveAttribute("data-count", "1");
  await expect(nurse.getByTestId("presence-avatar")).toHaveAttribute("title", /Dr\. Priya Raman/);

  // At the same time: the physician types the note, the nurse records vitals.
  const typed = "Three days of dry cough, fever to 38.9 at home.";
  const writeNote = async () => {
    await noteContent(physician, "subjective").click();
    await physician.keyboard.press("ControlOrMeta+End");
    await physician.keyboard.type(typed, { delay: 15 });
  };
  const recordVitals = async () => {
    const panel = nurse.getByTestId("encounter-vitals");
    await panel.getByRole("button", { name: "Record vitals" }).click();
    const form = nurse.getByRole("form", { name: "Record vitals" });
    await form.getByLabel("Systolic").fill("152");
    await form.getByLabel("Diastolic").fill("96");
    await form.getByLabel("Heart rate").fill("104");
    // Imperial entry: switch temperature to °F.
    await form.getByRole("group", { name: "Temperature unit" }).getByRole("button", { name: "°F" }).click();
    await form.getByRole("textbox", { name: /^Temperature/ }).fill("101.3");
    await form.getByLabel("SpO2").fill("97");
    // Flagged as typed, before saving.
    await expect(form.getByText("Abnormal: systolic ≥ 140 or < 90 mmHg")).toBeVisible();
    await form.getByRole("button", { name: "Record vitals" }).click();
    await expect(panel.getByText("152/96 mmHg")).toBeVisible();
  };
  await Promise.all([writeNote(), recordVitals()]);

  // The physician sees the nurse's vitals, flagged, without reloading: in the chart summary and in this visit.
  const lastVitals = summary.getByTestId("summary-vitals");
  await expect(lastVitals).toContainText("152/96 mmHg");
  await expect(lastVitals.getByLabel(/Blood pressure: 152\/96 mmHg, high/)).toBeVisible();
  await expect(lastVitals).toContainText("38.5 °C");
  await expect(physician.getByTestId("encounter-vitals")).toContainText("152/96 mmHg");

  // The nurse sees the physician's note text appear in her editor.
  await expect(noteContent(nurse, "subjective")).toContainText(typed);

  // A field error names the field, and what was typed stays.
  const panel = nurse.getByTestId("encounter-vitals");
  await panel.getByRole("button", { name: "Record vitals" }).click();
  const form = nurse.getByRole("form", { name: "Record vitals" });
  await form.getByLabel("SpO2").fill("140");
  await form.getByRole("button", { name: "Record vitals" }).click();
  await expect(form.getByText(/SpO2 140 % is not possible/)).toBeVisible();
  await expect(form.getByLabel("SpO2")).toHaveValue("140");
  await panel.getByRole("button", { name: "Close" }).click();

  // The physician signs the converged note.
  await expect(physician.getByTestId("note-editor-status")).toHaveAttribute("data-pending", "0");
  await physician.getByRole("button", { name: "Sign note" }).click();
  await physician.getByRole("button", { name: "Confirm signing" }).click();
  await expect(physician.getByTestId("note-signed")).toContainText("Signed by Dr. Priya Raman");
  await expect(noteField(physician, "subjective")).toHaveAttribute("data-ready", "false");

  // The nurse's editor turns read-only by itself; typing into it changes nothing.
  await expect(nurse.getByTestId("note-editor-status")).toContainText("Signed: read-only");
  await expect(nurse.getByTestId("note-signed")).toContainText("Signed by Dr. Priya Raman");
  await noteContent(nurse, "subjective").click();
  await nurse.keyboard.type(" Nurse adds this later.");
  await expect(noteContent(nurse, "subjective")).not.toContainText("Nurse adds this later");
  await expect(noteContent(nurse, "subjective")).toContainText(typed);
  // No Save or Sign any more; the note's addenda are the way to add to it.
  await expect(nurse.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(nurse.getByRole("button", { name: "Add addendum" })).toBeVisible();

  // A save sent anyway (a stale tab, a script) is refused by the server, naming the signature.
  const detail = await nurse.request.get(`/api/trpc/charts.encounter?input=${encodeURIComponent(JSON.stringify({ encounterId }))}`);
  const note = ((await detail.json()) as { result: { data: { note: { id: string; version: number } } } }).result.data.note;
  const refused = await nurse.request.post("/api/trpc/charts.saveNote", { data: { noteId: note.id, version: note.version, subjective: "Changed after signing" } });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/signed/i);

  // The nurse adds an addendum instead; the physician sees it live.
  await nurse.getByRole("button", { name: "Add addendum" }).click();
  await nurse.getByRole("form", { name: "Add addendum" }).getByLabel("Addendum").fill("Patient reports the cough started after a cold.");
  await nurse.getByRole("button", { name: "Save addendum" }).click();
  await expect(physician.getByRole("list", { name: "Addenda" })).toContainText("Patient reports the cough started after a cold.");
  await expect(physician.getByRole("list", { name: "Addenda" })).toContainText("Nora Nurse");

  // The timeline shows the signed encounter.
  await physician.getByRole("navigation", { name: "Chart sections" }).getByRole("link", { name: "Summary" }).click();
  await expect(physician.getByRole("list", { name: "Encounter timeline" })).toContainText("Signed by Dr. Priya Raman");

  // A receptionist has the patient's record but not the chart.
  const reception = await signIn(browser, "reception@carelane.test");
  await reception.goto(patientPath);
  await expect(reception.getByRole("region", { name: "Patient banner" })).toBeVisible();
  await expect(reception.getByRole("link", { name: "Chart" })).toHaveCount(0);
  await reception.goto(`${patientPath}/chart`);
  await expect(reception.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(reception.getByRole("region", { name: "Chart summary" })).toHaveCount(0);
  await reception.goto(encounterUrl);
  await expect(reception.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(reception.getByText(typed)).toHaveCount(0);
});

test("the chart's sections: problems, allergies, medications and labs, live on a second screen", async ({ browser }) => {
  test.slow();
  const physician = await signIn(browser, "physician@carelane.test");
  const patientPath = await registerPatient(physician, { given: "Imogen", familyPrefix: "Chartwell" });
  const chart = `${patientPath}/chart`;
  const nurse = await signIn(browser, "nurse@carelane.test");
  await nurse.goto(chart);
  const nurseSummary = nurse.getByRole("region", { name: "Chart summary" });
  await expect(nurseSummary.getByText("Allergies not recorded")).toBeVisible();
  await nurse.waitForLoadState("networkidle");

  // Allergies: "No known allergies", then an allergy replaces it.
  await physician.goto(`${chart}/allergies`);
  await physician.getByRole("button", { name: "No known allergies" }).click();
  await expect(physician.getByTestId("nka-recorded")).toContainText("No known allergies");
  await expect(nurseSummary.getByTestId("summary-allergies")).toContainText("No known allergies");
  await physician.getByRole("button", { name: "Add allergy" }).click();
  const allergy = physician.getByRole("form", { name: "Add allergy" });
  // A drug allergy is coded by picking: here the whole ACE-inhibitor class.
  await allergy.getByRole("combobox", { name: "Substance" }).fill("ace inh");
  await allergy.getByRole("option", { name: /ACE inhibitors/ }).click();
  await allergy.getByLabel("Reaction").fill("Angioedema");
  await allergy.getByLabel("Severity").selectOption({ label: "Moderate" });
  await allergy.getByRole("button", { name: "Add allergy" }).click();
  await expect(nurseSummary.getByTestId("summary-allergies")).toContainText("ACE inhibitors");

  // Problems, coded from the ICD-10 picker.
  await physician.getByRole("navigation", { name: "Chart sections" }).getByRole("link", { name: "Problems" }).click();
  await physician.getByRole("button", { name: "Add problem" }).click();
  const problem = physician.getByRole("form", { name: "Add problem" });
  await problem.getByRole("combobox", { name: "Diagnosis (ICD-10-CM)" }).fill("essential hypertension");
  await problem.getByRole("option", { name: /I10/ }).click();
  await expect(problem.getByTestId("picked-code")).toHaveText("I10");
  await problem.getByRole("button", { name: "Add problem" }).click();
  await expect(nurseSummary.getByTestId("summary-problems")).toContainText("I10");

  // Medications.
  await physician.getByRole("navigation", { name: "Chart sections" }).getByRole("link", { name: "Medications" }).click();
  await physician.getByRole("button", { name: "Add medication" }).click();
  const med = physician.getByRole("form", { name: "Add medication" });
  // Picked from RxNorm: coded, with the dose and route filled from the drug.
  await med.getByRole("combobox", { name: "Drug" }).fill("lisinopril 10");
  await med.getByRole("option", { name: /lisinopril 10 MG Oral Tablet/ }).first().click();
  await expect(med.getByLabel("Dose")).toHaveValue("10 mg");
  await med.getByLabel("Frequency").fill("once daily");
  await med.getByRole("button", { name: "Add medication" }).click();
  await expect(nurseSummary.getByTestId("summary-medications")).toContainText("lisinopril 10 MG Oral Tablet");

  // Two people edit the same medication: the second save is refused, naming who changed it,
  // with both versions side by side; "Save mine over theirs" applies it on top of theirs.
  await nurse.getByRole("navigation", { name: "Chart sections" }).getByRole("link", { name: "Medications" }).click();
  // The list flags it against the recorded class allergy.
  await expect(nurse.getByRole("table").getByText("Allergy: ACE inhibitors (lisinopril)")).toBeVisible();
  await nurse.getByRole("button", { name: "Edit lisinopril 10 MG Oral Tablet" }).click();
  await physician.getByRole("button", { name: "Edit lisinopril 10 MG Oral Tablet" }).click();
  const physicianEdit = physician.getByRole("form", { name: "Edit medication" });
  await physicianEdit.getByLabel("Dose").fill("20 mg");
  await physicianEdit.getByRole("button", { name: "Save medication" }).click();
  await expect(physicianEdit).toHaveCount(0);
  const nurseEdit = nurse.getByRole("form", { name: "Edit medication" });
  await nurseEdit.getByLabel("Dose").fill("15 mg");
  await nurseEdit.getByRole("button", { name: "Save medication" }).click();
  const conflict = nurseEdit.getByRole("alert");
  await expect(conflict).toContainText("changed by Dr. Priya Raman");
  await expect(conflict.getByTestId("conflict-theirs")).toHaveText("20 mg");
  await expect(conflict.getByTestId("conflict-yours")).toHaveText("15 mg");
  await conflict.getByRole("button", { name: "Save mine over theirs" }).click();
  await expect(nurseEdit).toHaveCount(0);
  await expect(physician.getByRole("table").getByText("15 mg")).toBeVisible();

  // Labs: order, result (flagged high), acknowledge.
  await physician.getByRole("navigation", { name: "Chart sections" }).getByRole("link", { name: "Labs" }).click();
  await physician.getByRole("button", { name: "Order lab" }).click();
  const order = physician.getByRole("form", { name: "Order lab" });
  await order.getByRole("combobox", { name: "Test (LOINC)" }).fill("glucose");
  await order.getByRole("option").first().click();
  await order.getByRole("button", { name: "Place order" }).click();
  const awaiting = physician.getByRole("list", { name: "Orders awaiting results" });
  await expect(awaiting.getByRole("listitem")).toHaveCount(1);
  await awaiting.getByRole("button", { name: /^Enter result for/ }).click();
  const result = physician.getByRole("form", { name: /^Result for/ });
  await result.getByLabel("Value").fill("182");
  await result.getByLabel("Unit").fill("mg/dL");
  await result.getByLabel("Reference low").fill("70");
  await result.getByLabel("Reference high").fill("99");
  await result.getByRole("button", { name: "Save result" }).click();
  const results = physician.getByRole("table", { name: "Lab results" });
  await expect(results).toContainText("182 mg/dL");
  await expect(results).toContainText("H · High");
  await expect(nurseSummary).toContainText("1 result to review");
  await results.getByRole("button", { name: /^Acknowledge/ }).click();
  await expect(results).toContainText("Acknowledged by Dr. Priya Raman");
  await expect(nurseSummary.getByText("1 result to review")).toHaveCount(0);

  // A result from an outside lab, without an order of ours: the test is picked with the result.
  await physician.getByRole("button", { name: "Enter an outside result" }).click();
  const outside = physician.getByRole("form", { name: "Outside result" });
  await outside.getByRole("button", { name: "Save result" }).click();
  await expect(outside.getByText("Choose the test")).toBeVisible();
  await outside.getByRole("combobox", { name: "Test (LOINC)" }).fill("a1c");
  await outside.getByRole("option").first().click();
  await outside.getByLabel("Value").fill("6.1");
  await outside.getByLabel("Unit").fill("%");
  await outside.getByLabel("Reference high").fill("5.6");
  await outside.getByRole("button", { name: "Save result" }).click();
  await expect(results).toContainText("6.1 %");
  await expect(nurseSummary).toContainText("1 result to review");
});
