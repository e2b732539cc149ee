import { useSyncExternalStore } from "react";

const noop = () => () => {};

/** False during server rendering and hydration, true afterwards. For browser-only output. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noop, () => true, () => false);
}
