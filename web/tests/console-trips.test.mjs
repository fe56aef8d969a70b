// A trip in the operator console, against the real monolith with the demo network: a traveller
// has bought a seat; the demo manager finds the trip, keeps two seats off sale for part of the
// way and puts them back, puts a driver on the crew (a conductor cannot drive: refused),
// announces a delay and cancels the trip, each time told first what it does to the traveller.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ApiClient, dhakaDate, launchBrowser, screenshot, startTravio } from "./harness.mjs";
import { api, assertAccessible, consoleAs, demoManager, menuLink, money } from "./console-helpers.mjs";

let travio;
let browser;

before(async () => {
  // Reconciliation runs every second, so that a payment failing it can be waited for.
  travio = await startTravio({
    environment: { TRAVIO_PAYMENT_RECONCILE_INTERVAL: "1s", TRAVIO_PAYMENT_RECONCILE_SETTLE: "1s" },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await travio?.stop();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("a manager blocks seats, sets the crew, delays and cancels a sold trip", async () => {
  const day = dhakaDate(3);
  const traveller = await new ApiClient(travio.url).guest();
  const found = await traveller.request("GET", `/v1/search?from=DHK&to=CXB&date=${day}&passengers=1`);
  const trip = found.body.items[0];
  assert.ok(trip, "the demo network has a trip");
  const hold = await traveller.request("POST", "/v1/inventory/lock", { trip_id: trip.trip_id, seats: ["A1"], from: "DHK", to: "CXB" });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const order = await traveller.request(
    "POST",
    "/v1/orders",
    { hold_id: hold.body.hold_id, passengers: [{ seat: "A1", name: "Tania Akter", gender: "female" }], contact: { email: "tania@example.com" } },
    { "Idempotency-Key": `trip-order-${Date.now()}` },
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const paid = await traveller.request(
    "POST",
    "/v1/payments",
    { order_id: order.body.id, method: { type: "card", number: "4242424242424242", exp_month: 12, exp_year: 2035, cvc: "123" } },
    { "Idempotency-Key": `trip-pay-${Date.now()}` },
  );
  assert.equal(paid.status, 201, JSON.stringify(paid.body));

  const manager = await demoManager(travio);
  const { context, page } = await consoleAs(browser, travio, manager);
  // The trip found through the calendar: the day's cell counts its trips and opens their list.
  await menuLink(page, "Trips").click();
  await page.getByRole("button", { name: "Calendar" }).click();
  if (day.slice(0, 7) !== dhakaDate(0).slice(0, 7)) await page.getByRole("button", { name: "Next month →" }).click();
  const cell = page.locator(`td[data-date="${day}"] button`);
  await cell.waitFor();
  const dayTrips = await api(travio, "GET", `/v1/catalog/trips?from_date=${day}&to_date=${day}&limit=200`, manager.token);
  assert.match(await cell.textContent(), new RegExp(`${dayTrips.body.items.length} trips`));
  await assertAccessible(page, "the trips calendar");
  await screenshot(page, "console-trips-calendar");
  await cell.click();
  await page.locator(`tr[data-trip="${trip.trip_id}"]`).waitFor();
  assert.equal(await page.locator("tr[data-trip]").count(), dayTrips.body.items.length);
  await page.locator(`tr[data-trip="${trip.trip_id}"] a`).first().click();
  await page.getByRole("heading", { name: /Dhaka - Chattogram - Cox's Bazar/ }).waitFor();
  assert.equal(await page.locator('[data-count="booked"]').textContent(), "1");
  assert.match(await page.locator('[data-seat="A1"]').getAttribute("aria-label"), /A1, standard: sold/);
  await assertAccessible(page, "a trip");

  // Two seats kept off sale from Chattogram on, then put back.
  await page.locator('button[data-seat="B1"]').click();
  await page.locator('button[data-seat="B2"]').click();
  assert.equal(await page.locator('button[data-seat="B1"]').getAttribute("aria-pressed"), "true");
  await page.getByLabel("From", { exact: true }).selectOption("CTG");
  await page.getByLabel("To", { exact: true }).selectOption("CXB");
  await page.getByRole("button", { name: "Keep off sale" }).click();
  await page.getByRole("status").filter({ hasText: "B1, B2 kept off sale." }).waitFor();
  assert.match(await page.locator("table", { hasText: "Seats kept off sale" }).textContent(), /B1, B2.*CTG → CXB/);
  const seatsOn = async (from, to) => {
    const map = await api(travio, "GET", `/v1/trips/${trip.trip_id}/seats?from=${from}&to=${to}`, null);
    return Object.fromEntries(map.body.decks.flatMap((d) => d.cells).filter((c) => c.label).map((c) => [c.label, c.status]));
  };
  assert.equal((await seatsOn("CTG", "CXB")).B1, "blocked");
  assert.equal((await seatsOn("DHK", "CTG")).B1, "available", "blocked for part of the way only");
  await screenshot(page, "console-trip");
  await page.getByRole("button", { name: "Put B1, B2 back on sale" }).click();
  await page.getByRole("status").filter({ hasText: "B1, B2 back on sale." }).waitFor();
  assert.equal(await page.locator("table", { hasText: "Seats kept off sale" }).count(), 0);
  assert.equal((await seatsOn("CTG", "CXB")).B1, "available");

  // The crew: a conductor cannot drive; a driver can.
  await page.getByLabel("Staff member").selectOption({ label: "Rafiqul Islam · Conductor" });
  await page.getByLabel("Duty").selectOption("driver");
  await page.getByRole("button", { name: "Add to the crew" }).click();
  await page.getByRole("alert").waitFor();
  assert.equal(await page.locator("ul.crew li").count(), 0, "nothing was assigned");
  await page.getByLabel("Staff member").selectOption({ label: "Abdul Karim · Driver" });
  await page.getByRole("button", { name: "Add to the crew" }).click();
  await page.getByRole("status").filter({ hasText: "Abdul Karim is on the crew as Driver." }).waitFor();
  assert.deepEqual(await page.locator("ul.crew li").allTextContents(), ["Abdul Karim · Driver"]);

  // A delay, with what it does said first.
  await page.getByLabel("Minutes late").fill("2000");
  assert.match(await page.locator("#trip-delay-error").textContent(), /0 to 1440/);
  await page.getByLabel("Minutes late").fill("45");
  await page.getByText("The trip will leave at 07:45; every stop's time moves by as much.").waitFor();
  await page.getByText("1 traveller with a ticket gets a new ticket with the new time by email.").waitFor();
  // A double click opens the confirmation and does not answer it.
  await page.getByRole("button", { name: "Announce…" }).dblclick();
  await page.getByRole("button", { name: "Announce 45 minutes late" }).waitFor();
  await sleep(300);
  assert.equal((await api(travio, "GET", `/v1/catalog/trips/${trip.trip_id}`, manager.token)).body.delay_minutes, 0);
  await page.getByRole("button", { name: "Announce 45 minutes late" }).click();
  await page.getByRole("status").filter({ hasText: "The delay is announced: 45 minutes." }).waitFor();
  const delayed = await api(travio, "GET", `/v1/catalog/trips/${trip.trip_id}`, manager.token);
  assert.equal(delayed.body.delay_minutes, 45);
  assert.match(await page.locator("h1").textContent(), /07:45/);
  assert.equal(await page.locator(".badge").first().textContent(), "Delayed");

  // The cancellation, with the refund said first.
  await page.getByLabel("Reason travellers are told (optional)").fill("The road to Cox's Bazar is closed");
  await page.getByText("1 seat is sold: its traveller is refunded in full and told by email.").waitFor();
  await page.getByRole("button", { name: "Cancel the trip…" }).dblclick();
  await page.getByRole("button", { name: "Cancel the trip and refund 1 seat" }).waitFor();
  await sleep(300);
  assert.equal((await api(travio, "GET", `/v1/catalog/trips/${trip.trip_id}`, manager.token)).body.status, "delayed");
  await assertAccessible(page, "a trip's cancellation");
  await page.getByRole("button", { name: "Cancel the trip and refund 1 seat" }).click();
  await page.getByRole("status").filter({ hasText: "The trip is cancelled" }).waitFor();
  assert.equal(await page.locator(".badge").first().textContent(), "Cancelled");
  assert.equal(await page.getByRole("button", { name: /Cancel the trip/ }).count(), 0, "nothing more to do to it");
  const cancelled = await api(travio, "GET", `/v1/catalog/trips/${trip.trip_id}`, manager.token);
  assert.equal(cancelled.body.status, "cancelled");
  // The traveller's order is refunded through the order saga, a moment later.
  let refunded = null;
  for (let i = 0; i < 100 && !refunded; i++) {
    const now = await traveller.request("GET", `/v1/orders/${order.body.id}`);
    if (now.body.status === "cancelled" && now.body.refunds.length > 0) refunded = now.body;
    else await sleep(100);
  }
  assert.ok(refunded, "the order was cancelled and refunded");
  assert.equal(refunded.refunds[0].amount.amount, order.body.total.amount);

  assert.deepEqual(page.problems, []);
  await context.close();
});

/** A guest's order of `seat` from Dhaka to Chattogram on `day`, paid by card. */
async function paidOrder(day, seat, name) {
  const traveller = await new ApiClient(travio.url).guest();
  const found = await traveller.request("GET", `/v1/search?from=DHK&to=CTG&date=${day}&passengers=1`);
  const trip = found.body.items[0];
  assert.ok(trip, `the demo network runs on ${day}`);
  const hold = await traveller.request("POST", "/v1/inventory/lock", { trip_id: trip.trip_id, seats: [seat], from: "DHK", to: "CTG" });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const order = await traveller.request(
    "POST",
    "/v1/orders",
    { hold_id: hold.body.hold_id, passengers: [{ seat, name, gender: "female" }], contact: { email: "buyer@example.com" } },
    { "Idempotency-Key": `paid-order-${seat}-${Date.now()}` },
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const paid = await traveller.request(
    "POST",
    "/v1/payments",
    { order_id: order.body.id, method: { type: "card", number: "4242424242424242", exp_month: 12, exp_year: 2035, cvc: "123" } },
    { "Idempotency-Key": `paid-pay-${seat}-${Date.now()}` },
  );
  assert.equal(paid.status, 201, JSON.stringify(paid.body));
  return order.body;
}

test("the dashboard says what needs attention and charts the week", async () => {
  const manager = await demoManager(travio);
  // Something booked today, by card; the counter's sales count the same way.
  const sold = await paidOrder(dhakaDate(2), "D3", "Rokeya Begum");
  // Tomorrow's first departure is late; a seat of it is held by a traveller right now.
  const trips = await api(travio, "GET", `/v1/catalog/trips?from_date=${dhakaDate(1)}&to_date=${dhakaDate(1)}&status=published`, manager.token);
  const late = trips.body.items[0];
  assert.ok(late, "the demo network runs tomorrow");
  assert.equal((await api(travio, "PATCH", `/v1/catalog/trips/${late.id}`, manager.token, { delay_minutes: 20 })).status, 200);

  const { context, page } = await consoleAs(browser, travio, manager);
  await page.getByRole("heading", { name: "Needs attention" }).waitFor();
  const alert = page.getByRole("link", { name: new RegExp(`${late.route_name} at .* is 20 minutes late`) });
  await alert.waitFor();
  // Both charts are drawn, each named in words, with its values in a table beside it.
  assert.equal(await page.locator("canvas").count() >= 2, true);
  await page.getByRole("img", { name: /Net sales per day, last 7 days/ }).waitFor();
  await page.getByRole("img", { name: /Seats filled per day, last 7 days/ }).waitFor();
  // What was booked today, as the sales summary has it: this order among them.
  const since = `${dhakaDate(0)}T00:00:00+06:00`;
  const summary = await api(travio, "GET", `/v1/operator/orders/summary?since=${encodeURIComponent(since)}`, manager.token);
  assert.equal(summary.status, 200, JSON.stringify(summary.body));
  const bdt = summary.body.totals.find((t) => t.currency === "BDT");
  assert.ok(bdt && bdt.amount.amount >= sold.total.amount && bdt.orders >= 1, JSON.stringify(summary.body));
  const tile = page.locator("#booked-today .tile");
  assert.equal(await tile.locator("strong").textContent(), money(bdt.amount.amount, "BDT"));
  assert.ok((await tile.textContent()).includes(`${bdt.orders} paid order`), await tile.textContent());
  const row = await page.locator(`tr[data-trip="${late.id}"]`).textContent();
  assert.ok(row.includes("Tomorrow"), row);
  assert.ok(row.includes("Delayed"), row);
  await assertAccessible(page, "the dashboard");
  await screenshot(page, "console-dashboard");
  await alert.click();
  await page.getByText("20 min late").first().waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a payment failing reconciliation is an alert on the dashboard, leading to its order", async () => {
  const manager = await demoManager(travio);
  const order = { body: await paidOrder(dhakaDate(2), "D4", "Nasrin Sultana") };
  // Our books drift from the provider's: the capture moves a few seconds ahead (into a window
  // the provider's report has nothing in) with one poisha more. The monolith's payment database
  // is SQLite and the server's alone while it runs: Python's standard library writes it while
  // the server is stopped.
  const script = [
    "import sqlite3, sys",
    "db = sqlite3.connect(sys.argv[1], timeout=10)",
    "n = db.execute('UPDATE payments SET amount = amount + 1, captured_at = ? WHERE order_id = ?', (int(sys.argv[3]), sys.argv[2])).rowcount",
    "db.commit()",
    "assert n == 1, n",
  ].join("\n");
  await travio.restart(() =>
    execFileSync("python3", ["-c", script, join(travio.dataDir, "payment.db"), order.body.id, String((Date.now() + 8000) * 1000)]),
  );
  let mismatches = [];
  for (let i = 0; i < 150 && mismatches.length === 0; i++) {
    mismatches = (await api(travio, "GET", "/v1/operator/payments/mismatches", manager.token)).body.items;
    if (mismatches.length === 0) await sleep(200);
  }
  assert.equal(mismatches.length, 1, "reconciliation found the drift");
  assert.equal(mismatches[0].order_id, order.body.id);

  const { context, page } = await consoleAs(browser, travio, manager);
  await page.getByRole("heading", { name: "Needs attention" }).waitFor();
  const alert = page.getByRole("link", { name: new RegExp(`Payment of order …${order.body.id.slice(-8)} failed reconciliation`) });
  await alert.waitFor();
  assert.ok((await alert.textContent()).includes("the provider has no such capture"));
  await assertAccessible(page, "the dashboard with a payment alert");
  await alert.click();
  await page.waitForURL(`**/console/orders/${order.body.id}`);
  await page.getByText("Nasrin Sultana").first().waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("stations are found by name; adding one is refused unless the platform allows it", async () => {
  const manager = await demoManager(travio);
  const { context, page } = await consoleAs(browser, travio, manager);
  await menuLink(page, "Stations").click();
  await page.getByLabel("Find a station").fill("cox");
  await page.locator("td", { hasText: "Cox's Bazar" }).first().waitFor();
  await assertAccessible(page, "the stations");
  await page.getByLabel("Code").fill("qqk");
  await page.getByLabel("Name", { exact: true }).fill("Teknaf Bus Stand");
  await page.getByLabel("City").fill("Teknaf");
  await page.getByLabel("Latitude").fill("95");
  await page.getByLabel("Longitude").fill("92.30");
  await page.getByRole("button", { name: "Add station" }).click();
  assert.match(await page.locator("#station-lat-error").textContent(), /-90 to 90/);
  await page.getByLabel("Latitude").fill("20.86");
  await page.getByRole("button", { name: "Add station" }).click();
  await page.getByRole("alert").filter({ hasText: "Your organization may not add stations." }).waitFor();
  const found = await api(travio, "GET", "/v1/stations?q=QQK", null);
  assert.deepEqual(found.body.items.filter((s) => s.code === "QQK"), [], "nothing was added");
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a gateway older than the console (no permissions in /v1/me) gets a console that offers nothing, not a blank page", async () => {
  const manager = await demoManager(travio);
  const { context, page } = await consoleAs(browser, travio, manager);
  // The same account, answered as a gateway from before /v1/me listed permissions would.
  await page.route("**/v1/me", async (route) => {
    const answer = await route.fetch();
    const me = await answer.json();
    for (const membership of me.memberships) delete membership.permissions;
    await route.fulfill({ response: answer, json: me });
  });
  await page.goto(`${travio.url}/console/`);
  await page.getByRole("heading", { name: "Not for your role" }).waitFor();
  assert.equal(await page.getByRole("navigation", { name: "Console menu" }).getByRole("link").count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("signing out in one tab takes the other back to signing in, never on as a guest", async () => {
  const manager = await demoManager(travio);
  const { context, page } = await consoleAs(browser, travio, manager);
  await menuLink(page, "Trips").click();
  await page.locator("tr[data-trip]").first().waitFor();
  const guests = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/v1/auth/guest")) guests.push(request.url());
  });
  // A second tab of the same browser signs out.
  const other = await context.newPage();
  await other.goto(`${travio.url}/console/`);
  await other.getByRole("button", { name: "Sign out" }).click();
  await other.getByRole("heading", { name: "Sign in to the operator console" }).waitFor();
  // The first tab follows at once: the organization's trips are no longer on its screen.
  await page.getByRole("heading", { name: "Sign in to the operator console" }).waitFor();
  assert.equal(await page.locator("tr[data-trip]").count(), 0);
  // Nothing it does afterwards goes out as a guest.
  await page.goto(`${travio.url}/console/trips`);
  await page.getByRole("heading", { name: "Sign in to the operator console" }).waitFor();
  assert.deepEqual(guests, []);
  assert.deepEqual(page.problems, []);
  await context.close();
});
