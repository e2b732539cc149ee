import { NavLink } from "@remix-run/react";
import type { Role } from "../../../server/permissions/registry.ts";
import { Logo } from "~/components/logo";
import { navFor } from "~/lib/navigation";
import { ROLE_LABEL } from "~/lib/roles";
import { LiveStatusBadge } from "./live-status-badge";
import { SignOutButton } from "./sign-out-button";

interface AppHeaderProps {
  clinicName: string;
  user: { name: string; role: Role };
}

export function AppHeader({ clinicName, user }: AppHeaderProps) {
  const items = navFor(user.role);
  return (
    <header className="border-b border-surface-border bg-surface">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-3 px-4 py-3 sm:px-6">
        <div className="flex items-center gap-3">
          <Logo />
          <span className="hidden h-5 w-px bg-surface-border sm:block" aria-hidden="true" />
          <span className="text-sm font-medium text-ink-muted">{clinicName}</span>
        </div>
        <div className="flex items-center gap-4">
          <LiveStatusBadge />
          <div className="text-right leading-tight">
            <p className="text-sm font-medium text-ink">{user.name}</p>
            <p className="text-xs text-ink-muted">{ROLE_LABEL[user.role]}</p>
          </div>
          <SignOutButton />
        </div>
      </div>
      <nav aria-label="Main" className="mx-auto max-w-6xl px-4 sm:px-6">
        <ul className="-mb-px flex gap-1 overflow-x-auto">
          {items.map((item) => (
            <li key={item.to}>
              <NavLink
                to={item.to}
                end={item.to === "/"}
                prefetch="intent"
                className={({ isActive }) =>
                  `inline-block border-b-2 px-3 py-2.5 text-sm font-medium ${
                    isActive ? "border-brand-600 text-brand-700" : "border-transparent text-ink-muted hover:border-surface-border hover:text-ink"
                  }`
                }
              >
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
