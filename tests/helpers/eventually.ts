/**
 * Waits until `check` stops throwing, and rethrows its last error after `boundMs`. The bound only
 * keeps a broken build from hanging; no assertion here is about time.
 */
export async function eventually(check: () => void | Promise<void>, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
