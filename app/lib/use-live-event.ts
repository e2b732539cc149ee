import { useEffect, useRef, useSyncExternalStore } from "react";
import { useRevalidator } from "@remix-run/react";
import type { EventName, EventPayload } from "../../server/realtime/events.ts";
import { closeSocket, getSocket, getStatus, joinRoom, leaveRoom, onReconnected, onSignedOut, subscribeStatus, type LiveStatus } from "./socket";
import { loginPath } from "./safe-redirect";

/** (name, payload) pairs, so that checking the name narrows the payload. */
type LiveEventArgs<E extends EventName> = E extends EventName ? [name: E, payload: EventPayload<E>] : never;
export type LiveEventHandler<E extends EventName> = (...args: LiveEventArgs<E> | [name: "reconnect", payload: null]) => void;
type AnyHandler = (name: string, payload: unknown) => void;

interface UseLiveEventOptions<E extends EventName> {
  /** e.g. `patient:<uuid>`; the `user:` room is joined by the server already. */
  rooms: readonly string[];
  events: readonly E[];
  /**
   * Called for every event, and with "reconnect" after the connection came back. Socket.IO is
   * at-most-once: events sent while offline are gone, so on "reconnect" refetch what you show.
   */
  onEvent: LiveEventHandler<E>;
}

export function useLiveEvent<E extends EventName>({ rooms, events, onEvent }: UseLiveEventOptions<E>): void {
  // The latest handler, without resubscribing every render.
  const handlerRef = useRef(onEvent);
  useEffect(() => {
    handlerRef.current = onEvent;
  });

  // Arrays are usually written inline; their contents are what matters.
  const roomsKey = rooms.join("\n");
  const eventsKey = events.join("\n");

  useEffect(() => {
    const socket = getSocket();
    const roomList = roomsKey ? roomsKey.split("\n") : [];
    const eventList = eventsKey ? eventsKey.split("\n") : [];
    const dispatch = (name: string, payload: unknown) => (handlerRef.current as AnyHandler)(name, payload);

    const listeners = eventList.map((name) => {
      const listener = (payload: unknown) => dispatch(name, payload);
      socket.on(name, listener);
      return [name, listener] as const;
    });
    // The page's data was loaded before these rooms were joined; anything announced in between
    // would be missed, so refetch once they are joined (as after a reconnect).
    let mounted = true;
    void Promise.all(roomList.map(joinRoom)).then(() => {
      if (mounted && roomList.length) dispatch("reconnect", null);
    });
    const stopReconnect = onReconnected(() => dispatch("reconnect", null));

    return () => {
      mounted = false;
      listeners.forEach(([name, listener]) => socket.off(name, listener));
      roomList.forEach(leaveRoom);
      stopReconnect();
    };
  }, [roomsKey, eventsKey]);
}

/** Reloads the route's loaders whenever one of `events` arrives in `rooms`, or after a reconnect. */
export function useLiveRevalidate(rooms: readonly string[], events: readonly EventName[]): void {
  const { revalidate } = useRevalidator();
  useLiveEvent({ rooms, events, onEvent: () => revalidate() });
}

/** "offline" while the live connection is down (Socket.IO keeps retrying by itself). */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribeStatus, getStatus, () => "online");
}

/**
 * Sends this tab to the sign-in page when its session ends: the server announces the expiry
 * (idle timeout, disabled account) or drops the connection. A full page load also resets all state.
 */
export function useSessionEndRedirect(sessionId: string): void {
  useLiveEvent({
    rooms: [],
    events: ["access.session.expired"],
    onEvent: (name, payload) => {
      // The user room spans all of this user's sessions; another device's sign-out is not ours.
      if (name === "access.session.expired" && payload.sessionId === sessionId) leave();
    },
  });
  useEffect(() => onSignedOut(leave), []);
}

let leaving = false;

function leave() {
  if (leaving) return;
  leaving = true;
  closeSocket();
  const here = window.location.pathname + window.location.search;
  window.location.assign(loginPath({ expired: true, callbackUrl: here }));
}
