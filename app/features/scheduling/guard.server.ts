import { data, type AppLoadContext } from "@remix-run/node";
import { can, type Permission } from "../../../server/permissions/registry.ts";
import { requireSession } from "~/lib/caller.server";

/** Signed in and the role holds `permission`, or the 403 page (for loaders that make no checked call first). */
export function requirePermission(context: AppLoadContext, request: Request, permission: Permission) {
  const session = requireSession(context, request);
  if (!can(session.user.role, permission)) {
    throw data({ message: `Your role may not do this (needs ${permission}).` }, { status: 403 });
  }
  return session;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);

/** A location id from the URL, or the 404 page (a malformed id cannot name a location). */
export function locationIdParam(value: string | undefined): string {
  if (!isUuid(value)) throw data({ message: "Location was not found." }, { status: 404 });
  return value;
}
