import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { createTrpcClient, errorMessageOf, isTrpcError, trpc } from "~/lib/trpc";
import { loginPath } from "~/lib/safe-redirect";
import { useToast } from "./ui/toast";

declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: {
      /** Skip the automatic error toast (the form shows the error itself). */
      silentErrors?: boolean;
    };
    queryMeta: {
      /** Skip the automatic error toast (the page shows the error itself, or it does not matter). */
      silentErrors?: boolean;
    };
  }
}

/** tRPC + React Query for the browser, with one place that tells people when a call failed. */
export function AppProviders({ children }: { children: ReactNode }) {
  const { toast } = useToast();

  const [queryClient] = useState(() => {
    const onError = (error: unknown, silent = false) => {
      if (isTrpcError(error) && error.data?.code === "UNAUTHORIZED") {
        // The session ended between page load and this call.
        window.location.assign(loginPath({ expired: true, callbackUrl: window.location.pathname + window.location.search }));
        return;
      }
      if (!silent) toast({ tone: "danger", title: errorMessageOf(error) });
    };
    return new QueryClient({
      defaultOptions: {
        queries: {
          // Loaders already fetched the first page; live events and reconnects trigger refetches.
          staleTime: 30_000,
          refetchOnWindowFocus: false,
          // Retrying a refusal or a bad request cannot succeed.
          retry: (count, error) => !(isTrpcError(error) && error.data && error.data.httpStatus < 500) && count < 2,
        },
      },
      queryCache: new QueryCache({
        onError: (error, query) => onError(error, query.meta?.silentErrors),
      }),
      mutationCache: new MutationCache({
        onError: (error, _variables, _context, mutation) => onError(error, mutation.meta?.silentErrors),
      }),
    });
  });
  const [trpcClient] = useState(createTrpcClient);

  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
