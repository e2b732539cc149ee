import { useState, type FormEvent } from "react";
import { Button } from "~/components/ui/button";
import { Dialog } from "~/components/ui/dialog";
import { TextAreaField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { useToast } from "~/components/ui/toast";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { formatTime } from "./format";
import type { Appointment } from "./types";

interface AppointmentActionsProps {
  appointment: Appointment;
  /** Check-in is only possible on the appointment's own day. */
  isToday: boolean;
  /** The start has passed (no-show makes sense only then). Null before hydration. */
  started: boolean | null;
  onChanged: () => void;
}

/** Confirm, check in, no-show and cancel, as the appointment's status allows. */
export function AppointmentActions({ appointment, isToday, started, onChanged }: AppointmentActionsProps) {
  const { toast } = useToast();
  const [dialog, setDialog] = useState<"cancel" | "no-show" | null>(null);
  const name = appointment.patient.name;
  const done = (message: string) => () => {
    toast({ tone: "success", title: message });
    onChanged();
  };
  const confirm = trpc.scheduling.confirm.useMutation({ onSuccess: done(`Confirmed ${name}.`) });
  const checkIn = trpc.scheduling.checkIn.useMutation({ onSuccess: (saved) => done(`${name} checked in${saved.ticket ? ` (ticket ${saved.ticket})` : ""}.`)() });
  const busy = confirm.isPending || checkIn.isPending;
  const open = appointment.status === "BOOKED" || appointment.status === "CONFIRMED";
  if (!open) return null;

  const id = { appointmentId: appointment.id };
  return (
    <div className="flex flex-nowrap gap-1.5">
      {appointment.status === "BOOKED" ? (
        <Button size="sm" className="whitespace-nowrap" variant="secondary" disabled={busy} onClick={() => confirm.mutate(id)}>
          Confirm<span className="sr-only"> {name}</span>
        </Button>
      ) : null}
      {isToday ? (
        <Button size="sm" className="whitespace-nowrap" disabled={busy} onClick={() => checkIn.mutate(id)}>
          Check in<span className="sr-only"> {name}</span>
        </Button>
      ) : null}
      {started ? (
        <Button size="sm" className="whitespace-nowrap" variant="ghost" disabled={busy} onClick={() => setDialog("no-show")}>
          No-show<span className="sr-only"> {name}</span>
        </Button>
      ) : null}
      <Button size="sm" className="whitespace-nowrap" variant="danger" disabled={busy} onClick={() => setDialog("cancel")}>
        Cancel<span className="sr-only"> {name}</span>
      </Button>

      <Dialog
        open={dialog === "cancel"}
        onClose={() => setDialog(null)}
        title="Cancel appointment"
        description={`${name}, ${formatTime(appointment.start, appointment.location.timeZone)} with ${appointment.provider.name}.`}
      >
        <CancelForm appointment={appointment} onCancelled={() => { setDialog(null); done(`Cancelled ${name}'s appointment.`)(); }} onClose={() => setDialog(null)} />
      </Dialog>
      <Dialog
        open={dialog === "no-show"}
        onClose={() => setDialog(null)}
        title="Mark as no-show?"
        description={`${name} did not come to the ${formatTime(appointment.start, appointment.location.timeZone)} appointment. This counts towards the patient's no-show rate.`}
      >
        <NoShowForm appointment={appointment} onMarked={() => { setDialog(null); done(`${name} marked as no-show.`)(); }} onClose={() => setDialog(null)} />
      </Dialog>
    </div>
  );
}

function CancelForm({ appointment, onCancelled, onClose }: { appointment: Appointment; onCancelled: () => void; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const cancel = trpc.scheduling.cancel.useMutation({ meta: { silentErrors: true }, onSuccess: onCancelled });
  const fieldErrors = fieldErrorsOf(cancel.error);
  const [localError, setLocalError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setLocalError("A reason is required to cancel");
      return;
    }
    setLocalError(null);
    cancel.mutate({ appointmentId: appointment.id, reason: reason.trim() });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Cancel appointment" noValidate>
      {cancel.error && !fieldErrors.reason ? (
        <Notice tone="danger" role="alert">
          {errorMessageOf(cancel.error)}
        </Notice>
      ) : null}
      <TextAreaField
        label="Reason"
        hint="Kept with the appointment, e.g. “Patient called: feeling better”."
        value={reason}
        maxLength={200}
        required
        autoFocus
        onChange={(e) => setReason(e.target.value)}
        errors={localError ? [localError] : fieldErrors.reason}
      />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Keep appointment
        </Button>
        <Button type="submit" variant="danger" disabled={cancel.isPending}>
          {cancel.isPending ? "Cancelling…" : "Cancel appointment"}
        </Button>
      </div>
    </form>
  );
}

function NoShowForm({ appointment, onMarked, onClose }: { appointment: Appointment; onMarked: () => void; onClose: () => void }) {
  const mark = trpc.scheduling.markNoShow.useMutation({ meta: { silentErrors: true }, onSuccess: onMarked });
  return (
    <div className="space-y-4">
      {mark.error ? (
        <Notice tone="danger" role="alert">
          {errorMessageOf(mark.error)}
        </Notice>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Back
        </Button>
        <Button variant="danger" disabled={mark.isPending} onClick={() => mark.mutate({ appointmentId: appointment.id })}>
          Mark as no-show
        </Button>
      </div>
    </div>
  );
}
