/**
 * What a refused tRPC caller call threw, for asserting on its code, message and fields. Throws if
 * the call succeeded, so a test that expects a refusal cannot pass by accident.
 */
export interface CallerFailure {
  code: string;
  message: string;
  cause?: { fieldErrors?: Record<string, string[]>; details?: Record<string, unknown>; issues?: { path: (string | number)[]; message: string }[] };
}

export async function failure(promise: Promise<unknown>): Promise<CallerFailure> {
  const error = (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as CallerFailure | null;
  if (!error) throw new Error("expected the call to fail");
  return error;
}

/** Field names of a refusal: a zod input failure's paths, or a DomainError's fields. */
export function fieldsOf(error: CallerFailure): string[] {
  if (error.cause?.fieldErrors) return Object.keys(error.cause.fieldErrors);
  return (error.cause?.issues ?? []).map((i) => i.path.join("."));
}
