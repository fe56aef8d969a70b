// Wall-clock times in a station's time zone, for inputs of type datetime-local: an operator in
// London setting a ticket drop for Dhaka's buses types Dhaka's time, whatever the computer's
// zone is. Intl knows the zones; nothing here assumes a fixed offset.

/** `zone`'s offset from UTC at the instant `ms`, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** An instant (RFC 3339) as `zone`'s wall-clock time, "YYYY-MM-DDTHH:mm"; "" for none. */
export function wallTimeIn(iso: string | null | undefined, zone: string): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  return new Date(ms + offsetAt(ms, zone)).toISOString().slice(0, 16);
}

/** A wall-clock time "YYYY-MM-DDTHH:mm" in `zone` as an RFC 3339 instant in UTC; "" when unreadable. */
export function instantOf(wall: string, zone: string): string {
  const found = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(wall);
  if (!found) return "";
  const [, y, m, d, h, min] = found.map(Number);
  const guess = Date.UTC(y, m - 1, d, h, min);
  // Twice: the offset at the instant found may differ from the one at the guess (a DST change).
  let ms = guess - offsetAt(guess, zone);
  ms = guess - offsetAt(ms, zone);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The place a zone is named after ("Asia/Dhaka" → "Dhaka"), for labels. */
export function zoneCity(zone: string): string {
  return (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}
