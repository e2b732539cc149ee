import { can, type Permission } from "../../../server/permissions/registry.ts";
import { useAppData } from "~/lib/use-app-data";

/** Whether the signed-in role holds a permission: for showing controls (the server checks again). */
export function useCan(permission: Permission): boolean {
  const { me } = useAppData();
  return can(me.user.role, permission);
}
