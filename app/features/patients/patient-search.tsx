import { Link } from "@remix-run/react";
import { keepPreviousData } from "@tanstack/react-query";
import { createColumnHelper, type SortingState } from "@tanstack/react-table";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { DataTable } from "~/components/data-table/data-table";
import { Badge } from "~/components/ui/badge";
import { controlClass, SelectField, TextField } from "~/components/ui/field";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf, fieldErrorsOf, trpc } from "~/lib/trpc";
import { ageInYears, formatAge, formatDate, formatPhone, listName, SEX_LABEL, STATUS_LABEL, STATUS_TONE } from "./format";
import type { SearchHit, SearchInput } from "./types";
import { useDebouncedValue } from "./use-debounced-value";

const PAGE_SIZE = 20;

type StatusFilter = "any" | "ACTIVE" | "INACTIVE" | "DECEASED";
type SortColumn = "mrn" | "name" | "dateOfBirth";

interface SearchState {
  q: string;
  status: StatusFilter;
  ageMin: string;
  ageMax: string;
  sorting: SortingState;
  offset: number;
}

const INITIAL: SearchState = { q: "", status: "any", ageMin: "", ageMax: "", sorting: [], offset: 0 };

const STATUS_OPTIONS = [
  { value: "any", label: "Any status" },
  { value: "ACTIVE", label: "Active" },
  { value: "INACTIVE", label: "Inactive" },
  { value: "DECEASED", label: "Deceased" },
] as const;

const KIND_LABEL = { name: "name", mrn: "MRN", dob: "date of birth", phone: "phone number" } as const;

/**
 * The last search of this tab, so coming back from a patient shows the same list. Kept in memory
 * only: search text is PHI, so it never goes into the URL or browser storage, and a reload or
 * sign-out (a full page load) forgets it.
 */
let remembered: SearchState | undefined;

/** An age box: empty, or a whole number of years from 0 to 130. */
function parseAge(text: string): { value: number | undefined; error?: string } {
  const t = text.trim();
  if (!t) return { value: undefined };
  if (!/^\d{1,3}$/.test(t) || Number(t) > 130) return { value: undefined, error: "Enter whole years from 0 to 130" };
  return { value: Number(t) };
}

const isEditable = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

export interface PatientSearchProps {
  /** The search box's visible label. */
  label?: string;
  /** `/` anywhere on the page (outside other fields) jumps to the search box. */
  slashShortcut?: boolean;
  /** Keep the search across visits to the page within this tab (the main search page). */
  remember?: boolean;
  autoFocus?: boolean;
  /** A patient that must not be offered (e.g. the record itself when picking a duplicate). */
  excludeId?: string;
  /** Enter on the highlighted row, or a click on a row. */
  onOpen: (hit: SearchHit) => void;
  /** When given, names render as links there (open in a new tab works); otherwise as buttons calling onOpen. */
  hrefFor?: (hit: SearchHit) => string;
  /** Shown with the "no patients match" message, e.g. a link to register one. */
  noResultsAction?: ReactNode;
}

/**
 * One forgiving search box over `patients.search`: name (typos forgiven), MRN, date of birth or
 * phone. Filters, server-side sorting and paging; ArrowUp/ArrowDown move a highlighted row and
 * Enter opens it, while focus stays in the box.
 */
