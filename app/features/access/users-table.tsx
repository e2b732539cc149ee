import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "~/components/data-table/data-table";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Time } from "~/components/ui/time";
import { useToast } from "~/components/ui/toast";
import { ROLE_LABEL } from "~/lib/roles";
import { trpc, type RouterOutputs } from "~/lib/trpc";

export type UserRow = RouterOutputs["access"]["listUsers"][number];

const column = createColumnHelper<UserRow>();

/** All staff of the clinic (a clinic has tens, not thousands: sorted in the browser). */
export function UsersTable({ users, currentUserId, onChanged }: { users: UserRow[]; currentUserId: string; onChanged: () => void }) {
  const { toast } = useToast();
  const setActive = trpc.access.setUserActive.useMutation({
    onSuccess: (user) => {
      toast({
        tone: "success",
        title: user.active ? `${user.name} can sign in again.` : `${user.name} is disabled and was signed out everywhere.`,
      });
      onChanged();
    },
  });

  const columns = useMemo(
    () => [
      column.accessor("name", {
        header: "Name",
        enableSorting: true,
        cell: ({ row }) => (
          <span className="font-medium whitespace-nowrap">
            {row.original.name}
            {row.original.id === currentUserId ? <span className="ml-2 text-xs font-normal text-ink-muted">(you)</span> : null}
          </span>
        ),
      }),
      column.accessor("email", { header: "Email", enableSorting: true }),
      column.accessor((row) => ROLE_LABEL[row.role], { id: "role", header: "Role", enableSorting: true }),
      column.accessor("active", {
        header: "Status",
        enableSorting: true,
        cell: (info) => (info.getValue() ? <Badge tone="ok">Active</Badge> : <Badge tone="neutral">Disabled</Badge>),
      }),
      column.accessor("lastSignInAt", {
        header: "Last sign-in",
        cell: (info) => {
          const value = info.getValue();
          return <span className="whitespace-nowrap">{value ? <Time value={value} /> : <span className="text-ink-muted">Never</span>}</span>;
        },
      }),
      column.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => {
          const user = row.original;
          if (user.id === currentUserId) return null; // the server refuses disabling yourself too
          const busy = setActive.isPending && setActive.variables?.userId === user.id;
          return (
            <Button
              size="sm"
              variant={user.active ? "danger" : "secondary"}
              disabled={busy}
              aria-label={`${user.active ? "Disable" : "Enable"} ${user.name}`}
              onClick={() => setActive.mutate({ userId: user.id, active: !user.active })}
            >
              {user.active ? "Disable" : "Enable"}
            </Button>
          );
        },
      }),
    ],
    [currentUserId, setActive],
  );

  return <DataTable<UserRow> caption="Staff accounts" captionHidden data={users} columns={columns} getRowId={(u) => u.id} emptyMessage="No staff accounts yet." />;
}
