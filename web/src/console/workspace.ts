// Who is using the console and for which organization: the signed-in user's memberships (from
// /v1/me, with the permissions each role holds) and the organization they chose, remembered in
// this browser. Every org-scoped call names that organization in X-Org-Id. What is shown
// follows the permissions; the gateway still checks every request.

import { call, type CallOptions } from "../shared/api";
import { ApiError } from "../shared/problem";
import { endpoints } from "../shared/endpoints";
import type { Endpoint } from "../shared/endpoints";
import { Store, useStore } from "../shared/store";

export type Role = "owner" | "admin" | "manager" | "agent" | "conductor" | "viewer";
export const ROLES: readonly Role[] = ["owner", "admin", "manager", "agent", "conductor", "viewer"];

export type Permission =
  | "org.read"
  | "members.read"
  | "members.manage"
  | "invites.manage"
  | "fleet.read"
  | "fleet.manage"
  | "catalog.read"
  | "catalog.manage"
  | "pricing.manage"
  | "reports.read"
  | "sales.read"
  | "sales.create"
  | "boarding.scan"
  | "fraud.review"
  | "fraud.settings"
  | "audit.read"
  | "billing.manage"
  | "billing.read";

export interface Membership {
  org_id: string;
  org_name: string;
  role: Role;
  permissions: Permission[];
}

export interface Me {
  id: string;
  email: string;
  name: string;
  memberships: Membership[];
}

const ORG_KEY = "travio.console.org";

/** The signed-in user as /v1/me last answered; null until loaded (or when signed out). */
export const me = new Store<Me | null>(null);
const chosenOrg = new Store<string | null>(localStorage.getItem(ORG_KEY));

export async function loadMe(): Promise<Me> {
  const answer = await call<Me>(endpoints.me, { auth: "user" });
  me.set(answer.body);
  return answer.body;
}

export function forgetMe() {
  me.set(null);
}

/** The membership the console works in: the chosen one while the user still has it, else the first. */
export function currentMembership(user: Me | null = me.get()): Membership | null {
  if (!user || user.memberships.length === 0) return null;
  const chosen = chosenOrg.get();
  return user.memberships.find((m) => m.org_id === chosen) ?? user.memberships[0];
}

export function chooseOrg(orgId: string) {
  localStorage.setItem(ORG_KEY, orgId);
  chosenOrg.set(orgId);
}

export function useWorkspace(): { user: Me | null; membership: Membership | null } {
  const user = useStore(me);
  useStore(chosenOrg);
  return { user, membership: currentMembership(user) };
}

export function can(membership: Membership | null, permission: Permission): boolean {
  // A gateway older than the console sends no permissions: then nothing is offered.
  return membership?.permissions?.includes(permission) ?? false;
}

/** What the console does when the session is gone (set by the app: back to signing in). */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void) {
  onSignedOut = handler;
}

/**
 * A call on behalf of the current organization, as the signed-in user (never as a guest): a
 * session that ended elsewhere sends the console back to signing in.
 */
export async function orgCall<T>(endpoint: Endpoint, options: CallOptions = {}) {
  const membership = currentMembership();
  if (!membership) throw new Error("no organization chosen");
  try {
    return await call<T>(endpoint, { ...options, auth: "user", headers: { ...options.headers, "X-Org-Id": membership.org_id } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) onSignedOut();
    throw error;
  }
}
