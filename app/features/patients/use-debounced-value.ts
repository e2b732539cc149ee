import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms`. Compared by `key` (default: JSON) so objects work. */
export function useDebouncedValue<T>(value: T, ms = 200, key: (v: T) => string = (v) => JSON.stringify(v)): T {
  const [settled, setSettled] = useState(value);
  const current = key(value);
  const settledKey = key(settled);
  useEffect(() => {
    if (current === settledKey) return;
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
    // `value` is represented by `current`; a new object with the same contents changes nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current, settledKey, ms]);
  return settled;
}
