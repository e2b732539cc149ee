import { expect, test, type Page } from "@playwright/test";

/** The demo clinic seeded by scripts/e2e-server.ts (prisma/seed.ts). */
const PASSWORD = "carelane-demo";
const MENU = ["Home", "Patients", "Schedule", "Waiting room", "Note templates", "Audit log", "Users"] as const;

const DEMO_USERS = [
  { role: "ADMIN", email: "admin@carelane.test", heading: "Administration", menu: ["Home", "Patients", "Schedule", "Waiting room", "Note templates", "Audit log", "Users"] },
  { role: "PHYSICIAN", email: "physician@carelane.test", heading: "Clinical workspace", menu: ["Home", "Patients", "Schedule", "Waiting room", "Note templates"] },
  { role: "NURSE", email: "nurse@carelane.test", heading: "Clinical workspace", menu: ["Home", "Patients", "Schedule", "Waiting room"] },
  { role: "RECEPTIONIST", email: "reception@carelane.test", heading: "Front desk", menu: ["Home", "Patients", "Schedule", "Waiting room"] },
  { role: "BILLING", email: "billing@carelane.test", heading: "Billing", menu: ["Home", "Patients", "Schedule", "Waiting room"] },
  { role: "MANAGER", email: "manager@carelane.test", heading: "Clinic overview", menu: ["Home", "Schedule", "Waiting room", "Audit log"] },
] as const;

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const mainMenu = (page: Page) => page.getByRole("navigation", { name: "Main" });

for (const user of DEMO_USERS) {
  test(`${user.role} signs in, sees their home and menu, and signs out`, async ({ page }) => {
    await page.goto("/login");
    await signIn(page, user.email, PASSWORD);

    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1, name: user.heading })).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Welcome, / })).toBeVisible();

    // Exactly the links this role may use, in menu order; the others are not rendered at all.
    await expect(mainMenu(page).getByRole("link")).toHaveText([...user.menu]);
    for (const label of MENU.filter((item) => !(user.menu as readonly string[]).includes(item))) {
      await expect(mainMenu(page).getByRole("link", { name: label })).toHaveCount(0);
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

    // The session really ended: the home page asks to sign in again.
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });
}

test("a wrong password shows one error and does not sign in", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, "admin@carelane.test", "not-the-password");

  await expect(page).toHaveURL(/\/login\?error=CredentialsSignin/);
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
});

test("an unknown email shows the same error as a wrong password", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, "nobody@carelane.test", PASSWORD);

  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
});

test("a signed-out visit to /audit goes to sign-in, then back to /audit", async ({ page }) => {
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faudit$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  await signIn(page, "manager@carelane.test", PASSWORD);
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
});

test("a role without audit:read gets a 403 page for /audit, inside the signed-in layout", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, "reception@carelane.test", PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Front desk" })).toBeVisible();

  const response = await page.goto("/audit");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
  await expect(mainMenu(page).getByRole("link", { name: "Home" })).toBeVisible();
});

test("a login callbackUrl pointing to another site is ignored", async ({ page, baseURL }) => {
  await page.goto("/login?callbackUrl=%2F%2Fevil.example%2F");
  await signIn(page, "billing@carelane.test", PASSWORD);
  await expect(page).toHaveURL(new URL("/", baseURL).href);
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
});
