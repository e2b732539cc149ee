import { Emitter } from "@socket.io/redis-emitter";
import type { Redis } from "ioredis";
import { env } from "../env.ts";
import { closeRedis, createRedis } from "../redis.ts";
import { EVENTS, SCREEN_NAMESPACE, socketChannel, type EventName, type EventPayload, type Room } from "./events.ts";

let client: Redis | undefined;
let emitter: Emitter | undefined;

function getEmitter(): Emitter {
  if (!emitter) {
    client = createRedis("emitter");
    emitter = new Emitter(client, { key: socketChannel(env.REDIS_PREFIX) });
  }
  return emitter;
}

/**
 * Sends an event to rooms on every web process, through Redis. Works the same from a web request
 * and from a worker. Call it after the transaction commits, never inside one: a rolled-back change
 * must not be announced. The payload is validated so nothing but ids and versions can leave.
 */
export function publish<E extends EventName>(event: E, payload: EventPayload<E>, rooms: Room[]): void {
  const checked = EVENTS[event].parse(payload);
  if (rooms.length === 0) return;
  getEmitter().to(rooms).emit(event, checked);
  // Paired waiting-room screens listen to their location's room in their own namespace.
  const locationRooms = rooms.filter((r) => r.startsWith("location:"));
  if (locationRooms.length) getEmitter().of(SCREEN_NAMESPACE).to(locationRooms).emit(event, checked);
}

/** Ends every socket of a session, on whichever web process holds it (sign-out, expiry). */
export async function disconnectSession(sessionId: string): Promise<void> {
  getEmitter().in(`session:${sessionId}`).disconnectSockets(true);
}

/** Closes a revoked waiting-room screen's connection, wherever it is (server/modules/scheduling/screens.ts). */
export function disconnectScreen(screenId: string): void {
  getEmitter().of(SCREEN_NAMESPACE).in(`screen:${screenId}`).disconnectSockets(true);
}

export async function closePublisher(): Promise<void> {
  if (client) await closeRedis(client);
  client = undefined;
  emitter = undefined;
}
