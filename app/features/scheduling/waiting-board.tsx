import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "~/components/data-table/data-table";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Notice } from "~/components/ui/notice";
import { errorMessageOf, trpc } from "~/lib/trpc";
import { BoardRowActions } from "./board-row-actions";
import { formatTime, STATUS_LABEL, STATUS_TONE } from "./format";
import { useAppointmentEvents } from "./live";
import type { LocationInfo } from "./locations";
import { OfflineBanner } from "./offline-banner";
import type { BoardRow } from "./types";
import { WaitTimer } from "./wait-timer";

const column = createColumnHelper<BoardRow>();

/**
 * Today's waiting room at one location, kept live: every appointment event for the location and
 * every reconnect refetches the board through tRPC (events carry ids only).
 */
export function WaitingBoard({ location, initialRows, canWrite }: { location: LocationInfo; initialRows: BoardRow[]; canWrite: boolean }) {
  const utils = trpc.useUtils();
  const input = { locationId: location.id };
  // Errors show on the board itself (with what was last loaded), not as a toast per failed refetch.
  const board = trpc.scheduling.board.useQuery(input, { initialData: initialRows, meta: { silentErrors: true } });
  const refetch = () => void utils.scheduling.board.invalidate(input);
  useAppointmentEvents([`location:${location.id}`], refetch);

  const rows = board.data;
  // One patient per room: rooms taken on this board are marked in the room lists.
  const occupied = useMemo(() => new Set(rows.map((r) => r.room).filter((r): r is string => !!r)), [rows]);

  const columns = useMemo(
    () => [
      column.accessor("ticket", {
        header: "Ticket",
        cell: (info) => <span className="text-lg font-semibold tabular-nums">{info.getValue() ?? "—"}</span>,
      }),
      column.accessor("patientName", { header: "Patient", cell: (info) => <span className="font-medium">{info.getValue()}</span> }),
      column.accessor("providerName", { header: "Provider", cell: (info) => <span className="whitespace-nowrap">{info.getValue()}</span> }),
      column.accessor("status", { header: "Status", cell: (info) => <Badge tone={STATUS_TONE[info.getValue()]} className="whitespace-nowrap">{STATUS_LABEL[info.getValue()]}</Badge> }),
      column.accessor("room", { header: "Room", cell: (info) => <span className="font-medium whitespace-nowrap">{info.getValue() ?? "—"}</span> }),
      column.accessor("start", { header: "Appointment", cell: (info) => formatTime(info.getValue(), location.timeZone) }),
      column.accessor("arrivedAt", {
        header: "Waiting since",
        cell: (info) => <WaitTimer arrivedAt={info.getValue()} timeZone={location.timeZone} waiting={info.row.original.status === "ARRIVED"} />,
      }),
      ...(canWrite
        ? [
            column.display({
              id: "actions",
              header: "Actions",
              cell: (info) => <BoardRowActions row={info.row.original} rooms={location.rooms} occupied={occupied} onChanged={refetch} />,
            }),
          ]
        : []),
    ],
    // refetch only closes over the location id, which `location` covers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [location, canWrite, occupied],
  );

  const count = (status: BoardRow["status"]) => rows.filter((r) => r.status === status).length;

  return (
    <section aria-labelledby="board-heading" className="space-y-4">
      <OfflineBanner what="The board" />
      {board.isError ? (
        <Notice
          tone="danger"
          role="alert"
          title="The board could not be refreshed."
          actions={
            <Button size="sm" variant="secondary" onClick={refetch}>
              Try again
            </Button>
          }
        >
          {errorMessageOf(board.error)} Showing what was last loaded.
        </Notice>
      ) : null}
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="board-heading" className="text-lg font-semibold text-ink">
          In the building
        </h2>
        <p className="text-sm text-ink-muted" aria-live="polite">
          {count("ARRIVED")} waiting · {count("ROOMED")} roomed · {count("IN_VISIT")} in visit
          {board.isFetching ? " · refreshing…" : ""}
        </p>
      </div>
      <DataTable<BoardRow>
        caption={`Waiting room at ${location.name}`}
        captionHidden
        data={rows}
        columns={columns}
        getRowId={(row) => row.appointmentId}
        emptyMessage="No one is waiting. Patients appear here as soon as they are checked in."
      />
    </section>
  );
}
