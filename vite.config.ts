import { rm } from "node:fs/promises";
import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// Single fetch changes what useLoaderData infers (Dates stay Dates); tell the types.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * With Remix 2, plain `vite build` only builds the browser bundle; `remix vite:build` runs a
 * second, server build. This plugin runs that second build after the client one, so `vite build`
 * also produces build/server/index.js (which server/app.ts serves in production). It stays out of
 * the way when `remix vite:build` drives the builds itself.
 */
function remixServerBuild(): Plugin {
  let resolved: { root: string; mode: string; configFile: string | undefined; outDir: string } | undefined;
  let started = false;
  return {
    name: "carelane:remix-server-build",
    apply: (_config, env) => env.command === "build" && !env.isSsrBuild && !process.argv.includes("vite:build"),
    configResolved(config) {
      resolved = { root: config.root, mode: config.mode, configFile: config.configFile, outDir: config.build.outDir };
    },
    // writeBundle runs only after the client bundle was written successfully.
    async writeBundle() {
      if (started || !resolved) return;
      started = true;
      const { build } = await import("vite");
      await build({ root: resolved.root, mode: resolved.mode, configFile: resolved.configFile, build: { ssr: true } });
      // Remix needs the client's Vite manifest during the server build only; do not serve it.
      const clientDir = path.resolve(resolved.root, resolved.outDir);
      await rm(path.join(clientDir, ".vite"), { recursive: true, force: true });
      await rm(path.join(clientDir, "../server/.vite"), { recursive: true, force: true });
    },
  };
}

export default defineConfig({
  plugins: [
    tailwindcss(),
    // The Remix plugin would take over a Vitest run that falls back to this file.
    !process.env.VITEST && [
      remix({
        ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
          // Scan every route for dependencies when the dev server starts. Otherwise Vite finds a
          // route's imports only when it is first opened, re-bundles, and reloads the page (which
          // can briefly run two copies of React: "Invalid hook call").
          unstable_optimizeDeps: true,
        },
      }),
      remixServerBuild(),
    ],
    tsconfigPaths(),
  ],
});
