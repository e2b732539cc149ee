import { formatElapsed, formatTime, waitLevel, WAIT_ALERT_MINUTES, WAIT_WARN_MINUTES } from "./format";
import { useNow } from "./use-now";

const LEVEL_CLASS = {
  ok: "bg-surface-sunken text-ink",
  warn: "bg-warn-50 text-warn-700 ring-1 ring-warn-200",
  alert: "bg-danger-50 text-danger-700 ring-1 ring-danger-200",
} as const;

const LEVEL_NOTE = {
  ok: null,
  warn: `over ${WAIT_WARN_MINUTES} minutes`,
  alert: `over ${WAIT_ALERT_MINUTES} minutes`,
} as const;

/**
 * Arrival time and a live mm:ss count since then. While the patient is still in the waiting room
 * (`waiting`), the count turns amber past 15 minutes and red past 30, with the words saying so too.
 */
export function WaitTimer({ arrivedAt, timeZone, waiting }: { arrivedAt: string | null; timeZone: string; waiting: boolean }) {
  const now = useNow();
  if (!arrivedAt) return <span className="text-ink-muted">—</span>;
  const arrived = new Date(arrivedAt).getTime();
  const seconds = now === null ? null : Math.max(0, (now - arrived) / 1000);
  const level = waiting && seconds !== null ? waitLevel(seconds) : "ok";
  const note = LEVEL_NOTE[level];
  return (
    <span className="inline-flex flex-wrap items-center gap-2 whitespace-nowrap">
      <span className="text-ink-muted">{formatTime(arrivedAt, timeZone)}</span>
      <span
        role="timer"
        data-wait={level}
        className={`inline-flex items-center gap-1 rounded-md px-2 py-0.5 font-mono text-sm font-semibold tabular-nums ${waiting ? LEVEL_CLASS[level] : "text-ink-muted"}`}
      >
        {level !== "ok" ? (
          <span aria-hidden="true" className="font-sans">
            !
          </span>
        ) : null}
        {/* Before hydration the reader's clock is unknown: show the arrival time only. */}
        {seconds === null ? "--:--" : formatElapsed(seconds)}
        {note ? <span className="sr-only">, waiting {note}</span> : null}
      </span>
    </span>
  );
}