export function PatientSearch({
  label = "Search patients",
  slashShortcut = false,
  remember = false,
  autoFocus = false,
  excludeId,
  onOpen,
  hrefFor,
  noResultsAction,
}: PatientSearchProps) {
  const [state, setState] = useState<SearchState>(() => (remember && remembered) || INITIAL);
  const update = (patch: Partial<SearchState>) => setState((s) => ({ ...s, offset: 0, ...patch }));
  useEffect(() => {
    if (remember) remembered = state;
  }, [remember, state]);

  const inputRef = useRef<HTMLInputElement>(null);
  const baseId = useId();
  const tableId = `${baseId}-results`;
  const rowId = (index: number) => `${baseId}-row-${index}`;

  useEffect(() => {
    if (!slashShortcut) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isEditable(event.target) || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [slashShortcut]);

  // Typing settles for 200 ms before a search goes out; filters and paging apply at once.
  const typed = { q: state.q.trim(), ageMin: state.ageMin, ageMax: state.ageMax };
  const settled = useDebouncedValue(typed, 200);
  const stillTyping = settled.q !== typed.q || settled.ageMin !== typed.ageMin || settled.ageMax !== typed.ageMax;
  const ageMin = parseAge(settled.ageMin);
  const ageMax = parseAge(settled.ageMax);
  const ageOrderError =
    ageMin.value !== undefined && ageMax.value !== undefined && ageMin.value > ageMax.value ? "Minimum age cannot be more than maximum age" : undefined;
  const filtersValid = !ageMin.error && !ageMax.error && !ageOrderError;

  const sort = state.sorting[0];
  const input: SearchInput = {
    q: settled.q,
    limit: PAGE_SIZE,
    offset: state.offset,
    filters: { status: state.status, ageMin: ageMin.value, ageMax: ageMax.value },
    sort: (sort?.id as SortColumn | undefined) ?? "relevance",
    direction: sort ? (sort.desc ? "desc" : "asc") : undefined,
  };
  const enabled = settled.q.length > 0 && filtersValid;
  const search = trpc.patients.search.useQuery(input, { enabled, placeholderData: keepPreviousData, meta: { silentErrors: true } });
  const serverFieldErrors = fieldErrorsOf(search.error);

  const result = enabled ? search.data : undefined;
  const items = useMemo(() => (result?.items ?? []).filter((hit) => hit.id !== excludeId), [result, excludeId]);
  const showResults = typed.q.length > 0;
  const busy = showResults && (stillTyping || search.isFetching);

  // The highlight belongs to one list of results; new results start without one.
  const resultKey = items.map((i) => i.id).join(",");
  const [highlight, setHighlight] = useState<{ key: string; index: number }>({ key: "", index: -1 });
  const active = highlight.key === resultKey ? highlight.index : -1;

  function onSearchKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      setHighlight({ key: resultKey, index: Math.min(active + 1, items.length - 1) });
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      setHighlight({ key: resultKey, index: Math.max(active - 1, 0) });
    } else if (event.key === "Enter") {
      event.preventDefault();
      const hit = active >= 0 ? items[active] : !busy && items.length === 1 ? items[0] : undefined;
      if (hit) onOpen(hit);
    } else if (event.key === "Escape" && active >= 0) {
      event.preventDefault();
      setHighlight({ key: resultKey, index: -1 });
    }
  }

  useEffect(() => {
    if (active >= 0) document.getElementById(rowId(active))?.scrollIntoView({ block: "nearest" });
    // rowId is derived from baseId, which never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  // The latest onOpen without rebuilding the columns on every render.
  const onOpenRef = useRef(onOpen);
  useEffect(() => {
    onOpenRef.current = onOpen;
  });
  const columns = useMemo(() => searchColumns({ onOpen: (hit) => onOpenRef.current(hit), hrefFor }), [hrefFor]);

  const total = result?.total ?? null;
  const first = state.offset + 1;
  const last = state.offset + items.length;
  const summary = result
    ? items.length === 0
      ? "No matches"
      : `Showing ${first}–${last}${total !== null ? ` of ${total}` : ""} · matched by ${KIND_LABEL[result.kind]}`
    : "Searching…";
  const hasNext = !!result && result.items.length === PAGE_SIZE && (total === null || last < total);

  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-surface-border bg-surface p-4 shadow-card">
        <div className="flex flex-wrap items-start gap-4">
          <div className="min-w-64 flex-1 space-y-1">
            <label htmlFor={`${baseId}-q`} className="block text-sm font-medium text-ink">
              {label}
            </label>
            <div className="relative">
              <svg viewBox="0 0 20 20" aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 h-4 w-4 -translate-y-1/2 text-ink-subtle">
                <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />
                <path d="m13 13 4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              </svg>
              <input
                ref={inputRef}
                id={`${baseId}-q`}
                type="search"
                role="combobox"
                aria-expanded={showResults && items.length > 0}
                aria-controls={tableId}
                aria-haspopup="grid"
                aria-activedescendant={active >= 0 ? rowId(active) : undefined}
                aria-describedby={`${baseId}-q-hint`}
                autoComplete="off"
                spellCheck={false}
                autoFocus={autoFocus}
                maxLength={100}
                value={state.q}
                onChange={(e) => update({ q: e.target.value })}
                onKeyDown={onSearchKeyDown}
                placeholder="Name, MRN, date of birth or phone"
                className={`${controlClass} pl-9 text-base`}
              />
            </div>
            <p id={`${baseId}-q-hint`} className="text-xs text-ink-muted">
              Typos are fine. ↑ ↓ to choose a row, Enter to open{slashShortcut ? "; press / to come back here" : ""}.
            </p>
          </div>
          <div className="w-40">
            <SelectField
              label="Status"
              value={state.status}
              onChange={(e) => update({ status: e.target.value as StatusFilter })}
              options={STATUS_OPTIONS}
            />
          </div>
          <div className="w-28">
            <TextField
              label="Minimum age"
              type="number"
              inputMode="numeric"
              min={0}
              max={130}
              value={state.ageMin}
              onChange={(e) => update({ ageMin: e.target.value })}
              errors={ageMin.error ? [ageMin.error] : ageOrderError ? [ageOrderError] : serverFieldErrors.ageMin}
            />
          </div>
          <div className="w-28">
            <TextField
              label="Maximum age"
              type="number"
              inputMode="numeric"
              min={0}
              max={130}
              value={state.ageMax}
              onChange={(e) => update({ ageMax: e.target.value })}
              errors={ageMax.error ? [ageMax.error] : serverFieldErrors.ageMax}
            />
          </div>
        </div>
      </div>

      {search.error && enabled ? (
        <Notice tone="danger" role="alert" title="The search did not work">
          {errorMessageOf(search.error)}
        </Notice>
      ) : null}

      {showResults ? (
        <div>
          <DataTable<SearchHit>
            caption="Matching patients"
            captionHidden
            data={items}
            columns={columns}
            getRowId={(hit) => hit.id}
            sorting={state.sorting}
            onSortingChange={(updater) => update({ sorting: typeof updater === "function" ? updater(state.sorting) : updater })}
            busy={busy}
            tableProps={{ id: tableId, role: "grid", "aria-readonly": true, "aria-label": "Matching patients" }}
            getRowProps={(hit, index) => ({
              id: rowId(index),
              "aria-selected": index === active,
              onClick: () => onOpen(hit),
              onMouseEnter: () => setHighlight({ key: resultKey, index }),
            })}
            emptyMessage={
              busy || !result ? (
                "Searching…"
              ) : (
                <div className="space-y-3">
                  <p className="font-medium text-ink">No patients match “{settled.q}”.</p>
                  <p>Check the spelling, or search by date of birth (03/27/1984), phone number or MRN.</p>
                  {noResultsAction}
                </div>
              )
            }
            pager={{
              summary: busy && !result ? "Searching…" : summary,
              loading: search.isFetching,
              hasPrevious: state.offset > 0,
              hasNext,
              onPrevious: () => setState((s) => ({ ...s, offset: Math.max(0, s.offset - PAGE_SIZE) })),
              onNext: () => setState((s) => ({ ...s, offset: s.offset + PAGE_SIZE })),
            }}
          />
          {state.sorting.length ? (
            <button type="button" onClick={() => update({ sorting: [] })} className="mt-2 text-sm font-medium text-brand-700 hover:underline">
              Sort by best match
            </button>
          ) : null}
        </div>
      ) : (
        <div className="rounded-lg border border-dashed border-surface-border bg-surface px-6 py-10 text-center text-sm text-ink-muted">
          <p className="font-medium text-ink">Find a patient</p>
          <p className="mt-1">
            Type part of a name (family, given or both), an 8-digit MRN, a date of birth such as 03/27/1984, or a phone number.
          </p>
        </div>
      )}
    </div>
  );
}

