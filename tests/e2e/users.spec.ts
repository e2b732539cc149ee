import { expect, test, type Page } from "@playwright/test";

const PASSWORD = "carelane-demo";

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const addStaffForm = (page: Page) => page.getByRole("form", { name: "Add a staff member" });

test("an administrator adds a staff member, who is signed out at once when disabled", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, "admin@carelane.test", PASSWORD);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

  // Unique per run: a reused local e2e server keeps its database between runs.
  const name = `Tess Temp ${Date.now()}`;
  const email = `tess-${Date.now()}@carelane.test`;
  const form = addStaffForm(admin);
  await form.getByLabel("Full name").fill(name);
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption({ label: "Nurse" });
  await form.getByLabel("Temporary password").fill("temporary-pass-123");
  await form.getByRole("button", { name: "Add staff member" }).click();
  await expect(admin.getByText(`${name} can now sign in as Nurse.`)).toBeVisible();
  await expect(admin.getByRole("row", { name: new RegExp(name) })).toBeVisible();

  // The new nurse signs in in another browser.
  const nurse = await (await browser.newContext()).newPage();
  await signIn(nurse, email, "temporary-pass-123");
  await expect(nurse.getByRole("heading", { level: 1, name: "Clinical workspace" })).toBeVisible();

  // Disabling ends the session; the nurse's open page notices without reloading.
  await admin.getByRole("button", { name: `Disable ${name}` }).click();
  await expect(admin.getByRole("row", { name: new RegExp(name) }).getByText("Disabled")).toBeVisible();
  await expect(nurse).toHaveURL(/\/login\?expired=1/);
  await expect(nurse.getByText("Your session ended. Sign in again.")).toBeVisible();

  await nurse.getByLabel("Email").fill(email);
  await nurse.getByLabel("Password").fill("temporary-pass-123");
  await nurse.getByRole("button", { name: "Sign in" }).click();
  await expect(nurse.getByRole("alert")).toHaveText("Email or password is incorrect.");
});

test("the add-staff form shows the server's field errors next to the fields", async ({ page }) => {
  await signIn(page, "admin@carelane.test", PASSWORD);
  await page.goto("/users");

  const form = addStaffForm(page);
  await form.getByLabel("Full name").fill("Second Admin");
  await form.getByLabel("Email").fill("admin@carelane.test");
  await form.getByLabel("Role").selectOption({ label: "Administrator" });
  await form.getByLabel("Temporary password").fill("temporary-pass-123");
  await form.getByRole("button", { name: "Add staff member" }).click();

  await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("already in use")).toBeVisible();
  // The server's sentence also appears as a notification.
  await expect(page.getByText("An account with the email admin@carelane.test already exists.")).toBeVisible();
});
