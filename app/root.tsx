import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppProviders } from "~/components/app-providers";
import { describeRouteError, ErrorPage } from "~/components/error-page";
import { ToastProvider } from "~/components/ui/toast";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "data:," }, // no favicon yet; stops a 404 on every page load
];

export const meta: MetaFunction = () => [{ title: "Carelane" }];

/** The HTML document, shared by pages and error pages. */
export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <ToastProvider>
      <AppProviders>
        <Outlet />
      </AppProviders>
    </ToastProvider>
  );
}

/** Errors outside the signed-in layout (unknown pages, the layout itself failing). */
export function ErrorBoundary() {
  const error = useRouteError();
  const { status, detail } = describeRouteError(error);
  return (
    <main className="px-4">
      <ErrorPage status={status} detail={detail} />
    </main>
  );
}
