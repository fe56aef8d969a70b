// The sales desk in the operator console, against the real monolith with the demo network: an
// agent sells two seats at the counter for cash (a wrong amount refused on its field), finds
// orders by a passenger's name, status and day of departure, cancels a traveller's card order
// on their behalf (the refund said first, a double click confirming nothing twice) and one seat
// of the counter order (the cash to hand back said first); a viewer reads the same orders and
// is offered nothing to change, and the API refuses them anyway.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiClient, demoFare, dhakaDate, inviteFromMail, launchBrowser, screenshot, startTravio, taka } from "./harness.mjs";
import { api, assertAccessible, consoleAs, demoManager, menuLink, PASSWORD, unique } from "./console-helpers.mjs";

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A member of the owner's organization with `role`, invited and accepted through the API. */
async function member(owner, role, name) {
  const email = unique(role);
  const invited = await api(travio, "POST", "/v1/orgs/invites", owner.token, { email, role }, { "X-Org-Id": owner.orgId });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const { token } = await inviteFromMail(travio.dataDir, email);
  const accepted = await api(travio, "POST", "/v1/invites/accept", null, { token, name, password: PASSWORD });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  return { email, password: PASSWORD, token: accepted.body.access_token, orgId: owner.orgId };
}

/** A traveller's order through the API as a guest, paid by card unless `pay` is false. */
async function travellerOrder(tripId, seat, name, email, { pay = true } = {}) {
  const traveller = await new ApiClient(travio.url).guest();
  const hold = await traveller.request("POST", "/v1/inventory/lock", { trip_id: tripId, seats: [seat], from: "DHK", to: "CXB" });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const order = await traveller.request(
    "POST",
    "/v1/orders",
    { hold_id: hold.body.hold_id, passengers: [{ seat, name, gender: "female" }], contact: { email, phone: "+8801711000000" } },
    { "Idempotency-Key": `sales-order-${seat}-${Date.now()}` },
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  if (pay) {
    const paid = await traveller.request(
      "POST",
      "/v1/payments",
      { order_id: order.body.id, method: { type: "card", number: "4242424242424242", exp_month: 12, exp_year: 2035, cvc: "123" } },
      { "Idempotency-Key": `sales-pay-${seat}-${Date.now()}` },
    );
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    assert.equal(paid.body.order.status, "confirmed");
  }
  return order.body;
}

test("an agent sells for cash at the counter and cancels for travellers; a viewer only reads", async () => {
  const owner = await demoManager(travio);
  const agent = await member(owner, "agent", "Ayesha Siddika");
  const viewer = await member(owner, "viewer", "Tanvir Hasan");
  const org = { "X-Org-Id": owner.orgId };
  const day = dhakaDate(3);
  // Two seats' price that day (weekends cost more in the demo), as written on the page.
  const seatFare = demoFare(3);
  const pair = taka(2 * seatFare);
  const found = await api(travio, "GET", `/v1/search?from=DHK&to=CXB&date=${day}&passengers=2`, agent.token);
  const trip = found.body.items.find((hit) => hit.operator.id === owner.orgId);
  assert.ok(trip, "the demo operator runs Dhaka to Cox's Bazar");

  // 2. The counter sale: a trip, two seats on its map, the travellers, the cash.
  const { context, page } = await consoleAs(browser, travio, agent);
  await menuLink(page, "Counter sale").click();
  await page.getByRole("heading", { name: "Counter sale", level: 1 }).waitFor();
  await page.getByLabel("From", { exact: true }).selectOption("DHK");
  await page.getByLabel("To", { exact: true }).selectOption("CXB");
  await page.getByLabel("Day of travel").fill(day);
  await page.getByLabel("Passengers", { exact: true }).fill("2");
  await page.getByRole("button", { name: "Find trips" }).click();
  const tripRow = page.locator(`tr[data-trip="${trip.trip_id}"]`);
  await tripRow.waitFor();
  assert.equal(await page.locator("tr[data-trip]").count(), found.body.items.filter((hit) => hit.operator.id === owner.orgId).length);
  await assertAccessible(page, "the counter's trips");
  await tripRow.getByRole("button", { name: "Choose seats" }).click();
  await page.locator('button[data-seat="C1"]').click();
  await page.locator('button[data-seat="C2"]').click();
  assert.equal(await page.locator('button[data-seat="C2"]').getAttribute("aria-pressed"), "true");
  await page.getByText(`Chosen: C1, C2 · ${pair}`).waitFor();
  await assertAccessible(page, "the counter's seat map");
  await page.getByRole("button", { name: "Hold 2 seats" }).click();
  await page.getByRole("heading", { name: "Passengers", level: 2 }).waitFor();
  assert.match(await page.getByRole("timer").textContent(), /Seats held for [45]:\d\d more \(until \d\d:\d\d\)/);
  await page.getByText(`Seats C1, C2 are held for this sale: ${pair}.`).waitFor();
  // Nothing typed: each missing field says so on itself.
  await page.getByRole("button", { name: "Create the order" }).click();
  assert.equal(await page.locator("#p0-name-error").textContent(), "Enter the passenger's name.");
  assert.equal(await page.locator("#contact-email-error").textContent(), "Enter an email address such as name@example.com.");
  await page.locator("#p0-name").fill("Rahim Uddin");
  await page.locator("#p0-gender").selectOption("male");
  await page.locator("#p0-age").fill("42");
  await page.locator("#p1-name").fill("Karima Begum");
  await page.locator("#p1-gender").selectOption("female");
  await page.getByLabel("Email").fill("rahim.uddin@example.com");
  await page.getByLabel("Contact phone (optional)").fill("+8801812345678");
  await assertAccessible(page, "the counter's passengers");
  await page.getByRole("button", { name: "Create the order" }).click();
  await page.getByRole("heading", { name: "Take the cash" }).waitFor();
  assert.equal(await page.locator(".cash-total strong").textContent(), pair);
  await screenshot(page, "console-counter");
  // A wrong amount is refused on its field, in money, not in minor units.
  const cash = page.getByLabel("Cash received (BDT)");
  await cash.fill("2000");
  await page.getByRole("button", { name: "Record the cash and confirm" }).click();
  const cashError = page.locator(".cash-form .error");
  await cashError.waitFor();
  assert.equal(await cashError.textContent(), `৳2,000 is not the order's total: take ${pair}.`);
  assert.equal(await cash.getAttribute("aria-invalid"), "true");
  await assertAccessible(page, "a cash amount refused");
  await cash.fill((2 * seatFare).toLocaleString("en-GB"));
  await page.getByRole("button", { name: "Record the cash and confirm" }).click();
  await page.getByRole("heading", { name: "Sale confirmed" }).waitFor();
  const orderLink = page.getByRole("link", { name: "Open the order" });
  const counterId = (await orderLink.getAttribute("href")).split("/").pop();
  const counter = await api(travio, "GET", `/v1/orders/${counterId}`, owner.token, null, org);
  assert.equal(counter.body.status, "confirmed");
  assert.equal(counter.body.total.amount, 2 * seatFare * 100);
  assert.deepEqual(counter.body.payments.map((p) => [p.method.type, p.status, p.amount.amount]), [["cash", "captured", 2 * seatFare * 100]]);
  assert.deepEqual(counter.body.items.map((i) => [i.seat, i.passenger.name]), [["C1", "Rahim Uddin"], ["C2", "Karima Begum"]]);
  // The tickets, once issued.
  await page.locator('[data-ticket-seat="C1"] code').waitFor();
  await assertAccessible(page, "a counter sale confirmed");

  // 3. A traveller buys a seat of the same trip by card; another holds one, unpaid, two days later.
  const card = await travellerOrder(trip.trip_id, "D1", "Nusrat Jahan", "nusrat@example.com");
  const laterDay = dhakaDate(5);
  const later = (await api(travio, "GET", `/v1/search?from=DHK&to=CXB&date=${laterDay}&passengers=1`, null)).body.items.find(
    (hit) => hit.operator.id === owner.orgId,
  );
  const unpaid = await travellerOrder(later.trip_id, "A1", "Mitu Akter", "mitu@example.com", { pay: false });

  // 4. The orders: by a passenger's name in another case, by status, by day of departure.
  await orderLink.waitFor();
  await menuLink(page, "Orders").click();
  await page.getByRole("heading", { name: "Orders", level: 1 }).waitFor();
  await page.locator(`tr[data-order="${card.id}"]`).waitFor();
  const all = await api(travio, "GET", "/v1/operator/orders?limit=50", agent.token, null, org);
  assert.equal(await page.locator("tr[data-order]").count(), all.body.items.length);
  await assertAccessible(page, "the orders");
  await page.getByLabel("Find an order").fill("KARIMA");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.getByRole("status").filter({ hasText: /^1 order$/ }).waitFor();
  assert.deepEqual(await page.locator("tr[data-order]").evaluateAll((rows) => rows.map((r) => r.dataset.order)), [counterId]);
  assert.equal(new URL(page.url()).searchParams.get("q"), "KARIMA");
  await page.getByRole("button", { name: "Clear the filters" }).click();
  await page.locator(`tr[data-order="${unpaid.id}"]`).waitFor();
  await page.getByLabel("Status").selectOption("confirmed");
  await page.locator(`tr[data-order="${unpaid.id}"]`).waitFor({ state: "detached" });
  await page.locator(`tr[data-order="${card.id}"]`).waitFor();
  const confirmed = await api(travio, "GET", "/v1/operator/orders?status=confirmed&limit=50", agent.token, null, org);
  assert.equal(await page.locator("tr[data-order]").count(), confirmed.body.items.length);
  assert.ok(await page.locator("tr[data-order]").evaluateAll((rows) => rows.every((r) => r.dataset.status === "confirmed")));
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Departure day").fill(laterDay);
  await page.getByRole("status").filter({ hasText: /^1 order$/ }).waitFor();
  assert.deepEqual(await page.locator("tr[data-order]").evaluateAll((rows) => rows.map((r) => r.dataset.order)), [unpaid.id]);
  assert.match(await page.locator(`tr[data-order="${unpaid.id}"]`).textContent(), /Awaiting payment/);
  await page.getByLabel("Departure day").fill(day);
  await page.locator(`tr[data-order="${card.id}"]`).waitFor();
  assert.deepEqual(
    (await page.locator("tr[data-order]").evaluateAll((rows) => rows.map((r) => r.dataset.order))).sort(),
    [card.id, counterId].sort(),
  );
  await assertAccessible(page, "the orders of a day");

  // The traveller's order, cancelled on their behalf: the refund and where it goes, said first.
  await page.locator(`tr[data-order="${card.id}"] a`).click();
  await page.getByRole("heading", { name: /^Order / }).waitFor();
  await page.getByText(`Visa card ending 4242 · ${taka(seatFare)}`).waitFor();
  assert.equal(await page.getByRole("checkbox", { name: /Seat D1/ }).isChecked(), true);
  await page.getByRole("button", { name: "Cancel seats…" }).dblclick();
  const consequences = page.locator(".sales-cancel .consequences");
  await consequences.waitFor();
  const quoted = Number(await consequences.getAttribute("data-refund"));
  assert.ok(quoted > 0 && quoted <= card.total.amount, String(quoted));
  const refundText = `৳${(quoted / 100).toLocaleString("en-GB")}`;
  assert.match(await consequences.textContent(), new RegExp(`The refund of ${refundText} goes back the way the order was paid \\(Visa card ending 4242\\)`));
  await sleep(300);
  assert.equal((await api(travio, "GET", `/v1/orders/${card.id}`, owner.token, null, org)).body.status, "confirmed", "asking is not cancelling");
  await assertAccessible(page, "a cancellation's consequences");
  await screenshot(page, "console-order");
  // A double click on the confirmation cancels once.
  await page.getByRole("button", { name: `Cancel and refund ${refundText}` }).dblclick();
  await page.getByRole("status").filter({ hasText: `Seat D1 is cancelled; ${refundText} is refunded (Visa card ending 4242).` }).waitFor();
  await page.locator('.order-page .badge[data-status="cancelled"]').waitFor();
  assert.equal(await page.getByRole("button", { name: "Cancel seats…" }).count(), 0, "nothing is left to cancel");
  const cancelled = await api(travio, "GET", `/v1/orders/${card.id}`, owner.token, null, org);
  assert.equal(cancelled.body.status, "cancelled");
  assert.deepEqual(cancelled.body.refunds.map((r) => r.amount.amount), [quoted]);
  assert.equal(cancelled.body.payments[0].refunded.amount, quoted);
  await assertAccessible(page, "a cancelled order");

  // 5. One seat of the counter order: the cash to hand back, said first.
  await page.goto(`${travio.url}/console/orders/${counterId}`);
  await page.getByText(`Cash at the counter · ${pair}`).waitFor();
  await page.getByRole("checkbox", { name: /Seat C1/ }).uncheck();
  await page.getByRole("button", { name: "Cancel seats…" }).click();
  await consequences.waitFor();
  const handBack = Number(await consequences.getAttribute("data-refund"));
  const handBackText = `৳${(handBack / 100).toLocaleString("en-GB")}`;
  assert.match(await consequences.textContent(), /Cancelling C2 \(Karima Begum\) refunds/);
  assert.match(await consequences.textContent(), new RegExp(`This order was paid in cash: hand ${handBackText} back to the traveller at the counter\\.`));
  await assertAccessible(page, "a cash order's cancellation");
  await page.getByRole("button", { name: `Cancel and hand back ${handBackText}` }).click();
  await page.getByRole("status").filter({ hasText: `Seat C2 is cancelled. Hand ${handBackText} back to the traveller in cash.` }).waitFor();
  await page.locator('.order-page .badge[data-status="partially_cancelled"]').waitFor();
  await page.getByRole("table", { name: "Refunds" }).getByText("Cash handed back at the counter").waitFor();
  const partly = await api(travio, "GET", `/v1/orders/${counterId}`, owner.token, null, org);
  assert.equal(partly.body.status, "partially_cancelled");
  assert.equal(partly.body.payments[0].status, "partially_refunded");
  assert.equal(partly.body.payments[0].refunded.amount, handBack);
  assert.deepEqual(partly.body.items.map((i) => [i.seat, i.status]), [["C1", "active"], ["C2", "cancelled"]]);
  await assertAccessible(page, "a partly cancelled order");

  await menuLink(page, "Orders").click();
  await page.locator(`tr[data-order="${counterId}"][data-status="partially_cancelled"]`).waitFor();
  await screenshot(page, "console-orders");
  assert.deepEqual(page.problems, []);
  await context.close();

  // 6. The viewer reads the orders and changes nothing; the API refuses them anyway.
  const seen = await consoleAs(browser, travio, viewer);
  const vpage = seen.page;
  assert.equal(await menuLink(vpage, "Counter sale").count(), 0);
  await menuLink(vpage, "Orders").click();
  await vpage.locator(`tr[data-order="${counterId}"]`).waitFor();
  assert.equal(await vpage.getByRole("link", { name: "New counter sale" }).count(), 0);
  await assertAccessible(vpage, "the orders, to a viewer");
  await vpage.locator(`tr[data-order="${counterId}"] a`).click();
  await vpage.getByText(`Cash at the counter · ${pair}`).waitFor();
  assert.equal(await vpage.getByRole("button", { name: /Cancel/ }).count(), 0);
  assert.equal(await vpage.getByRole("checkbox").count(), 0);
  await assertAccessible(vpage, "an order, to a viewer");
  await vpage.goto(`${travio.url}/console/orders/${unpaid.id}`);
  await vpage.locator('.order-page .badge[data-status="pending_payment"]').waitFor();
  assert.equal(await vpage.getByRole("button", { name: "Record the cash and confirm" }).count(), 0);
  await vpage.goto(`${travio.url}/console/counter`);
  await vpage.getByRole("heading", { name: "Not for your role" }).waitFor();
  const cashByViewer = await api(travio, "POST", `/v1/operator/orders/${unpaid.id}/cash-payment`, viewer.token, { amount: unpaid.total.amount }, {
    ...org,
    "Idempotency-Key": `viewer-cash-${Date.now()}`,
  });
  assert.equal(cashByViewer.status, 403);
  const quoteByViewer = await api(travio, "POST", `/v1/operator/orders/${counterId}/cancel-quote`, viewer.token, {}, org);
  assert.equal(quoteByViewer.status, 403);
  assert.equal((await api(travio, "GET", `/v1/orders/${unpaid.id}`, owner.token, null, org)).body.status, "pending_payment");
  assert.deepEqual(vpage.problems, []);
  await seen.context.close();
});

test("a trip cancelled after a counter sale owes its cash until an agent hands it over", async () => {
  const owner = await demoManager(travio);
  const agent = await member(owner, "agent", "Shirin Akter");
  const org = { "X-Org-Id": owner.orgId };
  // The demo network's trips of four days ahead: the first of this operator's is cancelled.
  const found = await api(travio, "GET", `/v1/search?from=DHK&to=CXB&date=${dhakaDate(4)}&passengers=1`, agent.token);
  const trip = found.body.items.find((hit) => hit.operator.id === owner.orgId);
  assert.ok(trip, "the demo operator runs four days ahead");
  const hold = await api(travio, "POST", "/v1/operator/holds", agent.token, { trip_id: trip.trip_id, seats: ["B3"], from: "DHK", to: "CXB" }, org);
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const order = await api(
    travio,
    "POST",
    "/v1/operator/orders",
    agent.token,
    { hold_id: hold.body.hold_id, passengers: [{ seat: "B3", name: "Jahanara Imam", gender: "female" }], contact: { email: unique("walkin") } },
    { ...org, "Idempotency-Key": `owed-order-${Date.now()}` },
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const cash = await api(
    travio,
    "POST",
    `/v1/operator/orders/${order.body.id}/cash-payment`,
    agent.token,
    { amount: order.body.total.amount },
    { ...org, "Idempotency-Key": `owed-cash-${Date.now()}` },
  );
  assert.equal(cash.status, 201, JSON.stringify(cash.body));
  const cancelled = await api(travio, "POST", `/v1/catalog/trips/${trip.trip_id}/cancel`, owner.token, { reason: "Road closed" }, org);
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  let refunds = [];
  for (let i = 0; i < 100 && refunds.length === 0; i++) {
    refunds = (await api(travio, "GET", `/v1/orders/${order.body.id}`, agent.token, null, org)).body.refunds ?? [];
    if (refunds.length === 0) await sleep(200);
  }
  assert.equal(refunds.length, 1, "the cancelled trip refunds the counter sale");
  assert.equal(refunds[0].status, "owed");

  const { context, page } = await consoleAs(browser, travio, agent);
  await page.goto(`${travio.url}/console/orders/${order.body.id}`);
  const row = page.locator(`tr[data-refund="${refunds[0].id}"]`);
  await row.getByText("Owed in cash at the counter").waitFor();
  // The payment card says the money is owed, not refunded, until it is handed over.
  const owedLine = page.locator("dd[data-owed]");
  assert.equal(Number(await owedLine.getAttribute("data-owed")), refunds[0].amount.amount);
  assert.equal(await page.locator("dd[data-refunded]").count(), 0);
  await page.locator("dd[data-payment]").getByText("refund owed at the counter").waitFor();
  await assertAccessible(page, "an order owing cash at the counter");
  await screenshot(page, "console-order-owed");
  // On a phone the page is as wide as the screen: wide tables scroll in their own boxes.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of [`/console/orders/${order.body.id}`, "/console/orders", "/console/"]) {
    await page.goto(`${travio.url}${path}`);
    await page.locator("main table tbody tr").first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${path} is ${width} px wide on a 390 px screen`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${travio.url}/console/orders/${order.body.id}`);
  await row.getByText("Owed in cash at the counter").waitFor();
  const amount = (await row.locator("td.num").textContent()).trim();
  await row.getByRole("button", { name: `Hand over ${amount}…` }).click();
  // The second click says what was done; a double click on it hands over once.
  await row.getByRole("button", { name: `I handed ${amount} to the traveller` }).dblclick();
  await page.getByText(`${amount} handed over; the refund is recorded with your name.`).waitFor();
  await row.getByText("Cash handed back at the counter").waitFor();
  await page.locator("dd[data-refunded]").waitFor();
  assert.equal(await page.locator("dd[data-owed]").count(), 0);
  const after = await api(travio, "GET", `/v1/orders/${order.body.id}`, agent.token, null, org);
  assert.equal(after.body.refunds[0].status, "succeeded");
  const me = await api(travio, "GET", "/v1/me", agent.token);
  assert.equal(after.body.refunds[0].paid_out_by, me.body.id);
  await assertAccessible(page, "the order after the cash was handed over");
  assert.deepEqual(page.problems, []);
  await context.close();
});
