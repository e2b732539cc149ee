import { defineConfig, devices } from "@playwright/test";

const CI = Boolean(process.env.CI);
// E2E_PORT lets a second run share the machine (scripts/e2e-server.ts follows it).
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`;

/**
 * End-to-end tests drive Debian's Chromium (no browser download here) against the BUILT app,
 * served by scripts/e2e-server.ts on a fresh `carelane_e2e` database. Run `npm run build` first.
 */
export default defineConfig({
  testDir: "tests/e2e",
  // Journeys share one seeded clinic; two workers keep the run short without crowding argon2 sign-ins.
  workers: 2,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "tsx scripts/e2e-server.ts",
    url: `${baseURL}/healthz`,
    reuseExistingServer: !CI,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
