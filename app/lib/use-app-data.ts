import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "~/routes/_app";

/** The signed-in user, clinic and locations (loaded once by the layout), for any page inside it. */
export function useAppData() {
  const data = useRouteLoaderData<typeof loader>("routes/_app");
  if (!data) throw new Error("useAppData() is only available inside the signed-in layout (routes/_app).");
  return data;
}
