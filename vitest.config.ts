import { defineConfig } from "vitest/config";

// Kept apart from vite.config.ts so tests do not load the Remix plugin.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{server,jobs,app,tests}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["{server,jobs,tests}/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/global-integration.ts"],
          setupFiles: ["tests/setup/integration-env.ts"],
          // Real PostgreSQL and Redis; child processes start in some tests.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
    ],
  },
});
