/**
 * Domain errors: services throw these and know nothing of HTTP. server/trpc/init.ts maps them to
 * tRPC codes in one place. Messages are for people: say what happened and what to do.
 */
export type DomainErrorCode = "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "BAD_REQUEST" | "UNAVAILABLE";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field-level messages keyed by input path ("dateOfBirth"), for forms. */
    readonly fieldErrors?: Record<string, string[]>,
    /** Extra machine-readable detail safe to send to the client (ids, versions; never PHI of others). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} was not found.`);

export const badInput = (field: string, message: string) =>
  new DomainError("BAD_REQUEST", `${field}: ${message}`, { [field]: [message] });

export const unavailable = (dependency: "database" | "redis", message?: string) =>
  new DomainError("UNAVAILABLE", message ?? `The ${dependency} is unavailable; try again shortly.`, undefined, { dependency });

/**
 * A stale write: someone else saved first. Names who, so the user can talk to them. `current` is
 * the record as it is now, shaped like the procedure's output (through its output schema): the
 * client shows theirs beside the user's values and can save over it without reading it again.
 */
export const staleVersion = (what: string, changedBy: string | null, currentVersion: number, theirs?: { current: unknown; changedAt: Date }) =>
  new DomainError(
    "CONFLICT",
    `${what} was changed by ${changedBy ?? "someone else"} since you opened it. Review their change and save again.`,
    undefined,
    { currentVersion, changedBy, ...(theirs ? { changedAt: theirs.changedAt.toISOString(), current: theirs.current } : {}) },
  );

/** True for errors that mean the database could not be reached (as opposed to a bad query). */
export function isConnectionError(error: unknown): boolean {
  const text = String((error as { code?: string })?.code ?? "") + " " + String((error as Error)?.message ?? "");
  return /ECONNREFUSED|ENOTFOUND|Connection terminated|connect ETIMEDOUT|P1001|DatabaseNotReachable/i.test(text);
}

/**
 * True for errors that mean the database is there but could not take the work in time: an
 * interactive transaction that could not start or ran out of time (Prisma P2028), or a query that
 * waited longer than the pool's connection timeout for a free connection, or a transaction chosen
 * as a deadlock's victim. A burst of requests produces these; they are retryable, so they answer
 * 503 naming the database, never 500.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = String((error as { code?: string })?.code ?? "");
  const message = String((error as Error)?.message ?? "");
  // 40P01: a deadlock, which PostgreSQL resolves by aborting one side; retrying succeeds.
  return code === "P2028" || /timeout exceeded when trying to connect|Unable to start a transaction in the given time|40P01|deadlock detected/i.test(message);
}
