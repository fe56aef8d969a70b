// The console's back office in Debian's Chromium against the real monolith. A guest buys a demo
// trip; the demo operator's manager finds that sale in Reports (totals equal to the API's, the
// chart drawn with its text alternative, in English and in Bangla), downloads the bookings CSV
// holding the order, and pages through the long audit log. A new organization's owner reads and
// verifies its audit log, sees the trial plan's usage, upgrades with the consequences said first
// (the API then reports the new plan), schedules a downgrade and calls it off; a manager is shown
// neither the audit log nor the plan. With billing periods of seconds, an owner opens an
// invoice's lines and downloads its PDF. Every page state shown is checked with axe-core.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { ApiClient, dhakaDate, inviteFromMail, launchBrowser, screenshot, startTravio } from "./harness.mjs";
import { api, assertAccessible, consoleAs, demoManager, menuLink, money, newOwner, PASSWORD, unique } from "./console-helpers.mjs";

let travio;
let browser;

before(async () => {
  travio = await startTravio();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await travio?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Asks `read` again until `done` holds for its answer (the read models trail the events). */
async function eventually(read, done, what) {
  let last;
  for (let attempt = 0; attempt < 40; attempt++) {
    last = await read();
    if (done(last)) return last;
    await sleep(400);
  }
  assert.fail(`${what}: never came; last answer ${JSON.stringify(last?.body ?? last).slice(0, 500)}`);
}

/** A guest books one seat of a demo trip from Dhaka to Cox's Bazar and pays by card. */
async function guestBuys(orgId, day) {
  const guest = await new ApiClient(travio.url).guest();
  const found = await guest.request("GET", `/v1/search?from=DHK&to=CXB&date=${day}&passengers=1&limit=50`);
  assert.equal(found.status, 200);
  const hit = found.body.items.find((item) => item.operator.id === orgId);
  assert.ok(hit, "the demo operator runs a trip from Dhaka to Cox's Bazar that day");
  const map = await guest.request("GET", `/v1/trips/${hit.trip_id}/seats?from=DHK&to=CXB`);
  const seat = map.body.decks.flatMap((deck) => deck.cells).find((cell) => cell.label && cell.status === "available");
  const hold = await guest.request("POST", "/v1/inventory/lock", { trip_id: hit.trip_id, seats: [seat.label], from: "DHK", to: "CXB" });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const order = await guest.request(
    "POST",
    "/v1/orders",
    { hold_id: hold.body.hold_id, passengers: [{ seat: seat.label, name: "Farhana Akter", gender: "female" }], contact: { email: "farhana@example.com" } },
    { "Idempotency-Key": `backoffice-order-${Date.now()}` },
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const paid = await guest.request(
    "POST",
    "/v1/payments",
    { order_id: order.body.id, method: { type: "card", number: "4242424242424242", exp_month: 12, exp_year: 2035, cvc: "123" } },
    { "Idempotency-Key": `backoffice-pay-${Date.now()}` },
  );
  assert.equal(paid.status, 201, JSON.stringify(paid.body));
  return { tripId: hit.trip_id, orderId: order.body.id, fare: hit.fare };
}

test("the manager reads a sale in the reports, drawn as a chart, and downloads its bookings", async () => {
  const manager = await demoManager(travio);
  const org = { "X-Org-Id": manager.orgId };
  const saleDay = dhakaDate(3);
  const sale = await guestBuys(manager.orgId, saleDay);
  const from = dhakaDate(0);
  const to = dhakaDate(7);
  // The report follows the sale's events: asked until the booking is in it.
  const report = await eventually(
    () => api(travio, "GET", `/v1/reports/revenue?from_date=${from}&to_date=${to}&group_by=day`, manager.token, null, org),
    (answer) => answer.status === 200 && answer.body.totals.bookings >= 1,
    "the sale in the revenue report",
  );
  const { totals, currency } = report.body;
  assert.equal(currency, sale.fare.currency);

  const { context, page } = await consoleAs(browser, travio, manager);
  await menuLink(page, "Reports").click();
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
  await page.locator("section.reports[data-loaded]").waitFor();
  // The last 30 days up to today at first: no trip of them was sold.
  assert.equal(await page.getByLabel("First day").inputValue(), dhakaDate(-29));
  assert.equal(await page.getByLabel("Last day").inputValue(), from);
  assert.equal(await page.getByRole("button", { name: "Last 30 days" }).getAttribute("aria-pressed"), "true");
  await page.getByText(/^No sales on trips departing from .* to .*\.$/).waitFor();
  await assertAccessible(page, "the reports of the last 30 days");

  // The range of the coming week, which holds the trip sold.
  await page.getByLabel("First day").fill(from);
  await page.getByLabel("Last day").fill(to);
  await page.waitForURL(new RegExp(`from_date=${from}&to_date=${to}`));
  const net = page.locator("#total-net .tile-value");
  await net.waitFor();
  assert.equal(await net.textContent(), money(totals.net, currency));
  assert.equal(await page.locator("#total-gross .tile-value").textContent(), money(totals.gross, currency));
  assert.equal(await page.locator("#total-bookings .tile-value").textContent(), String(totals.bookings));
  assert.equal(await page.locator("#revenue-table tfoot td[data-total=net]").textContent(), money(totals.net, currency));
  const saleRow = page.locator(`#revenue-table tbody tr[data-key="${saleDay}"]`);
  const dayNet = money(report.body.rows.find((r) => r.key === saleDay).net, currency);
  assert.ok((await saleRow.textContent()).includes(dayNet), "the day of the trip sold has its net revenue");

  // The chart is drawn on a canvas, named in words, with every day's value in a table.
  const chart = page.locator("#revenue-chart");
  await chart.locator("canvas").first().waitFor();
  assert.ok((await chart.locator("canvas").first().boundingBox()).width > 300, "the plot is as wide as the page gives it");
  const plot = page.getByRole("img", { name: /^Net revenue per day, .*: 8 values from .* to .*\. Net revenue: highest / });
  assert.equal(await plot.count(), 1);
  assert.ok((await plot.getAttribute("aria-label")).includes(`highest ${dayNet}`));
  assert.equal(await page.locator("#revenue-chart-table tbody tr").count(), 8);
  assert.ok((await page.locator("#occupancy-chart canvas").count()) > 0, "occupancy is drawn too");
  await assertAccessible(page, "the reports of the coming week");
  await screenshot(page, "console-reports");

  // One row per trip: the trip sold, linked to its page.
  await page.getByLabel("One row per").first().selectOption("trip");
  await page.locator(`#revenue-table a[href="/console/trips/${sale.tripId}"]`).waitFor();
  assert.equal(await page.locator("#revenue-table caption").textContent(), "Revenue by trip");
  await assertAccessible(page, "revenue by trip");

  // The bookings of the range as a CSV file, fetched with the member's credentials.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Bookings (CSV)" }).click()]);
  assert.equal(download.suggestedFilename(), `bookings-${from}-${to}.csv`);
  const csv = readFileSync(await download.path(), "utf8");
  assert.match(csv.split("\r\n")[0], /order/i, "a header row");
  assert.ok(csv.includes(sale.orderId), "the bookings export lists the order sold");
  await page.getByRole("status").filter({ hasText: `Saved bookings-${from}-${to}.csv.` }).waitFor();

  // In Bangla, the same report is drawn again in Bangla's words and digits.
  await page.getByRole("button", { name: "বাংলা" }).click();
  await page.getByRole("heading", { name: "রিপোর্ট", level: 1 }).waitFor();
  await page.getByRole("img", { name: /^দিনপ্রতি নিট আয়/ }).waitFor();
  assert.ok(await page.locator("#revenue-chart canvas").count() > 0);
  assert.match(await page.locator("#total-bookings .tile-value").textContent(), /^[০-৯]+$/);
  await assertAccessible(page, "the reports in Bangla");
  await screenshot(page, "console-reports-bn");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();

  // The demo operator's long audit log comes a page at a time, newest first.
  await menuLink(page, "Audit log").click();
  const entries = page.locator(".audit-table tbody tr");
  await entries.first().waitFor();
  assert.equal(await entries.count(), 50);
  const newest = Number(await entries.first().getAttribute("data-seq"));
  await page.getByRole("button", { name: "Show older entries" }).click();
  await page.locator(`.audit-table tr[data-seq="${newest - 50}"]`).waitFor();
  assert.equal(await entries.count(), 100);
  const seqs = await entries.evaluateAll((rows) => rows.map((row) => Number(row.dataset.seq)));
  assert.deepEqual(seqs, seqs.map((_, i) => newest - i), "one entry after another, none missed or shown twice");

  assert.deepEqual(page.problems, []);
  await context.close();
});

test("an owner verifies the audit log and upgrades the plan; a manager sees neither", async () => {
  const owner = await newOwner(travio);
  const org = { "X-Org-Id": owner.orgId };
  // The log follows the services' events: the organization's creation and its trial.
  const log = await eventually(
    () => api(travio, "GET", "/v1/audit", owner.token, null, org),
    (answer) => answer.status === 200 && ["identity.org_created", "subscription.started"].every((a) => answer.body.items.some((e) => e.action === a)),
    "the new organization's audit entries",
  );

  const { context, page } = await consoleAs(browser, travio, owner);
  await menuLink(page, "Audit log").click();
  await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
  const rows = page.locator(".audit-table tbody tr");
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= log.body.items.length);
  const created = log.body.items.find((e) => e.action === "identity.org_created");
  const createdRow = page.locator(`.audit-table tr[data-seq="${created.seq}"]`);
  assert.match(await createdRow.textContent(), /Organization created/);
  assert.match(await createdRow.textContent(), new RegExp(owner.company));
  assert.match(await createdRow.textContent(), /Owner/, "the actor is named");
  await assertAccessible(page, "the audit log");

  // The log checks out, in words.
  const verified = await api(travio, "GET", "/v1/audit/verify", owner.token, null, org);
  assert.equal(verified.body.ok, true);
  await page.getByRole("button", { name: "Verify the log" }).click();
  const verdict = page.getByRole("status").filter({ hasText: "The log checks out." });
  await verdict.waitFor();
  assert.match(await verdict.textContent(), /are linked, sealed and unchanged|is sealed and unchanged/);
  assert.ok((await verdict.locator("code").textContent()).length === 64, "the head hash is shown");

  // An entry in full: its hash and the one before it.
  await createdRow.getByText(`Entry ${created.seq} in full`).click();
  await createdRow.getByText(created.hash).waitFor();
  await assertAccessible(page, "the audit log verified, an entry open");
  await screenshot(page, "console-audit");

  // Only the identity service's entries.
  await page.getByLabel("Action", { exact: true }).fill("identity.");
  await page.getByRole("button", { name: "Show entries" }).click();
  await page.waitForURL(/action=identity\./);
  await page.getByRole("table", { name: "Entries matching the filters, newest first" }).waitFor();
  const identityEntries = (await api(travio, "GET", "/v1/audit?action=identity.", owner.token, null, org)).body.items;
  assert.equal(await rows.count(), identityEntries.length);
  await page.getByRole("button", { name: "Clear the filters" }).click();
  await page.getByRole("table", { name: "Entries, newest first" }).waitFor();

  // The plan: a trial, its period, the usage against each limit.
  const subscription = (await api(travio, "GET", "/v1/subscription", owner.token, null, org)).body;
  assert.equal(subscription.status, "trialing");
  await menuLink(page, "Plan and invoices").click();
  const plans = (await api(travio, "GET", "/v1/plans")).body.items;
  const name = (plan) => plan[0].toUpperCase() + plan.slice(1);
  await page.getByRole("heading", { name: `Your plan: ${name(subscription.plan)}` }).waitFor();
  await page.getByText(/^Free trial until /).waitFor();
  assert.equal(await page.locator('[data-quota="buses"] .meter-text').textContent(), `${subscription.usage.buses} of ${subscription.limits.buses}`);
  assert.equal(await page.locator("progress#usage-routes").getAttribute("max"), String(subscription.limits.routes));
  await page.getByText(/^No invoices yet: the first is issued when this billing period ends/).waitFor();
  await assertAccessible(page, "the plan on trial");
  await screenshot(page, "console-billing");

  // A bigger plan: what it does is said before it is confirmed.
  const current = plans.findIndex((p) => p.name === subscription.plan);
  const bigger = plans[current + 1];
  assert.ok(bigger, "a bigger plan exists");
  await page.getByRole("button", { name: `Choose ${name(bigger.name)}` }).click();
  const said = page.getByRole("region", { name: "What changing plans does" });
  await said.getByRole("heading", { name: `Upgrade to ${name(bigger.name)}` }).waitFor();
  assert.match(await said.textContent(), new RegExp(`${name(bigger.name)} and its limits apply at once`));
  assert.match(await said.textContent(), /(about .* is charged prorated on this period's invoice|Nothing more is charged for this period)/);
  assert.match(await said.textContent(), new RegExp(`From the next period: ${money(bigger.monthly_price.amount, bigger.monthly_price.currency)} a month`));
  assert.equal((await api(travio, "GET", "/v1/subscription", owner.token, null, org)).body.plan, subscription.plan, "nothing changes before it is confirmed");
  await assertAccessible(page, "an upgrade about to be confirmed");
  await screenshot(page, "console-billing-upgrade");
  await said.getByRole("button", { name: `Upgrade to ${name(bigger.name)} now` }).click();
  await page.getByRole("status").filter({ hasText: `You are now on ${name(bigger.name)}.` }).waitFor();
  await page.getByRole("heading", { name: `Your plan: ${name(bigger.name)}` }).waitFor();
  assert.equal((await api(travio, "GET", "/v1/subscription", owner.token, null, org)).body.plan, bigger.name);

  // Back to the smaller plan: at the period's end, and it can be called off until then.
  await page.getByRole("button", { name: `Choose ${name(subscription.plan)}` }).click();
  await said.getByText(new RegExp(`^${name(subscription.plan)} takes effect with the next billing period, on `)).waitFor();
  await said.getByRole("button", { name: new RegExp(`^Move to ${name(subscription.plan)} on `) }).click();
  await page.getByRole("status").filter({ hasText: new RegExp(`Your plan moves to ${name(subscription.plan)} on `) }).waitFor();
  const waiting = (await api(travio, "GET", "/v1/subscription", owner.token, null, org)).body;
  assert.equal(waiting.plan, bigger.name);
  assert.equal(waiting.pending_plan, subscription.plan);
  await assertAccessible(page, "a downgrade waiting");
  await page.getByRole("button", { name: `Stay on ${name(bigger.name)}` }).click();
  await page.getByRole("status").filter({ hasText: `The move is called off: you stay on ${name(bigger.name)}.` }).waitFor();
  assert.equal((await api(travio, "GET", "/v1/subscription", owner.token, null, org)).body.pending_plan, null);
  assert.deepEqual(page.problems, []);

  // A manager: the menu follows the permissions, and the pages refuse anyway.
  const managerEmail = unique("manager");
  const invited = await api(travio, "POST", "/v1/orgs/invites", owner.token, { email: managerEmail, role: "manager" }, { ...org, "Idempotency-Key": `invite-${Date.now()}` });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const { token } = await inviteFromMail(travio.dataDir, managerEmail);
  const accepted = await api(travio, "POST", "/v1/invites/accept", null, { token, name: "Manager Hasan", password: PASSWORD });
  assert.ok([200, 201].includes(accepted.status), JSON.stringify(accepted.body));
  const { context: managerContext, page: manager } = await consoleAs(browser, travio, { email: managerEmail, password: PASSWORD });
  await menuLink(manager, "Reports").waitFor();
  assert.equal(await menuLink(manager, "Audit log").count(), 0);
  assert.equal(await menuLink(manager, "Plan and invoices").count(), 0);
  await manager.goto(`${travio.url}/console/audit`);
  await manager.getByRole("heading", { name: "Not for your role" }).waitFor();
  const managerToken = await manager.evaluate(() => JSON.parse(localStorage.getItem("travio.user")).token);
  assert.equal((await api(travio, "GET", "/v1/audit", managerToken, null, org)).status, 403);
  assert.deepEqual(manager.problems, []);
  await managerContext.close();
  await context.close();
});

test("an owner reads an invoice's lines and downloads its PDF", async () => {
  // Billing periods of a few seconds and no trial, so that invoices are issued while the test runs.
  const billed = await startTravio({
    environment: { TRAVIO_SUBSCRIPTION_TEST_PERIOD: "3s", TRAVIO_SUBSCRIPTION_CLOSE_INTERVAL: "300ms", TRAVIO_SUBSCRIPTION_TRIAL_DAYS: "0" },
  });
  try {
    const owner = await newOwner(billed);
    const org = { "X-Org-Id": owner.orgId };
    const listed = await eventually(
      () => api(billed, "GET", "/v1/invoices", owner.token, null, org),
      (answer) => answer.status === 200 && answer.body.items.length > 0,
      "a first invoice",
    );
    const invoice = (await api(billed, "GET", `/v1/invoices/${listed.body.items[0].id}`, owner.token, null, org)).body;
    assert.ok(invoice.lines.length > 0);

    const { context, page } = await consoleAs(browser, billed, owner);
    await menuLink(page, "Plan and invoices").click();
    const row = page.locator(`tr[data-invoice="${invoice.id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(invoice.number));
    assert.ok((await row.textContent()).includes(money(invoice.total.amount, invoice.total.currency)), "the invoice's total");
    await row.getByRole("button", { name: `Show the lines of ${invoice.number}` }).click();
    const lines = page.getByRole("table", { name: `The lines of invoice ${invoice.number}` });
    await lines.waitFor();
    assert.equal(await lines.locator("tbody tr").count(), invoice.lines.length);
    assert.match(await lines.locator("tbody tr").first().textContent(), /Plan fee/);
    assert.equal(await row.getByRole("button", { name: `Hide the lines of ${invoice.number}` }).getAttribute("aria-expanded"), "true");
    await assertAccessible(page, "an invoice's lines");
    await screenshot(page, "console-billing-invoices");

    // The PDF, fetched with the member's credentials.
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: `PDF of ${invoice.number}` }).click()]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    assert.equal(readFileSync(await download.path()).subarray(0, 5).toString("latin1"), "%PDF-");
    assert.deepEqual(page.problems, []);
    await context.close();
  } finally {
    await billed.stop();
  }
});
