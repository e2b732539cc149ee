import { io, type Socket } from "socket.io-client";

/**
 * One Socket.IO connection per tab, opened the first time something needs it (never on the
 * server, never on the sign-in page). Rooms are reference-counted so two components watching the
 * same patient share one subscription, and are joined again after every reconnect: the server
 * forgets a socket's rooms when the connection drops.
 */
export type LiveStatus = "online" | "offline";

type SubscribeAck = { ok: true; room: string } | { ok: false; reason: string };

let socket: Socket | undefined;
let hasConnected = false;
// Optimistic until the first failure, so the offline badge does not flash while the page loads.
let status: LiveStatus = "online";

const roomCounts = new Map<string, number>();
const statusListeners = new Set<() => void>();
const reconnectListeners = new Set<() => void>();
const signedOutListeners = new Set<() => void>();

function setStatus(next: LiveStatus) {
  if (status === next) return;
  status = next;
  statusListeners.forEach((listener) => listener());
}

// Rooms joined on the current connection, and pages waiting for a room to be joined.
const joined = new Set<string>();
const joinWaiters = new Map<string, (() => void)[]>();

function subscribeRoom(s: Socket, room: string): Promise<void> {
  return new Promise((resolve) => {
    s.timeout(5_000).emit("subscribe", room, (error: Error | null, ack?: SubscribeAck) => {
      // A refused room is a bug or a permission change; the page still works, only without live updates.
      if (error) console.warn(`live: no answer subscribing to ${room}`);
      else if (ack && !ack.ok) console.warn(`live: could not subscribe to ${room}: ${ack.reason}`);
      else joined.add(room);
      joinWaiters.get(room)?.forEach((wake) => wake());
      joinWaiters.delete(room);
      resolve();
    });
  });
}

export function getSocket(): Socket {
  if (typeof window === "undefined") throw new Error("The live connection exists only in the browser.");
  if (socket) return socket;

  const s = io({ path: "/socket.io", withCredentials: true });
  socket = s;

  s.on("connect", () => {
    setStatus("online");
    const isReconnect = hasConnected;
    hasConnected = true;
    // Rejoin every room first, then let pages refetch: an event sent in between is covered by the refetch.
    void Promise.all([...roomCounts.keys()].map((room) => subscribeRoom(s, room))).then(() => {
      if (isReconnect) reconnectListeners.forEach((listener) => listener());
    });
  });

  s.on("disconnect", (reason) => {
    joined.clear();
    if (socket !== s) return; // closed on purpose (sign-out)
    setStatus("offline");
    // The server drops a session's sockets when the session ends (sign-out elsewhere, idle, disabled).
    if (reason === "io server disconnect") signedOutListeners.forEach((listener) => listener());
  });

  // The server's link to the other web processes (Redis) dropped: events may be missed until it
  // says to resync, and then the page refetches as after a reconnect (rooms are still joined).
  s.on("live:degraded", () => setStatus("offline"));
  s.on("live:resync", () => {
    setStatus("online");
    reconnectListeners.forEach((listener) => listener());
  });

  s.on("connect_error", (error) => {
    if (socket !== s) return;
    setStatus("offline");
    // socket.active: a network failure that Socket.IO retries by itself. Otherwise the server refused
    // the handshake: "unauthorized" means the session is over; anything else, retry shortly.
    if (s.active) return;
    if (error.message === "unauthorized") signedOutListeners.forEach((listener) => listener());
    else window.setTimeout(() => socket === s && s.connect(), 5_000);
  });

  return s;
}

/** Closes this tab's connection on purpose, e.g. right before signing out, so it is not mistaken for an expiry. */
export function closeSocket(): void {
  const s = socket;
  socket = undefined;
  hasConnected = false;
  status = "online";
  s?.disconnect();
}

/** Joins a room (counted, so several components can share one); resolves once the server has let us in. */
export function joinRoom(room: string): Promise<void> {
  const count = roomCounts.get(room) ?? 0;
  roomCounts.set(room, count + 1);
  const s = getSocket();
  if (joined.has(room)) return Promise.resolve();
  const ready = new Promise<void>((resolve) => joinWaiters.set(room, [...(joinWaiters.get(room) ?? []), resolve]));
  if (count === 0 && s.connected) void subscribeRoom(s, room);
  return ready;
}

export function leaveRoom(room: string): void {
  const count = roomCounts.get(room) ?? 0;
  if (count <= 1) {
    roomCounts.delete(room);
    joined.delete(room);
    if (socket?.connected) socket.emit("unsubscribe", room);
  } else {
    roomCounts.set(room, count - 1);
  }
}

/**
 * Called after a reconnect, once rooms are joined again, and when the server says events may have
 * been missed ("live:resync"): the moment to refetch what is on screen.
 */
export function onReconnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** Called when the server ends this session's connection (the session is over). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function subscribeStatus(listener: () => void): () => void {
  getSocket(); // watching the status is a reason to connect
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

export function getStatus(): LiveStatus {
  return status;
}
