// The sales desk's shapes and small helpers: orders as staff read them (with payments, refunds
// and tickets), the words for a status or a way of paying, a Dhaka day as the instants that
// bound it, and cash typed at the counter as minor units.

import { date, DEFAULT_ZONE, money, time } from "../../shared/i18n";
import type { Money, Station } from "../../shared/types";
import { ct, type ConsoleKey } from "../i18n";
import { addDays } from "../schedule";

export const ORDER_STATUSES = ["pending_payment", "under_review", "confirmed", "partially_cancelled", "cancelled", "expired"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface StaffPayment {
  id: string;
  status: string;
  amount: Money;
  refunded?: Money;
  provider?: string;
  method: { type: string; brand?: string; last4?: string };
  created_at?: string;
}

export interface StaffRefund {
  id: string;
  amount: Money;
  reason?: string;
  status?: string;
  payment_id?: string;
  created_at: string;
}

export interface StaffTicket {
  id: string;
  number: string;
  seat: string;
  passenger: string | { name: string };
  status: string;
  pdf_url?: string;
}

export interface StaffOrderItem {
  seat: string;
  passenger: { name: string; gender: string; age?: number; phone?: string };
  price: Money;
  status: "active" | "cancelled" | string;
}

/** An order as GET /v1/orders/{id} and GET /v1/operator/orders answer it to staff. */
export interface StaffOrder {
  id: string;
  status: OrderStatus | string;
  /** Sold at the counter (paid there in cash), or online by the traveller. */
  channel: "counter" | "online";
  trip_id: string;
  hold_id?: string;
  from: string;
  to: string;
  departs_at: string;
  items: StaffOrderItem[];
  seats: string[];
  contact: { email: string; phone?: string; locale?: string };
  total: Money;
  expires_at: string;
  created_at: string;
  payments: StaffPayment[];
  refunds: StaffRefund[];
  tickets: StaffTicket[];
  fulfillment?: { status: string };
  pdf_url?: string;
}

export interface StaffCancelQuote {
  quote_id: string;
  seats: string[];
  refund: Money;
  fee: Money;
  percent?: number;
  tier: string;
  expires_at: string;
}

export const statusWord = (status: string) =>
  (ORDER_STATUSES as readonly string[]).includes(status) ? ct(`sales.status.${status}` as ConsoleKey) : status;

/** A card brand as the API names it ("visa") as people write it ("Visa"). */
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** How a payment was made, in words: "Visa ending 4242", "Cash at the counter". */
export function paidWith(payment: StaffPayment): string {
  const method = payment.method ?? { type: "" };
  if (method.type === "cash") return ct("sales.method.cash");
  if (method.type === "card") {
    return method.last4 ? ct("sales.method.card", { brand: capitalized(method.brand ?? ""), last4: method.last4 }) : ct("sales.method.cardPlain");
  }
  if (method.type === "redirect") return ct("sales.method.redirect");
  return method.type;
}

/** The payment a refund goes back to: the one that took the money. */
export function takingPayment(order: StaffOrder): StaffPayment | undefined {
  return order.payments.find((p) => p.status === "captured" || p.status === "partially_refunded" || p.status === "refunded") ?? order.payments[0];
}

export const zoneOf = (stations: Map<string, Station>, code: string) => stations.get(code)?.timezone ?? DEFAULT_ZONE;
export const placeName = (stations: Map<string, Station>, code: string) => stations.get(code)?.name ?? code;
export const when = (iso: string, zone: string) => `${date(iso, zone)}, ${time(iso, zone)}`;

/** The order's journey in words: "Dhaka → Cox's Bazar". */
export const journey = (stations: Map<string, Station>, order: { from: string; to: string }) =>
  `${placeName(stations, order.from)} → ${placeName(stations, order.to)}`;

/** The part of an order id people read out: its last twelve characters (the random part). */
export const shortRef = (id: string) => id.slice(-12).toUpperCase();

export const moneyOf = (m: Money) => money(m.amount, m.currency);

export const activeItems = (order: StaffOrder) => order.items.filter((item) => item.status === "active");

/** The offset of `zone` on a day ("+06:00"); Dhaka's when the browser cannot say. */
function offsetOn(ymd: string, zone: string): string {
  try {
    const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(new Date(`${ymd}T12:00:00Z`))
      .find((part) => part.type === "timeZoneName")?.value;
    if (name === "GMT") return "+00:00";
    const found = /GMT([+-]\d{2}:\d{2})/.exec(name ?? "");
    if (found) return found[1];
  } catch {
    // an unknown zone: fall through
  }
  return "+06:00";
}

/** A calendar day in `zone` as the instants that bound it, [from, until), in RFC 3339. */
export function dayBounds(ymd: string, zone: string = DEFAULT_ZONE): [string, string] {
  const next = addDays(ymd, 1);
  return [`${ymd}T00:00:00${offsetOn(ymd, zone)}`, `${next}T00:00:00${offsetOn(next, zone)}`];
}

export const isDay = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/** The digits a currency is written with after the point (2 for BDT). */
export function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Cash as the agent typed it ("3000", "3,000.50", "৩০০০", "৳ 3000") in minor units, or null
 * when it is not an amount.
 */
export function cashToMinor(text: string, currency: string): number | null {
  const digits = text
    .replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - 0x09e6))
    .replace(/[\s,৳]/g, "")
    .replace(/^(tk|bdt)\.?/i, "");
  const places = fractionDigits(currency);
  const pattern = places > 0 ? new RegExp(`^\\d{1,12}(\\.\\d{1,${places}})?$`) : /^\d{1,12}$/;
  if (!pattern.test(digits)) return null;
  const [whole, part = ""] = digits.split(".");
  return Number(whole) * 10 ** places + Number(part.padEnd(places, "0") || "0");
}

/** A signed link of the server, made relative: it is served by this same origin. */
export function sameOrigin(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.origin);
    return parsed.pathname.startsWith("/v1/") ? parsed.pathname + parsed.search : null;
  } catch {
    return null;
  }
}

/** The problems the server named by field, keyed as the request named them. */
export function fieldErrors(problem: { errors?: { field: string; message: string }[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of problem.errors ?? []) out[error.field] ??= error.message;
  return out;
}
