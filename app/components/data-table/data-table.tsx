import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type SortingState,
} from "@tanstack/react-table";
import { useState, type HTMLAttributes, type ReactNode, type TableHTMLAttributes } from "react";
import { Button } from "~/components/ui/button";

export interface DataTablePagination {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  /** e.g. "Showing 50 events" */
  summary?: ReactNode;
}

/** Offset paging: Previous / Next buttons under the table (the server counts or pages the rows). */
export interface DataTablePager {
  hasPrevious: boolean;
  hasNext: boolean;
  loading?: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** e.g. "Showing 21–40 of 134" */
  summary?: ReactNode;
}

/** Extra attributes for a body row: an id, aria-selected for a highlighted row, a click handler. */
export type DataTableRowProps = HTMLAttributes<HTMLTableRowElement> & { "aria-selected"?: boolean };

export interface DataTableProps<TData> {
  /** Names the table for screen readers; shown unless captionHidden. */
  caption: string;
  captionHidden?: boolean;
  data: TData[];
  // TanStack's own examples type mixed columns this way: each column has a different value type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<TData, any>[];
  getRowId: (row: TData) => string;
  /**
   * Server-side sorting: pass the order the rows came in and, for columns the server can sort by,
   * a handler that asks it to re-sort. Without these, sortable columns sort the loaded rows in the
   * browser. Columns are not sortable unless their definition says `enableSorting: true`.
   */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  emptyMessage?: ReactNode;
  /** Cursor paging: a "Load more" button under the table. */
  pagination?: DataTablePagination;
  /** Offset paging: Previous / Next buttons under the table. */
  pager?: DataTablePager;
  /** Attributes for each body row (ids, aria-selected, onClick). Rows with aria-selected are highlighted. */
  getRowProps?: (row: TData, index: number) => DataTableRowProps;
  /** Attributes for the <table> itself, e.g. an id, or role="grid" for a keyboard-driven list. */
  tableProps?: TableHTMLAttributes<HTMLTableElement>;
  /** Fresh rows are on their way: the current ones are dimmed and the table is aria-busy. */
  busy?: boolean;
}

const SORT_LABEL = { asc: "ascending", desc: "descending" } as const;

export function DataTable<TData>({
  caption,
  captionHidden = false,
  data,
  columns,
  getRowId,
  sorting: controlledSorting,
  onSortingChange,
  emptyMessage = "Nothing to show.",
  pagination,
  pager,
  getRowProps,
  tableProps,
  busy = false,
}: DataTableProps<TData>) {
  const [localSorting, setLocalSorting] = useState<SortingState>([]);
  const serverSorted = controlledSorting !== undefined;

  const table = useReactTable({
    data,
    columns,
    getRowId,
    state: { sorting: controlledSorting ?? localSorting },
    onSortingChange: onSortingChange ?? setLocalSorting,
    manualSorting: serverSorted,
    defaultColumn: { enableSorting: false },
    enableSortingRemoval: false,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: serverSorted ? undefined : getSortedRowModel(),
  });

  const rows = table.getRowModel().rows;

  return (
    // `relative` keeps visually hidden (absolutely positioned) labels inside the scroll area,
    // or they would widen the whole page on small screens.
    <div className="relative overflow-hidden rounded-lg border border-surface-border bg-surface shadow-card">
      <div className="overflow-x-auto">
        <table aria-busy={busy || undefined} {...tableProps} className="min-w-full divide-y divide-surface-border text-sm">
          <caption className={captionHidden ? "sr-only" : "px-4 py-3 text-left font-medium text-ink"}>{caption}</caption>
          <thead className="bg-surface-sunken">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const label = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted ? SORT_LABEL[sorted] : undefined}
                      className="px-4 py-2.5 text-left text-xs font-semibold tracking-wide text-ink-muted uppercase whitespace-nowrap"
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-ink"
                        >
                          {label}
                          <SortIcon direction={sorted} />
                        </button>
                      ) : (
                        <span className="inline-flex items-center gap-1">
                          {label}
                          {sorted ? <SortIcon direction={sorted} /> : null}
                        </span>
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className={`divide-y divide-surface-border transition-opacity ${busy ? "opacity-60" : ""}`}>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={table.getVisibleLeafColumns().length} className="px-4 py-10 text-center text-ink-muted">
                  {emptyMessage}
                </td>
              </tr>
            ) : (
              rows.map((row, index) => {
                const { className: rowClass = "", ...rowProps } = getRowProps?.(row.original, index) ?? {};
                return (
                  <tr
                    key={row.id}
                    {...rowProps}
                    className={`hover:bg-surface-muted aria-selected:bg-brand-50 aria-selected:shadow-[inset_3px_0_0_#1f7a72] ${
                      rowProps.onClick ? "cursor-pointer" : ""
                    } ${rowClass}`}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id} className="px-4 py-2.5 align-top text-ink">
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      {pagination ? (
        <div className="flex items-center justify-between gap-4 border-t border-surface-border px-4 py-3 text-sm text-ink-muted">
          <span aria-live="polite">{pagination.summary}</span>
          {pagination.hasMore ? (
            <Button variant="secondary" size="sm" onClick={pagination.onLoadMore} disabled={pagination.loading}>
              {pagination.loading ? "Loading…" : "Load more"}
            </Button>
          ) : (
            <span>End of list</span>
          )}
        </div>
      ) : null}
      {pager ? (
        <div className="flex flex-wrap items-center justify-between gap-4 border-t border-surface-border px-4 py-3 text-sm text-ink-muted">
          <span aria-live="polite">{pager.summary}</span>
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={pager.onPrevious} disabled={!pager.hasPrevious || pager.loading}>
              Previous
            </Button>
            <Button variant="secondary" size="sm" onClick={pager.onNext} disabled={!pager.hasNext || pager.loading}>
              Next
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function SortIcon({ direction }: { direction: false | "asc" | "desc" }) {
  return (
    <svg viewBox="0 0 10 14" className="h-3 w-2.5" aria-hidden="true">
      <path d="M5 1 9 5H1z" fill="currentColor" opacity={direction === "asc" ? 1 : 0.3} />
      <path d="M5 13 1 9h8z" fill="currentColor" opacity={direction === "desc" ? 1 : 0.3} />
    </svg>
  );
}
