import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { env } from "../env.ts";
import { closeRedis, createRedis } from "../redis.ts";
import { sessionFromCookie } from "../auth/cookie-session.ts";
import type { ActiveSession } from "../auth/sessions.ts";
import { logger } from "../logger.ts";
import { authorizeRoom } from "./rooms.ts";
import { LIVE_DEGRADED, LIVE_RESYNC, SCREEN_NAMESPACE, socketChannel } from "./events.ts";
import { screenFromCookie } from "../modules/scheduling/screens.ts";
import { registerCollab } from "./collab.ts";
import { registerPresence, type PresenceData } from "./presence.ts";
import { closeNoteBroadcaster } from "../modules/charts/note-doc.ts";

export interface SocketData {
  session: ActiveSession;
  /** Where this socket is in a chart (server/realtime/presence.ts); read across processes by fetchSockets. */
  presence?: PresenceData;
}

type Emitting = { emit(event: string, payload: unknown): void };

export type SubscribeAck = (result: { ok: true; room: string } | { ok: false; reason: string }) => void;

/**
 * Socket.IO on the web server's HTTP server. The handshake is checked against the server-side
 * session (a signed-out or idle session is refused), every socket joins its own `user:` and
 * `session:` rooms, and any other room is joined only through `subscribe`, checked on the server.
 */
export function createRealtime(httpServer: HttpServer) {
  const pub = createRedis("socket-pub");
  const sub = pub.duplicate();
  sub.on("error", () => {});
  const io = new Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>(httpServer, {
    adapter: createAdapter(pub, sub, { key: socketChannel(env.REDIS_PREFIX) }),
    serveClient: false,
    // Leave other upgrade requests (Vite's HMR socket in development) alone.
    destroyUpgrade: false,
    // Same-origin app; browsers send the session cookie with the handshake.
    cors: { origin: false },
  });

  io.use(async (socket, next) => {
    try {
      const session = await sessionFromCookie(socket.handshake.headers.cookie);
      if (!session) return next(new Error("unauthorized"));
      socket.data.session = session;
      next();
    } catch (error) {
      logger.warn({ err: error }, "socket handshake check failed");
      next(new Error("unavailable"));
    }
  });

  // Paired waiting-room screens: their own namespace, their own credential, two fixed rooms, no
  // requests of any kind (server/modules/scheduling/screens.ts).
  const screens = io.of(SCREEN_NAMESPACE);
  screens.use(async (socket, next) => {
    try {
      const screen = await screenFromCookie(socket.handshake.headers.cookie);
      if (!screen) return next(new Error("unauthorized"));
      void socket.join([`location:${screen.locationId}`, `screen:${screen.id}`]);
      next();
    } catch (error) {
      logger.warn({ err: error }, "screen handshake check failed");
      next(new Error("unavailable"));
    }
  });

  // The adapter's subscriber is how other processes' events reach our sockets. While it is down
  // those events are lost though our sockets stay connected, so tell them ("live:degraded": the page
  // says it may be out of date) and, once it is back, tell them to resync ("live:resync": refetch
  // what they show, exchange note state). Control messages of this process only; no payload.
  let degraded = false;
  let closing = false;
  const tellLocal = (event: typeof LIVE_DEGRADED | typeof LIVE_RESYNC) => {
    (io.local as unknown as Emitting).emit(event, null);
    (io.of(SCREEN_NAMESPACE).local as unknown as Emitting).emit(event, null);
  };
  sub.on("close", () => {
    if (degraded || closing) return;
    degraded = true;
    logger.warn("live events from other processes are interrupted (Redis subscriber down)");
    tellLocal(LIVE_DEGRADED);
  });
  sub.on("ready", () => {
    if (!degraded) return;
    degraded = false;
    logger.info("live events from other processes resumed; clients told to resync");
    tellLocal(LIVE_RESYNC);
  });

  screens.on("connection", (socket) => {
    if (degraded) (socket as unknown as Emitting).emit(LIVE_DEGRADED, null);
  });

  io.on("connection", (socket) => {
    const { session } = socket.data;
    if (degraded) (socket as unknown as Emitting).emit(LIVE_DEGRADED, null);
    void socket.join([`user:${session.user.id}`, `session:${session.sessionId}`]);

    socket.on("subscribe", async (requested: unknown, ack?: SubscribeAck) => {
      const reply: SubscribeAck = typeof ack === "function" ? ack : () => {};
      try {
        const decision = await authorizeRoom(session, requested);
        if (decision.ok) await socket.join(decision.room);
        reply(decision);
      } catch (error) {
        logger.warn({ err: error }, "room check failed");
        reply({ ok: false, reason: "could not check the room; try again" });
      }
    });

    socket.on("unsubscribe", async (requested: unknown) => {
      if (typeof requested === "string" && !requested.startsWith("session:") && requested !== `user:${session.user.id}`) {
        await socket.leave(requested);
      }
    });

    registerCollab(io, socket);
    registerPresence(io, socket);
  });

  async function close() {
    closing = true;
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await Promise.all([closeRedis(pub), closeRedis(sub), closeNoteBroadcaster()]);
  }

  return { io, close };
}
