/**
 * Loader data in the shape the browser's tRPC client receives (Dates as ISO strings), so one set
 * of components and types serves both. A JSON round trip is exactly what the HTTP link does.
 */
export function toClient<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