const column = createColumnHelper<SearchHit>();

function searchColumns({ onOpen, hrefFor }: Pick<PatientSearchProps, "onOpen" | "hrefFor">) {
  return [
    column.accessor("mrn", {
      header: "MRN",
      enableSorting: true,
      cell: (info) => <span className="font-mono text-xs tracking-wide whitespace-nowrap">{info.getValue()}</span>,
    }),
    column.accessor((hit) => listName(hit), {
      id: "name",
      header: "Name",
      enableSorting: true,
      cell: ({ row }) => {
        const hit = row.original;
        const name = listName(hit);
        return hrefFor ? (
          <Link
            to={hrefFor(hit)}
            onClick={(e) => e.stopPropagation()}
            className="font-medium whitespace-nowrap text-brand-700 hover:underline"
          >
            {name}
          </Link>
        ) : (
          <button
            type="button"
            onClick={(e) => {
              e.stopPropagation();
              onOpen(hit);
            }}
            className="text-left font-medium whitespace-nowrap text-brand-700 hover:underline"
          >
            {name}
          </button>
        );
      },
    }),
    column.accessor("dateOfBirth", {
      header: "Date of birth",
      enableSorting: true,
      cell: (info) => (
        <span className="whitespace-nowrap">
          {formatDate(info.getValue())} <span className="text-ink-muted">· {formatAge(ageInYears(info.getValue()))}</span>
        </span>
      ),
    }),
    column.accessor("sex", { header: "Sex", cell: (info) => SEX_LABEL[info.getValue()] }),
    column.accessor("phoneMobile", {
      header: "Mobile phone",
      cell: (info) => <span className="whitespace-nowrap">{formatPhone(info.getValue()) || <span className="text-ink-muted">—</span>}</span>,
    }),
    column.accessor("status", {
      header: "Status",
      cell: (info) => <Badge tone={STATUS_TONE[info.getValue()]}>{STATUS_LABEL[info.getValue()]}</Badge>,
    }),
  ];
}
