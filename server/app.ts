import express, { type NextFunction, type Request, type Response } from "express";
import compression from "compression";
import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import { ExpressAuth } from "@auth/express";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { ViteDevServer } from "vite";
import { authConfig } from "./auth/config.ts";
import { CLIENT_IP_HEADER } from "./auth/client-ip.ts";
import { sessionFromCookie } from "./auth/cookie-session.ts";
import { checkDb } from "./db.ts";
import { checkRedis } from "./redis.ts";
import { logger } from "./logger.ts";
import { isConnectionError } from "./errors.ts";
import { createRealtime } from "./realtime/io.ts";
import { contextFor, createHttpContext } from "./trpc/context.ts";
import { screenFromCookie } from "./modules/scheduling/screens.ts";
import { appRouter, createCaller } from "./trpc/router.ts";

/** How Remix is served: Vite middleware while developing, the built bundle otherwise, or not at all (API-only tests). */
export type RemixMode = "dev" | "build" | "none";

export interface WebServer {
  httpServer: HttpServer;
  url: string;
  close: () => Promise<void>;
}

async function health() {
  const [dbOk, redisOk] = await Promise.all([checkDb(), checkRedis()]);
  return {
    ok: dbOk && redisOk,
    body: { status: dbOk && redisOk ? "ok" : "degraded", db: dbOk ? "ok" : "down", redis: redisOk ? "ok" : "down" },
  };
}

function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  next();
}

/**
 * tRPC's Express adapter writes a JSON body through a web stream: `res.write(chunk)` then
 * `res.flush()`, no Content-Length. compression() then cannot see the size, so it gzipped even a
 * 55-byte answer (and flushed the gzip stream mid-response). Buffering a JSON body into one
 * `res.end(body)` with a Content-Length lets the default 1 kB threshold apply: small answers
 * go out as they are, larger ones are gzipped in one pass. Streamed responses (any other content
 * type, e.g. SSE or JSON lines) pass through untouched.
 */
function bufferJsonResponse(_req: Request, res: Response, next: NextFunction) {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const buffering = () => !res.headersSent && String(res.getHeader("content-type") ?? "").startsWith("application/json");
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!buffering() || !(chunk instanceof Uint8Array)) return write(chunk, ...rest);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return true;
  }) as Response["write"];
  const resWithFlush = res as Response & { flush?: () => void };
  const flush = resWithFlush.flush?.bind(res);
  resWithFlush.flush = () => {
    if (chunks.length === 0) flush?.();
  };
  res.end = ((...args: unknown[]) => {
    if (chunks.length === 0) return end(...args);
    const [last] = args;
    if (last instanceof Uint8Array) chunks.push(Buffer.from(last.buffer, last.byteOffset, last.byteLength));
    else if (typeof last === "string") chunks.push(Buffer.from(last));
    const body = Buffer.concat(chunks);
    chunks.length = 0;
    if (!res.headersSent) res.setHeader("Content-Length", body.length);
    return end(body);
  }) as Response["end"];
  next();
}

export async function createWebServer(options: { port: number; host?: string; remix: RemixMode }): Promise<WebServer> {
  const app = express();
  const httpServer = createServer(app);
  app.disable("x-powered-by");
  // Trust X-Forwarded-* only from a proxy on this machine; req.ip feeds the audit trail.
  app.set("trust proxy", "loopback");
  app.use(securityHeaders);
  app.use(compression());

  app.get("/healthz", async (_req, res) => {
    const { ok, body } = await health();
    res.status(ok ? 200 : 503).json(body);
  });

  app.use("/api/auth/*", (req, _res, next) => {
    req.headers[CLIENT_IP_HEADER] = req.ip ?? "";
    next();
  }, ExpressAuth(authConfig));

  app.use(
    "/api/trpc",
    bufferJsonResponse,
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req }) => createHttpContext(req),
      onError: ({ error, path: procedure }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ procedure, err: error.cause ?? error }, "procedure failed");
      },
    }),
  );

  const realtime = createRealtime(httpServer);

  let vite: ViteDevServer | undefined;
  if (options.remix !== "none") {
    let build: ServerBuild | (() => Promise<ServerBuild>);
    if (options.remix === "dev") {
      const { createServer: createViteServer } = await import("vite");
      vite = await createViteServer({ server: { middlewareMode: true, hmr: { server: httpServer } } });
      app.use(vite.middlewares);
      const devServer = vite;
      build = () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    } else {
      const buildDir = path.resolve("build");
      app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
      app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
      build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
    }
    app.all(
      "*",
      createRequestHandler({
        build,
        // Loaders call the same services through a tRPC caller bound to this request's session.
        getLoadContext: async (req) => {
          const session = await sessionFromCookie(req.headers.cookie);
          return { session, caller: createCaller(contextFor(session, req.ip ?? null)), screen: () => screenFromCookie(req.headers.cookie), clientIp: req.ip ?? null };
        },
      }),
    );
  }

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (isConnectionError(error)) {
      res.status(503).json({ error: "The database is unavailable; try again shortly.", dependency: "database" });
      return;
    }
    logger.error({ err: error }, "request failed");
    res.status(500).json({ error: "Something went wrong on our side." });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  return {
    httpServer,
    url: `http://127.0.0.1:${port}`,
    async close() {
      // Stop accepting, let in-flight requests finish, drop idle keep-alive connections.
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await realtime.close();
      await vite?.close();
      await closed;
    },
  };
}
