/**
 * The relay floor for the collaboration benchmark (bench/lib/collab-bench.ts): a bare Socket.IO
 * server with the same Redis adapter as the web server, relaying the same `note:*` messages to the
 * same rooms, with nothing else: no session, no permission check, no PostgreSQL, no audit. Its
 * latency is what the transport alone costs; the difference to the real server is ours.
 *
 * Run as a child process: PORT, REDIS_URL, FLOOR_KEY; prints "collab floor ready".
 */
import { createServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import * as Y from "yjs";

const port = Number(process.env.PORT);
const pub = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0");
const sub = pub.duplicate();
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, adapter: createAdapter(pub, sub, { key: process.env.FLOOR_KEY ?? "collab-floor:socket.io" }) });
const empty = new Y.Doc();

io.on("connection", (socket) => {
  socket.on("note:join", async ({ noteId }: { noteId: string }, ack: (reply: unknown) => void) => {
    await socket.join(`note:${noteId}`);
    ack({ ok: true, noteId, patientId: noteId, canEdit: true, signed: false, update: Y.encodeStateAsUpdate(empty), stateVector: Y.encodeStateVector(empty) });
  });
  socket.on("note:update", ({ noteId, update }: { noteId: string; update: Uint8Array }, ack: (reply: unknown) => void) => {
    socket.to(`note:${noteId}`).emit("note:update", { noteId, update });
    ack({ ok: true });
  });
  socket.on("note:awareness", ({ noteId, update }: { noteId: string; update: Uint8Array }) => {
    socket.to(`note:${noteId}`).emit("note:awareness", { noteId, update });
  });
  socket.on("note:leave", ({ noteId }: { noteId: string }) => void socket.leave(`note:${noteId}`));
});

httpServer.listen(port, "127.0.0.1", () => console.log(`collab floor ready on ${port}`));
process.on("SIGTERM", () => {
  io.close(() => {
    pub.disconnect();
    sub.disconnect();
    process.exit(0);
  });
});
