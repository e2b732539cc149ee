import { data, type AppLoadContext } from "@remix-run/node";
import { can, type Permission } from "../../../server/permissions/registry.ts";
import { requireSession } from "~/lib/caller.server";

/**
 * For pages whose loader makes no call that would check the permission itself (the search page
 * searches from the browser): signed in, and the role holds `permission`, or a 403 page.
 */
export function requirePermission(context: AppLoadContext, request: Request, permission: Permission) {
  const session = requireSession(context, request);
  if (!can(session.user.role, permission)) {
    throw data({ message: `Your role may not do this (needs ${permission}).` }, { status: 403 });
  }
  return session;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A patient id from the URL, or the 404 page (a malformed id cannot name a patient). */
export function patientIdParam(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw data({ message: "Patient was not found." }, { status: 404 });
  return value;
}

export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);
