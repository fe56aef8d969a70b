// A schedule's days (api.md: `days` "daily" or weekdays, a start and end date, dates left out)
// as the calendar dates it generates trips on, computed here for the preview before saving.

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY_MS = 86_400_000;

function parse(ymd: string): number | null {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!found) return null;
  const at = Date.UTC(Number(found[1]), Number(found[2]) - 1, Number(found[3]));
  return Number.isNaN(at) ? null : at;
}

export const ymdOf = (at: number) => new Date(at).toISOString().slice(0, 10);

export function weekdayOf(ymd: string): Weekday {
  const at = parse(ymd) ?? 0;
  return WEEKDAYS[(new Date(at).getUTCDay() + 6) % 7];
}

/** Every date from `start` to `end` (both included) on `days`, except `except`; at most 400. */
export function datesOf(start: string, end: string, days: readonly Weekday[], except: readonly string[]): string[] {
  const from = parse(start);
  const to = parse(end);
  if (from === null || to === null || to < from) return [];
  const skip = new Set(except);
  const out: string[] = [];
  for (let at = from; at <= to && out.length < 400; at += DAY_MS) {
    const ymd = ymdOf(at);
    if (days.includes(weekdayOf(ymd)) && !skip.has(ymd)) out.push(ymd);
  }
  return out;
}

/** The months from `start` to `end` as weeks of seven cells (null outside the month). */
export function monthsBetween(start: string, end: string, limit = 3): { month: string; weeks: (string | null)[][] }[] {
  const from = parse(start);
  const to = parse(end);
  if (from === null || to === null || to < from) return [];
  const months: { month: string; weeks: (string | null)[][] }[] = [];
  let year = new Date(from).getUTCFullYear();
  let month = new Date(from).getUTCMonth();
  while (months.length < limit && Date.UTC(year, month, 1) <= to) {
    const first = Date.UTC(year, month, 1);
    const daysIn = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const lead = (new Date(first).getUTCDay() + 6) % 7; // Monday first
    const cells: (string | null)[] = Array.from({ length: lead }, () => null);
    for (let d = 0; d < daysIn; d++) cells.push(ymdOf(first + d * DAY_MS));
    while (cells.length % 7 !== 0) cells.push(null);
    const weeks: (string | null)[][] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    months.push({ month: ymdOf(first).slice(0, 7), weeks });
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return months;
}

export function addDays(ymd: string, days: number): string {
  const at = parse(ymd);
  return at === null ? ymd : ymdOf(at + days * DAY_MS);
}
