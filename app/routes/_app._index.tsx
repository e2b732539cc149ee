import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { navFor } from "~/lib/navigation";
import { ROLE_HOME_TITLE, ROLE_LABEL } from "~/lib/roles";
import { useAppData } from "~/lib/use-app-data";

export const meta: MetaFunction = () => [{ title: "Home · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

/** Each role's start page: the areas it can use, from the same list as the menu. */
export default function Home() {
  const { me } = useAppData();
  const { user, clinic, locations } = me;
  const areas = navFor(user.role).filter((item) => item.to !== "/");

  return (
    <div className="space-y-10">
      <header>
        <h1 className="text-2xl font-semibold text-ink">{ROLE_HOME_TITLE[user.role]}</h1>
        <h2 className="mt-1 text-lg text-ink">Welcome, {user.name}</h2>
        <p className="mt-1 text-sm text-ink-muted">
          {ROLE_LABEL[user.role]} · {clinic.name}
        </p>
      </header>

      {areas.length > 0 ? (
        <section aria-labelledby="areas-heading">
          <h2 id="areas-heading" className="text-sm font-semibold tracking-wide text-ink-muted uppercase">
            Your work
          </h2>
          <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {areas.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  prefetch="intent"
                  className="block h-full rounded-lg border border-surface-border bg-surface p-5 shadow-card transition-colors hover:border-brand-300 hover:bg-brand-50"
                >
                  <span className="font-medium text-brand-700">{item.label}</span>
                  <span className="mt-1 block text-sm text-ink-muted">{item.description}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="account-heading" className="max-w-xl">
        <h2 id="account-heading" className="text-sm font-semibold tracking-wide text-ink-muted uppercase">
          Your account
        </h2>
        <dl className="mt-3 divide-y divide-surface-border rounded-lg border border-surface-border bg-surface text-sm shadow-card">
          <div className="flex gap-4 px-4 py-3">
            <dt className="w-28 shrink-0 text-ink-muted">Email</dt>
            <dd className="text-ink">{user.email}</dd>
          </div>
          <div className="flex gap-4 px-4 py-3">
            <dt className="w-28 shrink-0 text-ink-muted">Role</dt>
            <dd className="text-ink">{ROLE_LABEL[user.role]}</dd>
          </div>
          <div className="flex gap-4 px-4 py-3">
            <dt className="w-28 shrink-0 text-ink-muted">Locations</dt>
            <dd className="text-ink">{locations.length ? locations.map((l) => l.name).join(", ") : "None"}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
