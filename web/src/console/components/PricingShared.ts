// What the pricing pages share: the API's shapes for rules, quotes and trials, the trips they
// preview on, and times written in a named zone (the rule's validity, the trial's timestamps).

import { ApiError } from "../../shared/problem";
import type { Trip } from "../model";

export interface PricingRule {
  id: string;
  name: string;
  priority: number;
  when: string;
  adjust: string;
  active: boolean;
  valid_from: string | null;
  valid_to: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AppliedRule {
  rule_id: string;
  version: number;
  name: string;
  before: number;
  after: number;
}

export interface QuotedCategory {
  category: string;
  seat: string;
  available: number;
  base: number;
  price: number;
  currency: string;
  applied: AppliedRule[];
  skipped?: { rule_id: string; version: number; name: string }[];
  refused?: string;
}

export interface Quote {
  trip_id: string;
  from: string;
  to: string;
  at: string;
  currency: string;
  categories: QuotedCategory[];
}

export interface SeatMap {
  decks: { cells: { label?: string; category?: string; status?: string; type: string }[] }[];
}

/** A trip as the catalog lists it for the organization, with what the rules read of its bus. */
export interface PricedTrip extends Trip {
  bus: Trip["bus"] & { class?: string; ac?: boolean };
}

/** A trip with its quote for the whole route and its seat map, loaded together. */
export interface TripFacts {
  trip: PricedTrip;
  quote: Quote;
  seats: SeatMap;
}

export interface Evaluation {
  value: unknown;
  type: string;
}

/** An expression's problem where the server placed it (line and column count from 1). */
export interface ExpressionProblem {
  message: string;
  line?: number;
  column?: number;
}

/** The problems the server named per field ("when", "adjust", "expression", "bindings.trip.ac"). */
export function problemsByField(error: unknown): Record<string, ExpressionProblem[]> {
  const found: Record<string, ExpressionProblem[]> = {};
  if (!(error instanceof ApiError)) return found;
  for (const item of error.problem.errors ?? []) {
    const extra = item as unknown as { line?: unknown; column?: unknown };
    const line = typeof extra.line === "number" && extra.line > 0 ? extra.line : undefined;
    const column = typeof extra.column === "number" && extra.column > 0 ? extra.column : undefined;
    (found[item.field] ??= []).push({ message: item.message, line, column });
  }
  return found;
}

/** A whole number typed with Latin or Bangla digits (an optional minus), else null. */
export function wholeNumber(text: string): number | null {
  const latin = text.trim().replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - 0x09e6)).replace(/^−/, "-");
  if (!/^-?\d{1,9}$/.test(latin)) return null;
  return Number(latin);
}

// Times in a named zone, whatever the browser's zone is.

function partsIn(ms: number, zone: string) {
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
  return { y: get("year"), mo: get("month"), d: get("day"), h: get("hour") % 24, mi: get("minute"), s: get("second") };
}

/** The zone's offset from UTC at an instant, in minutes (Dhaka: 360). */
function offsetMinutes(ms: number, zone: string): number {
  const p = partsIn(ms, zone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

/** An instant as RFC 3339 with the zone's offset: "2026-12-07T08:00:00+06:00". */
export function isoInZone(ms: number, zone: string): string {
  const p = partsIn(ms, zone);
  const off = offsetMinutes(ms, zone);
  const sign = off < 0 ? "-" : "+";
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** An instant as a datetime-local input's value in the zone: "2026-12-07T08:00". */
export function localInputValue(iso: string | null, zone: string): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const p = partsIn(ms, zone);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

/** A datetime-local input's value read as a wall-clock time in the zone; null when it does not read. */
export function instantFromLocal(value: string, zone: string): number | null {
  const found = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!found) return null;
  const [y, mo, d, h, mi, s] = found.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  // Twice: the offset at the guess may differ from the offset at the answer around a change.
  let guess = wall - offsetMinutes(wall, zone) * 60000;
  guess = wall - offsetMinutes(guess, zone) * 60000;
  return guess;
}

/** Whether the rule prices seats at `now`: active and inside [valid_from, valid_to). */
export function ruleState(rule: Pick<PricingRule, "active" | "valid_from" | "valid_to">, now = Date.now()) {
  if (!rule.active) return "off" as const;
  if (rule.valid_from && Date.parse(rule.valid_from) > now) return "later" as const;
  if (rule.valid_to && Date.parse(rule.valid_to) <= now) return "ended" as const;
  return "now" as const;
}

/** The rules in the order they apply: ascending priority, then id. */
export function inOrder<T extends { priority: number; id: string }>(rules: T[]): T[] {
  return [...rules].sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
