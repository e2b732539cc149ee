import { useId, useState, type FormEvent } from "react";
import { Button } from "~/components/ui/button";
import { controlClass } from "~/components/ui/field";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, trpc } from "~/lib/trpc";
import type { BoardRow } from "./types";

interface BoardRowActionsProps {
  row: BoardRow;
  /** The location's rooms. */
  rooms: string[];
  /** Rooms with a patient in them right now (offered, but marked). */
  occupied: ReadonlySet<string>;
  onChanged: () => void;
}

/** Room, start visit, check out: what the status allows, for roles with schedule:write. */
export function BoardRowActions({ row, rooms, occupied, onChanged }: BoardRowActionsProps) {
  const { toast } = useToast();
  const done = (message: string) => () => {
    toast({ tone: "success", title: message });
    onChanged();
  };
  const startVisit = trpc.scheduling.startVisit.useMutation({ onSuccess: done(`Visit started for ${row.patientName}.`) });
  const checkOut = trpc.scheduling.checkOut.useMutation({ onSuccess: done(`${row.patientName} checked out.`) });
  const busy = startVisit.isPending || checkOut.isPending;
  const canRoom = row.status === "ARRIVED" || row.status === "ROOMED";
  const canStart = row.status === "ARRIVED" || row.status === "ROOMED";
  const canCheckOut = row.status === "ROOMED" || row.status === "IN_VISIT";

  return (
    <div className="flex flex-wrap items-end gap-2">
      {canRoom && rooms.length === 0 ? <p className="text-xs text-ink-muted">No rooms are set up at this location.</p> : null}
      {canRoom && rooms.length > 0 ? <RoomControl key={`${row.appointmentId}:${row.version}`} row={row} rooms={rooms} occupied={occupied} disabled={busy} onRoomed={onChanged} /> : null}
      {canStart ? (
        <Button size="sm" className="whitespace-nowrap" variant="secondary" disabled={busy} onClick={() => startVisit.mutate({ appointmentId: row.appointmentId })}>
          Start visit<span className="sr-only"> for {row.patientName}</span>
        </Button>
      ) : null}
      {canCheckOut ? (
        <Button size="sm" className="whitespace-nowrap" variant="secondary" disabled={busy} onClick={() => checkOut.mutate({ appointmentId: row.appointmentId })}>
          Check out<span className="sr-only"> {row.patientName}</span>
        </Button>
      ) : null}
    </div>
  );
}

interface RoomControlProps {
  row: BoardRow;
  rooms: string[];
  occupied: ReadonlySet<string>;
  disabled: boolean;
  onRoomed: () => void;
}

function RoomControl({ row, rooms, occupied, disabled, onRoomed }: RoomControlProps) {
  const { toast } = useToast();
  const id = useId();
  const [room, setRoom] = useState(row.room ?? "");
  const mutation = trpc.scheduling.room.useMutation({
    meta: { silentErrors: true },
    onSuccess: (saved) => {
      toast({ tone: "success", title: `${row.patientName} roomed in ${saved.room}.` });
      onRoomed();
    },
  });
  // "Exam 2 already has a patient in it…" (someone roomed a patient there a moment ago).
  const error = mutation.error ? errorMessageOf(mutation.error) : null;
  const errorId = `${id}-error`;
  const unchanged = room.trim() === (row.room ?? "");

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!room.trim() || unchanged) return;
    mutation.mutate({ appointmentId: row.appointmentId, room: room.trim() });
  }

  const controlProps = {
    id,
    value: room,
    disabled: disabled || mutation.isPending,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
    className: `${controlClass} w-32 py-1`,
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-1">
      <div className="flex items-end gap-2">
        <div className="space-y-0.5">
          <label htmlFor={id} className="block text-xs font-medium text-ink-muted">
            Room<span className="sr-only"> for {row.patientName}</span>
          </label>
          <select {...controlProps} onChange={(e) => setRoom(e.target.value)}>
            <option value="">Choose…</option>
            {rooms.map((r) => (
              <option key={r} value={r} disabled={r !== row.room && occupied.has(r)}>
                {r !== row.room && occupied.has(r) ? `${r} (in use)` : r}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" size="sm" className="whitespace-nowrap" disabled={disabled || mutation.isPending || !room.trim() || unchanged}>
          {row.room ? "Move" : "Room"}
          <span className="sr-only"> {row.patientName}</span>
        </Button>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="max-w-64 text-xs text-danger-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
