// The plans' shapes and what the console says about them: names, periods, and what a change of
// plan does (services/subscription/README.md: an upgrade at once, its difference charged
// prorated for the rest of the period after any trial; a downgrade at the period's end).

import { date, DEFAULT_ZONE } from "../../shared/i18n";
import type { Money } from "../../shared/types";
import { backofficeEn } from "../i18n/backoffice";
import { ct, type ConsoleKey } from "../i18n";

export const QUOTAS = ["buses", "routes", "staff", "trips_per_month", "bookings_per_month"] as const;
export type Quota = (typeof QUOTAS)[number];
/** What stands (counted as it is) rather than what a period used. */
export const STANDING: readonly Quota[] = ["buses", "routes", "staff"];

export type Limits = Record<Quota, number | null>;

export interface Plan {
  name: string;
  monthly_price: Money;
  booking_fee: Money;
  limits: Limits;
}

export interface Subscription {
  plan: string;
  status: "trialing" | "active";
  trial_end: string;
  period_start: string;
  period_end: string;
  pending_plan: string | null;
  pending_from: string | null;
  usage: Record<Quota, number>;
  limits: Limits;
}

/** A plan's name in words ("Growth"); the name as it is for a plan the console does not know. */
export function planName(name: string): string {
  const key = `billing.planName.${name}`;
  return key in backofficeEn ? ct(key as ConsoleKey) : name;
}

/** A billing period (its end is the next period's first instant) as its first and last days. */
export function periodText(start: string, end: string): string {
  const last = new Date(Date.parse(end) - 1).toISOString();
  return ct("billing.periodRange", { from: date(start, DEFAULT_ZONE), to: date(last, DEFAULT_ZONE) });
}

const generous = (from: number | null, to: number | null) => to === null || (from !== null && to >= from);

/** `domain/plan.h` IsUpgrade: a higher price, or the same price for no more per booking and limits at least as generous. */
export function isUpgrade(from: Plan, to: Plan): boolean {
  if (to.monthly_price.amount !== from.monthly_price.amount) return to.monthly_price.amount > from.monthly_price.amount;
  if (to.booking_fee.amount > from.booking_fee.amount) return false;
  return QUOTAS.every((q) => generous(from.limits[q], to.limits[q]));
}

/**
 * `domain/billing.h` UpgradeCharge, as it would be now: the difference of the monthly prices for
 * what is left of the period, not counting time still in the trial, halves away from zero.
 */
export function upgradeCharge(from: Plan, to: Plan, subscription: Subscription, now = Date.now()): number {
  const start = Date.parse(subscription.period_start);
  const end = Date.parse(subscription.period_end);
  const chargedFrom = Math.max(now, Date.parse(subscription.trial_end), start);
  const difference = to.monthly_price.amount - from.monthly_price.amount;
  if (difference <= 0 || chargedFrom >= end || end <= start) return 0;
  return Math.round((difference * (end - chargedFrom)) / (end - start));
}

/** The quotas of what stands now that `plan` would not hold: [quota, used, limit]. */
export function exceededBy(plan: Plan, subscription: Subscription): [Quota, number, number][] {
  const out: [Quota, number, number][] = [];
  for (const quota of STANDING) {
    const limit = plan.limits[quota];
    const used = subscription.usage[quota] ?? 0;
    if (limit !== null && used > limit) out.push([quota, used, limit]);
  }
  return out;
}

export function quotaName(quota: Quota): string {
  return ct(`billing.quota.${quota}` as ConsoleKey);
}

/** A limit in words: the number, or "no limit". */
export function limitText(limit: number | null): string {
  return limit === null ? ct("billing.unlimited") : ct("billing.limitNumber", { n: limit });
}
