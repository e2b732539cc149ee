/**
 * A location as the scheduling screens need it: its wall-clock time zone and its rooms.
 *
 * INTERIM: `access.me` gives only id and name, and no procedure returns a location's time zone or
 * rooms yet (server change requested: `scheduling.locations` → { id, name, timeZone, rooms }).
 * Until then every location reads in the schema's default zone and rooms are unknown (null), so
 * the room control is a text box instead of a list (the server checks the name, and lists the
 * rooms when it is wrong). When the procedure exists, only `toLocationInfo` and the loaders that
 * call it change.
 */
export interface LocationInfo {
  id: string;
  name: string;
  timeZone: string;
  /** null while the server does not tell us the location's rooms */
  rooms: string[] | null;
}

/** The `location.time_zone` column default (prisma/schema.prisma). */
export const DEFAULT_TIME_ZONE = "America/New_York";

export function toLocationInfo(location: { id: string; name: string; timeZone?: string | null; rooms?: string[] | null }): LocationInfo {
  return { id: location.id, name: location.name, timeZone: location.timeZone ?? DEFAULT_TIME_ZONE, rooms: location.rooms ?? null };
}
