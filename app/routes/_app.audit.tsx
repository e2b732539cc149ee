import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useMemo, useState } from "react";
import { z } from "zod";
import { DataTable } from "~/components/data-table/data-table";
import { RouteErrorBoundary } from "~/components/error-page";
import { auditColumns, type AuditRow } from "~/features/access/audit-columns";
import { AuditFilterForm, type AuditFilters } from "~/features/access/audit-filters";
import { callServer } from "~/lib/caller.server";
import { trpc } from "~/lib/trpc";

export const meta: MetaFunction = () => [{ title: "Audit log · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

const PAGE_SIZE = 50;

// A hand-edited URL with a bad value drops that filter instead of failing the page.
const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
const filtersSchema = z.object({
  action: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()).catch(undefined),
  outcome: z.preprocess(blankToUndefined, z.enum(["SUCCESS", "FAILURE", "DENIED"]).optional()).catch(undefined),
  userId: z.preprocess(blankToUndefined, z.string().uuid().optional()).catch(undefined),
  patientId: z.preprocess(blankToUndefined, z.string().uuid().optional()).catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const filters: AuditFilters = filtersSchema.parse(Object.fromEntries(params));
  const page = await callServer(request, () => context.caller.access.auditLog({ ...filters, limit: PAGE_SIZE }));
  return {
    filters,
    // The same shape the browser's tRPC client gets for later pages (Dates as ISO strings).
    page: { ...page, items: page.items.map((item) => ({ ...item, at: item.at.toISOString() })) },
  };
}

export default function AuditLog() {
  const { filters, page } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const { rows, hasMore, loading, loadMore } = useCursorPages(filters, page);
  const columns = useMemo(() => auditColumns(searchParams), [searchParams]);

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-ink">Audit log</h1>
        <p className="mt-1 text-sm text-ink-muted">Every sign-in, record access and change in this clinic, newest first.</p>
      </header>

      <AuditFilterForm filters={filters} />
      <ActiveIdFilters filters={filters} />

      <DataTable<AuditRow>
        caption="Audit events"
        captionHidden
        data={rows}
        columns={columns}
        getRowId={(row) => row.id}
        // The server returns newest first and sorts no other way.
        sorting={[{ id: "at", desc: true }]}
        emptyMessage="No events match these filters."
        pagination={{
          hasMore,
          loading,
          onLoadMore: loadMore,
          summary: `Showing ${rows.length} ${rows.length === 1 ? "event" : "events"}`,
        }}
      />
    </div>
  );
}

type AuditPage = { items: AuditRow[]; nextCursor: string | null };

/** The first page comes from the loader; "Load more" fetches the next ones through tRPC. */
function useCursorPages(filters: AuditFilters, first: AuditPage) {
  const utils = trpc.useUtils();
  const [loaded, setLoaded] = useState<{ first: AuditPage; more: AuditPage[] }>({ first, more: [] });
  const [loading, setLoading] = useState(false);
  // New loader data (other filters, or a revalidation) starts over from its first page. Reset
  // while rendering, not in an effect, so rows of the old filters never show under the new ones.
  if (loaded.first !== first) setLoaded({ first, more: [] });
  const pages = loaded.first === first ? [first, ...loaded.more] : [first];
  const nextCursor = pages[pages.length - 1]!.nextCursor;

  async function loadMore() {
    if (!nextCursor || loading) return;
    setLoading(true);
    try {
      const next = await utils.access.auditLog.fetch({ ...filters, cursor: nextCursor, limit: PAGE_SIZE });
      // Dropped if the filters changed while this page was on its way.
      setLoaded((current) => (current.first === first ? { first, more: [...current.more, next] } : current));
    } catch {
      // The query cache already told the user (app-providers.tsx).
    } finally {
      setLoading(false);
    }
  }

  return { rows: pages.flatMap((p) => p.items), hasMore: nextCursor !== null, loading, loadMore };
}

/** Person and patient filters are set by clicking a row, so show them and how to remove them. */
function ActiveIdFilters({ filters }: { filters: AuditFilters }) {
  const [searchParams] = useSearchParams();
  const without = (key: string) => {
    const next = new URLSearchParams(searchParams);
    next.delete(key);
    return `?${next}`;
  };
  if (!filters.userId && !filters.patientId) return null;
  return (
    <ul className="flex flex-wrap gap-2 text-sm" aria-label="Active filters">
      {filters.userId ? (
        <li className="inline-flex items-center gap-2 rounded-full bg-brand-50 px-3 py-1 text-brand-800">
          One person only
          <Link to={without("userId")} className="font-medium underline" aria-label="Remove the person filter">
            Remove
          </Link>
        </li>
      ) : null}
      {filters.patientId ? (
        <li className="inline-flex items-center gap-2 rounded-full bg-brand-50 px-3 py-1 text-brand-800">
          One patient only
          <Link to={without("patientId")} className="font-medium underline" aria-label="Remove the patient filter">
            Remove
          </Link>
        </li>
      ) : null}
    </ul>
  );
}
