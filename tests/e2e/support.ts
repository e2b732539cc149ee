import { expect, type Browser, type Page } from "@playwright/test";

/** What several journeys share: demo sign-in in a fresh browser, and a patient of the run's own. */

export const DEMO_PASSWORD = "carelane-demo";

/** Signs a demo user in within a new browser context (its own cookies), on the home page. */
export async function signIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  return page;
}

export const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** A made-up family name nobody else in the seeded clinic has: `prefix` plus six random letters. */
export const uniqueName = (prefix: string) => `${prefix}${Array.from({ length: 6 }, () => LETTERS[random(0, 25)]).join("")}`;

/**
 * Registers a patient of this run (unique family name, random birth date, a 413 phone no seeded
 * patient has) and returns the record's path, /patients/<id>. Each run gets its own, so runs and
 * parallel specs never share a chart or a history.
 */
export async function registerPatient(page: Page, name: { given: string; familyPrefix: string }): Promise<string> {
  await page.goto("/patients/new");
  await page.getByLabel("Given name").fill(name.given);
  await page.getByLabel("Family name").fill(uniqueName(name.familyPrefix));
  await page.getByLabel("Date of birth").fill(`19${random(50, 79)}-0${random(1, 9)}-1${random(0, 9)}`);
  await page.getByLabel("Sex assigned at birth").selectOption({ label: "Female" });
  await page.getByLabel("Mobile phone").fill(`(413) 555-${String(random(100, 9999)).padStart(4, "0")}`);
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(page.getByRole("region", { name: "Patient banner" })).toBeVisible();
  await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}
