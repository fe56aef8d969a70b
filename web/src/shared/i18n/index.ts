// English and Bangla. Messages are plain strings with {name} placeholders; numbers, money,
// dates and times go through Intl so that Bangla gets Bangla digits and month names. A time of
// departure is always shown in the boarding station's time zone, whatever the phone's zone is.

import { Store, useStore } from "../store";
import { en, type MessageKey } from "./en";
import { bn } from "./bn";

export type Locale = "en" | "bn";
export type { MessageKey };

const LOCALE_KEY = "travio.locale";
const intlTags: Record<Locale, string> = { en: "en-GB", bn: "bn-BD" };

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === "en" || saved === "bn") return saved;
  return navigator.language?.toLowerCase().startsWith("bn") ? "bn" : "en";
}

export const locale = new Store<Locale>(initialLocale());
document.documentElement.lang = locale.get();

export function setLocale(next: Locale) {
  localStorage.setItem(LOCALE_KEY, next);
  document.documentElement.lang = next;
  locale.set(next);
}

export function useLocale(): Locale {
  return useStore(locale);
}

/**
 * A translation function over one dictionary per locale (the shared messages here, an app's
 * own beside it): with `n` equal to 1, a key's `.one` form when the language has one ("1 seat").
 */
export function translator<K extends string>(dictionaries: Record<Locale, Record<K, string>>) {
  return (key: K, values: Record<string, string | number> = {}): string => {
    const dictionary = dictionaries[locale.get()] as Record<string, string>;
    const reference = dictionaries.en as Record<string, string>;
    const singular = values.n === 1 ? dictionary[`${key}.one`] : undefined;
    const text = singular ?? dictionary[key] ?? reference[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? formatValue(values[name]) : whole,
    );
  };
}

/** A shared message (errors, durations, the traveller app's words). */
export const t = translator<MessageKey>({ en, bn });

function formatValue(value: string | number): string {
  return typeof value === "number" ? number(value) : value;
}

export function number(value: number): string {
  return new Intl.NumberFormat(intlTags[locale.get()]).format(value);
}

/** Minor units as money: "৳1,500" (whole taka without decimals), "৳1,500.50". */
export function money(amount: number, currency: string): string {
  const whole = amount % 100 === 0;
  return new Intl.NumberFormat(intlTags[locale.get()], {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(amount / 100);
}

/**
 * The time zone to show an instant in: the station's IANA zone when known, else the fixed
 * offset the server wrote the instant with (which is the station's offset at that instant).
 */
function zoneFor(iso: string, timeZone?: string): string | undefined {
  if (timeZone) return timeZone;
  const offset = /([+-]\d\d:\d\d)$/.exec(iso)?.[1];
  if (!offset) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: offset });
    return offset;
  } catch {
    return undefined;
  }
}

/** A clock time on the 24-hour clock of bus timetables ("07:00", "২২:৩০"). */
export function time(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlTags[locale.get()], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: zoneFor(iso, timeZone),
  }).format(new Date(iso));
}

export function date(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlTags[locale.get()], {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: zoneFor(iso, timeZone),
  }).format(new Date(iso));
}

/** A calendar date (YYYY-MM-DD) as words, without any time zone arithmetic. */
export function calendarDate(ymd: string): string {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Intl.DateTimeFormat(intlTags[locale.get()], {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The zone of the first market's stations, for "today" before any station is known. */
export const DEFAULT_ZONE = "Asia/Dhaka";

/** Today's date (or `offsetDays` later) in `timeZone`, as YYYY-MM-DD. */
export function calendarDayIn(timeZone: string, offsetDays = 0): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t("duration.minutes", { m });
  return m === 0 ? t("duration.hours", { h }) : t("duration.hoursMinutes", { h, m });
}
