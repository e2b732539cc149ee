import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { CreateUserForm } from "~/features/access/create-user-form";
import { UsersTable } from "~/features/access/users-table";
import { callServer } from "~/lib/caller.server";
import { useAppData } from "~/lib/use-app-data";

export const meta: MetaFunction = () => [{ title: "Users · Carelane" }];

export { RouteErrorBoundary as ErrorBoundary };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const users = await callServer(request, () => context.caller.access.listUsers());
  // Same shape as the browser's tRPC client sees (Dates as ISO strings).
  return { users: users.map((u) => ({ ...u, lastSignInAt: u.lastSignInAt?.toISOString() ?? null })) };
}

export default function Users() {
  const { users } = useLoaderData<typeof loader>();
  const { me } = useAppData();
  const { revalidate } = useRevalidator();

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold text-ink">Users</h1>
        <p className="mt-1 text-sm text-ink-muted">Staff accounts of {me.clinic.name}. Disabling an account signs that person out at once.</p>
      </header>
      <UsersTable users={users} currentUserId={me.user.id} onChanged={revalidate} />
      <div className="max-w-3xl rounded-lg border border-surface-border bg-surface p-5 shadow-card">
        <CreateUserForm onCreated={revalidate} />
      </div>
    </div>
  );
}
