import { useEffect, useRef, useState } from "react";
import type { PresenceListAck, PresenceMember } from "../../../server/realtime/presence.ts";
import { getSocket } from "../../lib/socket";

export type { PresenceMember };

const ROLE_LABEL: Record<string, string> = {
  PHYSICIAN: "Physician",
  NURSE: "Nurse",
  ADMIN: "Admin",
  RECEPTIONIST: "Receptionist",
  BILLING: "Billing",
  MANAGER: "Manager",
};

// Safety net for a process that died without telling anyone its sockets left.
const REFRESH_EVERY_MS = 30_000;

/**
 * Says where this tab is in the patient's chart, and returns everyone in it (this user's other
 * tabs included, marked `self`) across every web process. One per page: a tab has one place.
 */
export function usePresence(patientId: string, section: string): { members: PresenceMember[]; others: PresenceMember[] } {
  const [members, setMembers] = useState<PresenceMember[]>([]);
  const sectionRef = useRef(section);
  sectionRef.current = section;
  const announceRef = useRef<() => void>(() => {});

  useEffect(() => {
    const socket = getSocket();
    let alive = true;
    let listing = false;
    let again = false;
    const refresh = async () => {
      if (listing) {
        again = true;
        return;
      }
      listing = true;
      try {
        const ack = (await socket.timeout(5_000).emitWithAck("presence:list", { patientId })) as PresenceListAck;
        if (alive && ack.ok) setMembers(ack.members);
      } catch {
        // no answer (offline): the next change or reconnect refreshes
      } finally {
        listing = false;
        if (again && alive) {
          again = false;
          void refresh();
        }
      }
    };
    const announce = async () => {
      try {
        await socket.timeout(5_000).emitWithAck("presence:set", { patientId, section: sectionRef.current });
      } catch {
        // retried on reconnect
      }
      void refresh();
    };
    announceRef.current = () => void announce();
    const onChanged = (payload: { patientId?: string }) => {
      if (payload?.patientId === patientId) void refresh();
    };
    const onConnect = () => void announce();
    const onDisconnect = () => alive && setMembers([]);
    socket.on("presence:changed", onChanged);
    socket.on("connect", onConnect);
    socket.on("live:resync", onConnect); // others' joins and leaves may have been missed meanwhile
    socket.on("disconnect", onDisconnect);
    if (socket.connected) void announce();
    const timer = setInterval(() => void refresh(), REFRESH_EVERY_MS);
    return () => {
      alive = false;
      announceRef.current = () => {};
      clearInterval(timer);
      socket.off("presence:changed", onChanged);
      socket.off("connect", onConnect);
      socket.off("live:resync", onConnect);
      socket.off("disconnect", onDisconnect);
      if (socket.connected) socket.emit("presence:leave", { patientId });
      setMembers([]);
    };
  }, [patientId]);

  // A section change is a move, not a leave and a join.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    announceRef.current();
  }, [section]);

  return { members, others: members.filter((m) => !m.self) };
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter((part) => /^[\p{L}]/u.test(part))
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("") || "?";

const sectionLabel = (section: string) => section.charAt(0).toUpperCase() + section.slice(1).replace(/-/g, " ");

/** Avatars of the others who have this chart open, with the section each is in. */
export function ChartPresence({ patientId, section }: { patientId: string; section: string }) {
  const { others } = usePresence(patientId, section);
  if (others.length === 0) return <div data-testid="chart-presence" data-count={0} />;
  return (
    <div data-testid="chart-presence" data-count={others.length} className="flex items-center gap-2">
      <span className="text-xs text-ink-muted">Also here</span>
      <ul aria-label="Also in this chart" className="flex -space-x-1.5">
        {others.map((member) => {
          const where = `${member.name} (${ROLE_LABEL[member.role] ?? member.role}), in ${sectionLabel(member.section)}`;
          return (
            <li
              key={member.userId}
              data-testid="presence-avatar"
              data-user-id={member.userId}
              data-section={member.section}
              title={where}
              className="relative inline-flex h-7 w-7 items-center justify-center rounded-full text-[0.7rem] font-semibold text-white ring-2 ring-white"
              style={{ backgroundColor: member.color }}
            >
              <span aria-hidden="true">{initials(member.name)}</span>
              <span className="sr-only">{where}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
