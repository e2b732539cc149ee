import { createWebServer } from "../../server/app.ts";
import { env } from "../../server/env.ts";

// A web process without Remix, for tests that need several real processes sharing one Redis.
const server = await createWebServer({ port: env.PORT, host: "127.0.0.1", remix: "none" });
console.log(`web process ready on ${server.url}`);
process.on("SIGTERM", async () => {
  await server.close();
  process.exit(0);
});
