import { createTRPCReact, httpBatchLink, TRPCClientError, type TRPCClientErrorLike } from "@trpc/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/trpc/router.ts";

/**
 * The browser's tRPC client (loaders use `context.caller` instead). No transformer: Dates arrive as
 * ISO strings, and the inferred output types say so.
 */
export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type TrpcError = TRPCClientErrorLike<AppRouter>;

export function createTrpcClient() {
  return trpc.createClient({
    links: [httpBatchLink({ url: "/api/trpc", fetch: (url, init) => fetch(url, { ...init, credentials: "same-origin" }) })],
  });
}

export function isTrpcError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}

/** Field messages for forms, from the server's error formatter (server/trpc/init.ts). */
export function fieldErrorsOf(error: unknown): Record<string, string[] | undefined> {
  if (!isTrpcError(error)) return {};
  return (error.data?.fieldErrors as Record<string, string[] | undefined> | null | undefined) ?? {};
}

/**
 * A sentence to show a person. Input-validation failures carry zod's issue list (JSON) as their
 * message; the field messages say it better, so point at them instead.
 */
export function errorMessageOf(error: unknown): string {
  if (isTrpcError(error)) {
    const fieldErrors = fieldErrorsOf(error);
    if (error.data?.code === "BAD_REQUEST" && /^\s*[[{]/.test(error.message)) {
      return Object.keys(fieldErrors).length ? "Some fields need attention." : "The request was not valid.";
    }
    if (!error.data && error.message === "Failed to fetch") return "Carelane could not be reached. Check your connection and try again.";
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}
