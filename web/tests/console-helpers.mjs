// What the console's browser tests share: accounts made through the API, signing in through the
// console's own page, the demo operator's manager, and axe-core's verdict as an assertion.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { accessibilityProblems, desktopPage } from "./harness.mjs";

export const PASSWORD = "correct horse battery";

/** Minor units as the console writes money in English (web/src/shared/i18n: money()). */
export function money(amount, currency) {
  const whole = amount % 100 === 0;
  return new Intl.NumberFormat("en-GB", {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(amount / 100);
}

export const unique = (name) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

export async function assertAccessible(page, where) {
  const problems = await accessibilityProblems(page);
  assert.deepEqual(problems, [], `axe-core found serious or critical problems on ${where}`);
}

/** A JSON call to the gateway as `token` (and, when given, for organization `org`). */
export async function api(travio, method, path, token, body, headers = {}) {
  const answer = await fetch(`${travio.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await answer.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: answer.status, body: parsed, headers: answer.headers };
}

/** A new account that owns a new organization: { email, password, token, orgId }. */
export async function newOwner(travio, company = `Operator ${Date.now()}`) {
  const email = unique("owner");
  assert.equal((await api(travio, "POST", "/v1/auth/register", null, { email, password: PASSWORD, name: "Owner" })).status, 201);
  const login = await api(travio, "POST", "/v1/auth/login", null, { email, password: PASSWORD });
  const token = login.body.access_token;
  const org = await api(travio, "POST", "/v1/orgs", token, { name: company });
  assert.equal(org.status, 201);
  return { email, password: PASSWORD, token, orgId: org.body.id, company };
}

/** The demo operator's manager, as `travio seed --demo` wrote it into the data directory. */
export async function demoManager(travio) {
  const text = readFileSync(join(travio.dataDir, "demo-credentials.txt"), "utf8");
  const email = /email: (\S+)/.exec(text)[1];
  const password = /password: (\S+)/.exec(text)[1];
  const login = await api(travio, "POST", "/v1/auth/login", null, { email, password });
  const me = await api(travio, "GET", "/v1/me", login.body.access_token);
  return { email, password, token: login.body.access_token, orgId: me.body.memberships[0].org_id };
}

/** A desktop page signed in to the console as `who` ({ email, password }), on the dashboard. */
export async function consoleAs(browser, travio, who) {
  const { context, page } = await desktopPage(browser);
  await page.goto(`${travio.url}/console/signin`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Console menu" }).waitFor();
  return { context, page };
}

/** A link of the console's menu (the page may have another link with the same words). */
export function menuLink(page, name) {
  return page.getByRole("navigation", { name: "Console menu" }).getByRole("link", { name, exact: true });
}
