import type { ReactNode } from "react";
import { formatTime } from "./format";
import type { PublicBoardRow } from "./types";
import { useNow } from "./use-now";

/**
 * The waiting-room screen for patients to read: ticket numbers and initials only, never names
 * (the server does not send them). Roomed patients are called to their room. Presentational: the
 * paired screen (routes/screen.tsx) and the staff preview keep `rows` live in their own ways and
 * pass their connection notice as `status`.
 */
export function PublicScreen({ locationName, timeZone, rows, status }: { locationName: string; timeZone: string; rows: PublicBoardRow[]; status?: ReactNode }) {
  const calling = rows.filter((r) => r.status === "ROOMED");
  const waiting = rows.filter((r) => r.status === "ARRIVED");

  return (
    <div className="flex min-h-screen flex-col gap-8 bg-brand-900 px-8 py-8 text-white lg:px-12">
      <header className="flex flex-wrap items-baseline justify-between gap-4">
        <h1 className="text-4xl font-semibold tracking-tight lg:text-5xl">
          {locationName} <span className="text-brand-200">· Waiting room</span>
        </h1>
        <Clock timeZone={timeZone} />
      </header>

      {status}

      <section aria-labelledby="calling-heading" className="space-y-4">
        <h2 id="calling-heading" className="text-2xl font-semibold text-brand-100 uppercase lg:text-3xl">
          Now calling
        </h2>
        {calling.length ? (
          <ul className="grid gap-6 md:grid-cols-2 xl:grid-cols-3">
            {calling.map((row) => (
              <li key={`${row.ticket}-${row.room}`} className="rounded-2xl bg-white px-8 py-6 text-ink shadow-card" data-testid="calling">
                <p className="flex items-baseline gap-4">
                  <span className="text-7xl font-bold tabular-nums text-brand-700">{row.ticket ?? "—"}</span>
                  <span className="text-4xl font-semibold text-ink-muted">{row.initials}</span>
                </p>
                <p className="mt-3 text-3xl font-semibold">Please go to {row.room}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-2xl text-brand-100">No one is being called right now.</p>
        )}
      </section>

      <section aria-labelledby="waiting-heading" className="space-y-4">
        <h2 id="waiting-heading" className="text-2xl font-semibold text-brand-100 uppercase lg:text-3xl">
          Waiting
        </h2>
        {waiting.length ? (
          <ul className="flex flex-wrap gap-4">
            {waiting.map((row) => (
              <li key={`${row.ticket}-${row.initials}`} className="flex items-baseline gap-3 rounded-xl bg-brand-800 px-6 py-4" data-testid="waiting">
                <span className="text-5xl font-bold tabular-nums">{row.ticket ?? "—"}</span>
                <span className="text-3xl text-brand-100">{row.initials}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-2xl text-brand-100">No one is waiting.</p>
        )}
      </section>

      <footer className="mt-auto text-xl text-brand-100">Please have a seat. When your ticket number appears under “Now calling”, go to the room shown.</footer>
    </div>
  );
}

function Clock({ timeZone }: { timeZone: string }) {
  const now = useNow();
  return (
    <p className="text-4xl font-semibold tabular-nums lg:text-5xl" aria-label="Current time">
      {now === null ? "" : formatTime(new Date(now), timeZone)}
    </p>
  );
}
