import { useHydrated } from "~/lib/use-hydrated";

const formatter = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, options);
const local = formatter({ dateStyle: "medium", timeStyle: "short" });
const localWithSeconds = formatter({ dateStyle: "medium", timeStyle: "medium" });

/**
 * A timestamp in the reader's own time zone. The server does not know that zone, so it renders
 * UTC and the browser swaps in local time after hydration (no hydration mismatch).
 */
export function Time({ value, seconds = false }: { value: string | Date; seconds?: boolean }) {
  const hydrated = useHydrated();
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  const text = hydrated
    ? (seconds ? localWithSeconds : local).format(date)
    : `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)} UTC`;
  return <time dateTime={iso}>{text}</time>;
}
