/**
 * A location as the scheduling screens need it (`scheduling.locations`): its wall-clock time zone,
 * in which "today" and every time on screen are read, and its rooms, the choices of the room picker.
 */
export interface LocationInfo {
  id: string;
  name: string;
  timeZone: string;
  rooms: string[];
}
