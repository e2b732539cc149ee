import { can, type Permission, type Role } from "../../server/permissions/registry.ts";

export interface NavItem {
  to: string;
  label: string;
  /** One line for the home page card. */
  description: string;
  /** The permission a role needs to see the link (the server checks again on every call). */
  permission: Permission;
}

/**
 * Every top-level area of the signed-in app, in menu order. A new module adds one line here and
 * appears in the menu and on the home page of every role allowed to use it.
 */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: "/", label: "Home", description: "Your start page", permission: "self:read" },
  { to: "/patients", label: "Patients", description: "Find, register and update patient records", permission: "patient:read" },
  { to: "/schedule", label: "Schedule", description: "The day's appointments, booking and check-in", permission: "schedule:read" },
  { to: "/board", label: "Waiting room", description: "Who is waiting at each location, live", permission: "schedule:read" },
  { to: "/templates", label: "Note templates", description: "Starting text of notes per visit type", permission: "template:manage" },
  { to: "/audit", label: "Audit log", description: "Who did what, and when, across the clinic", permission: "audit:read" },
  { to: "/users", label: "Users", description: "Staff accounts, roles and access", permission: "user:manage" },
];

export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission));
}
