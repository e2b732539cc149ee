import { useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import { APPOINTMENT_EVENTS } from "./live";

/**
 * A paired waiting-room screen's live connection: the `/screen` namespace, authorised by the
 * screen's own cookie (server/modules/scheduling/screens.ts), already in its location's room.
 * `onChange` runs on every appointment event and after every reconnect (events sent while offline
 * are lost). When the screen is unpaired, the server closes the connection or refuses it, and the
 * page reloads to show that it is no longer paired.
 */
export function useScreenLive(onChange: () => void): { offline: boolean } {
  const [offline, setOffline] = useState(false);
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  });

  useEffect(() => {
    const socket = io("/screen", { path: "/socket.io", withCredentials: true });
    let connectedBefore = false;
    socket.on("connect", () => {
      setOffline(false);
      if (connectedBefore) handler.current();
      connectedBefore = true;
    });
    socket.on("disconnect", (reason) => {
      setOffline(true);
      if (reason === "io server disconnect") window.location.reload();
    });
    socket.on("connect_error", (error) => {
      setOffline(true);
      // Unpaired while we were away. (Not at once: a page that kept failing must not reload in a loop.)
      if (error.message === "unauthorized") window.setTimeout(() => window.location.reload(), 3_000);
      else if (!socket.active) window.setTimeout(() => socket.connect(), 5_000);
    });
    // The server lost, then regained, its link to the other web processes (server/realtime/io.ts).
    socket.on("live:degraded", () => setOffline(true));
    socket.on("live:resync", () => {
      setOffline(false);
      handler.current();
    });
    for (const event of APPOINTMENT_EVENTS) socket.on(event, () => handler.current());
    return () => {
      socket.close();
    };
  }, []);

  return { offline };
}
