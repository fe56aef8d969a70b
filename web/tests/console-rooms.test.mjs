// The console's waiting rooms and fraud reviews in Debian's Chromium at desktop size, against
// the real monolith with the demo data. The demo manager finds the demo's ticket-drop room with
// its counters (which move while the page is open) and the draw's commitment, creates a room
// for one of tomorrow's trips (a bad value first: the server's error shown at its field, and
// nothing created), and closes it after being told what closing does. A new operator's owner
// lowers the review score in the fraud settings (a bad value first), a traveller's order is held
// for review, and the owner approves it: the order is confirmed. A viewer may open neither the
// fraud page nor the API behind it, and sees a waiting room without any control.
// Every page state shown is checked with axe-core.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { dhakaDate, inviteFromMail, launchBrowser, screenshot, startTravio } from "./harness.mjs";
import { api, assertAccessible, consoleAs, demoManager, menuLink, newOwner, PASSWORD, unique } from "./console-helpers.mjs";

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

/** Asks `read` again until `ok` holds of its answer (background work: caches, events). */
async function eventually(read, ok, what, tries = 60) {
  let last;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (ok(last)) return last;
    await sleep(100);
  }
  assert.fail(`${what}: last answer ${JSON.stringify(last?.body ?? last)}`);
}

test("the demo manager watches the demo's waiting room, creates one for a trip and closes it", async () => {
  const manager = await demoManager(travio);
  const asManager = (method, path, body) => api(travio, method, path, manager.token, body, { "X-Org-Id": manager.orgId });
  const { context, page } = await consoleAs(browser, travio, manager);

  // The list: the demo's room with its status and counters.
  await menuLink(page, "Waiting rooms").click();
  await page.getByRole("heading", { name: "Waiting rooms", level: 1 }).waitFor();
  const demoRow = page.locator('tr[data-room="demo-ticket-drop"]');
  await demoRow.waitFor();
  assert.match(await demoRow.textContent(), /Demo ticket drop/);
  assert.match(await demoRow.locator(".badge").textContent(), /^(Scheduled|Pre-queue|Open)$/);
  const counters = await demoRow.locator("td.num").allTextContents();
  assert.equal(counters.length, 4, "waiting, in a session, let in, expired");
  for (const counter of counters) assert.match(counter, /^\d[\d,]*$/);
  assert.ok(await page.getByRole("link", { name: "New waiting room" }).isVisible());
  await assertAccessible(page, "the waiting rooms list");
  await screenshot(page, "console-waiting-rooms");

  // The room's page: its counters, refreshed while it is open, and the draw's commitment.
  await demoRow.getByRole("link").click();
  await page.getByRole("heading", { name: /^Demo ticket drop/, level: 1 }).waitFor();
  const demo = await asManager("GET", "/v1/queue/rooms/demo-ticket-drop");
  assert.equal(demo.status, 200);
  assert.equal(await page.locator("[data-commitment]").textContent(), demo.body.shuffle.commitment);
  const waitingBefore = Number(await page.locator('[data-counter="waiting"]').textContent());
  const admittedBefore = Number(await page.locator('[data-counter="admitted"]').textContent());
  // A traveller joins the queue: the page shows them within a few seconds, without a reload.
  const guest = await api(travio, "POST", "/v1/auth/guest");
  const joined = await api(travio, "POST", "/v1/queue/rooms/demo-ticket-drop/join", guest.body.access_token);
  assert.ok(joined.status === 202 || joined.status === 200, JSON.stringify(joined.body));
  await page.waitForFunction(
    ([waiting, admitted]) =>
      Number(document.querySelector('[data-counter="waiting"]')?.textContent) > waiting ||
      Number(document.querySelector('[data-counter="admitted"]')?.textContent) > admitted,
    [waitingBefore, admittedBefore],
    { timeout: 15_000 },
  );
  await assertAccessible(page, "the demo's waiting room");
  await screenshot(page, "console-waiting-room");

  // A new room for one of tomorrow's trips, opening tomorrow at 10:00 Dhaka time (the browser
  // is in London): first with a bad value, which the server refuses at its field.
  await menuLink(page, "Waiting rooms").click();
  await page.getByRole("link", { name: "New waiting room" }).click();
  await page.getByRole("heading", { name: "New waiting room", level: 1 }).waitFor();
  const roomId = "eid-drop-test";
  await page.getByLabel("Name", { exact: true }).fill("Eid drop: Dhaka to Sylhet");
  assert.equal(await page.getByLabel("Room id").inputValue(), "eid-drop-dhaka-to-sylhet", "the id is suggested from the name");
  await page.getByLabel("Room id").fill(roomId);
  await page.getByLabel("Show trips on").fill(dhakaDate(1));
  const free = page.getByRole("checkbox", { name: /^08:00 · Dhaka - Sreemangal - Sylhet/ });
  await free.waitFor();
  const tripId = await free.getAttribute("value");
  assert.notEqual(tripId, demo.body.trip_ids[0]);
  assert.equal(await page.locator(`input[name="trip"][value="${demo.body.trip_ids[0]}"]`).isDisabled(), true, "the demo's trip is guarded already");
  await free.check();
  assert.equal(await page.locator(".chosen-trips li").count(), 1);
  await page.getByLabel("Opens at (Dhaka time)").fill(`${dhakaDate(1)}T10:00`);
  await page.getByLabel("Pre-queue (minutes before opening)").fill("30");
  await page.getByLabel("Let in per minute").fill("40");
  await page.getByLabel("At most at once").fill("0");
  await page.getByLabel("Minutes to book").fill("8");
  await page.getByRole("button", { name: "Create waiting room" }).click();
  await page.locator("#room-max-error").waitFor();
  assert.equal(await page.locator("#room-max-error").textContent(), "Enter a whole number from 1 to 10,000,000.");
  assert.equal(await page.getByLabel("At most at once").getAttribute("aria-invalid"), "true");
  assert.equal((await asManager("GET", `/v1/queue/rooms/${roomId}`)).status, 404, "nothing was created");
  await assertAccessible(page, "the new waiting room form with an error");
  await screenshot(page, "console-waiting-room-new");

  await page.getByLabel("At most at once").fill("120");
  await page.getByRole("button", { name: "Create waiting room" }).click();
  await page.getByRole("heading", { name: "Waiting rooms", level: 1 }).waitFor();
  await page.getByRole("status").filter({ hasText: "The waiting room “Eid drop: Dhaka to Sylhet” was created." }).waitFor();
  const row = page.locator(`tr[data-room="${roomId}"]`);
  assert.match(await row.textContent(), /Eid drop: Dhaka to Sylhet/);
  assert.match(await row.textContent(), /40 a minute, at most 120 at once, 8 min each/);
  const created = await asManager("GET", `/v1/queue/rooms/${roomId}`);
  assert.equal(created.status, 200);
  assert.deepEqual(created.body.trip_ids, [tripId]);
  assert.equal(created.body.mode, "scheduled");
  assert.equal(Date.parse(created.body.opens_at), Date.parse(`${dhakaDate(1)}T10:00:00+06:00`));
  assert.equal(created.body.pre_queue_minutes, 30);
  assert.equal(created.body.admit_per_minute, 40);
  assert.equal(created.body.max_active, 120);
  assert.equal(created.body.session_minutes, 8);
  assert.equal((await api(travio, "GET", `/v1/trips/${tripId}/queue`)).body.room_id, roomId);
  await assertAccessible(page, "the waiting rooms list with the new room");

  // Closing it, after the page says what closing does.
  await row.getByRole("link").click();
  await page.getByRole("heading", { name: "Eid drop: Dhaka to Sylhet", level: 1 }).waitFor();
  assert.equal(await page.locator("#room-opens").inputValue(), `${dhakaDate(1)}T10:00`, "the opening in Dhaka's time");
  await page.getByRole("button", { name: "Close this waiting room…" }).click();
  const consequences = page.getByRole("note");
  assert.match(await consequences.textContent(), /Its trip will no longer be guarded: anyone can hold its seats at once/);
  assert.match(await consequences.textContent(), /the id eid-drop-test cannot be used for another room/);
  await assertAccessible(page, "closing a waiting room");
  await screenshot(page, "console-waiting-room-close");
  assert.equal((await asManager("GET", `/v1/queue/rooms/${roomId}`)).status, 200, "nothing closed before confirming");
  await page.getByRole("button", { name: "Close it and stop guarding its trip" }).click();
  await page.getByRole("status").filter({ hasText: "The waiting room eid-drop-test was closed" }).waitFor();
  assert.equal(await page.locator(`tr[data-room="${roomId}"]`).count(), 0);
  assert.equal((await asManager("GET", `/v1/queue/rooms/${roomId}`)).status, 404);
  await eventually(() => api(travio, "GET", `/v1/trips/${tripId}/queue`), (a) => a.status === 404, "the trip is no longer guarded");
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("an owner lowers the review score and approves a held order; a viewer may not review", async () => {
  const owner = await newOwner(travio, `Sonar Bangla Travels ${Date.now()}`);
  const org = { "X-Org-Id": owner.orgId };
  const asOwner = (method, path, body, headers = {}) => api(travio, method, path, owner.token, body, { ...org, ...headers });

  // Something to sell: a bus, a route over the demo's stations, and a trip the day after tomorrow.
  const bus = await asOwner("POST", "/v1/operator/buses", {
    plate: "DHAKA-METRO-KA-14-5521",
    class: "seater",
    ac: true,
    amenities: ["wifi"],
    layout: { template: "2+2", rows: 10 },
  });
  assert.equal(bus.status, 201, JSON.stringify(bus.body));
  const route = await asOwner("POST", "/v1/catalog/routes", {
    name: "Dhaka - Chattogram - Cox's Bazar",
    stops: [
      { station: "DHK", arrive_offset_min: 0, depart_offset_min: 0, boarding: true, dropping: false },
      { station: "CTG", arrive_offset_min: 330, depart_offset_min: 345, boarding: true, dropping: true },
      { station: "CXB", arrive_offset_min: 570, depart_offset_min: 570, boarding: false, dropping: true },
    ],
  });
  assert.equal(route.status, 201, JSON.stringify(route.body));
  const trip = await asOwner("POST", "/v1/catalog/trips", {
    route_id: route.body.id,
    bus_id: bus.body.id,
    departure: `${dhakaDate(2)}T09:00:00+06:00`,
    fares: [
      { from: "DHK", to: "CXB", amount: 150000, currency: "BDT" },
      { from: "DHK", to: "CTG", amount: 90000, currency: "BDT" },
      { from: "CTG", to: "CXB", amount: 60000, currency: "BDT" },
    ],
    status: "published",
  });
  assert.equal(trip.status, 201, JSON.stringify(trip.body));

  // The fraud settings: a review score above the deny score is refused at its field.
  const { context, page } = await consoleAs(browser, travio, owner);
  await menuLink(page, "Fraud reviews").click();
  await page.getByRole("heading", { name: "Fraud reviews", level: 1 }).waitFor();
  await page.getByText("No orders are waiting for a review.").waitFor();
  await page.getByRole("heading", { name: "Fraud settings" }).waitFor();
  const defaults = (await asOwner("GET", "/v1/fraud/settings")).body;
  assert.equal(await page.getByLabel("Hold for review at score").inputValue(), String(defaults.review_score));
  await page.getByLabel("Hold for review at score").fill("90");
  await page.getByLabel("Threshold of One email, many orders").fill("1");
  await page.getByRole("button", { name: "Save fraud settings" }).click();
  await page.locator("#fraud-review-score-error").waitFor();
  assert.equal(await page.locator("#fraud-review-score-error").textContent(), "Must not be above the deny score.");
  assert.deepEqual((await asOwner("GET", "/v1/fraud/settings")).body, defaults, "nothing was saved");
  await assertAccessible(page, "the fraud settings with an error");
  await screenshot(page, "console-fraud-settings");

  // Fixed: every order now counts one email's orders (20 points), which holds it for review.
  await page.getByLabel("Hold for review at score").fill("10");
  await page.getByRole("button", { name: "Save fraud settings" }).click();
  await page.getByRole("status").filter({ hasText: "Fraud settings saved." }).waitFor();
  const saved = (await asOwner("GET", "/v1/fraud/settings")).body;
  assert.equal(saved.review_score, 10);
  assert.equal(saved.deny_score, defaults.deny_score);
  assert.equal(saved.rules.email_velocity.threshold, 1);
  assert.equal(saved.rules.email_velocity.weight, defaults.rules.email_velocity.weight);

  // A traveller books a seat and pays: the order is held for review.
  const guest = (await api(travio, "POST", "/v1/auth/guest")).body.access_token;
  const seats = await api(travio, "GET", `/v1/trips/${trip.body.id}/seats?from=DHK&to=CTG`);
  const seat = seats.body.decks.flatMap((d) => d.cells).find((c) => c.status === "available").label;
  const hold = await api(travio, "POST", "/v1/inventory/lock", guest, { trip_id: trip.body.id, seats: [seat], from: "DHK", to: "CTG" });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const order = await api(
    travio,
    "POST",
    "/v1/orders",
    guest,
    {
      hold_id: hold.body.hold_id,
      passengers: [{ seat, name: "Rahim Uddin", gender: "male", age: 34 }],
      contact: { email: "rahim@example.com", phone: "+8801712345678" },
    },
    { "Idempotency-Key": `order-${Date.now()}` },
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const paid = await api(
    travio,
    "POST",
    "/v1/payments",
    guest,
    { order_id: order.body.id, method: { type: "card", number: "4242424242424242", exp_month: 12, exp_year: 2035, cvc: "123" } },
    { "Idempotency-Key": `pay-${Date.now()}` },
  );
  assert.equal(paid.status, 202, JSON.stringify(paid.body));
  assert.equal(paid.body.order.status, "under_review");

  // The owner sees it with its score and reasons, and approves it.
  await page.reload();
  const card = page.locator(`li[data-order="${order.body.id}"]`);
  await card.waitFor();
  const text = await card.textContent();
  assert.match(text, /Dhaka → Chattogram/);
  assert.match(text, /৳900/);
  assert.match(text, /rahim@example\.com/);
  assert.match(text, new RegExp(`${seat} \\(Rahim Uddin\\)`));
  assert.match(text, /Risk score 20 of 100/);
  assert.match(text, /One email, many orders/);
  await assertAccessible(page, "the fraud reviews");
  await screenshot(page, "console-fraud-reviews");
  // The same in Bangla.
  await page.getByRole("button", { name: "বাংলা" }).click();
  await page.getByRole("heading", { name: "জালিয়াতি যাচাই", level: 1 }).waitFor();
  assert.match(await card.textContent(), /ঝুঁকির স্কোর ১০০-এর মধ্যে ২০/);
  await assertAccessible(page, "the fraud reviews in Bangla");
  await screenshot(page, "console-fraud-reviews-bn");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Fraud reviews", level: 1 }).waitFor();
  await card.getByRole("button", { name: "Approve…" }).click();
  assert.match(await card.getByRole("note").textContent(), /captures the payment of ৳900 from the buyer's card and confirms the order/);
  await assertAccessible(page, "approving a held order");
  await screenshot(page, "console-fraud-approve");
  assert.equal((await asOwner("GET", `/v1/orders/${order.body.id}`)).body.status, "under_review", "nothing decided before confirming");
  await card.getByRole("button", { name: "Approve and capture ৳900" }).click();
  await page.getByRole("status").filter({ hasText: "approved: ৳900 captured and the order confirmed" }).waitFor();
  await page.getByText("No orders are waiting for a review.").waitFor();
  const confirmed = await asOwner("GET", `/v1/orders/${order.body.id}`);
  assert.equal(confirmed.body.status, "confirmed");
  assert.equal(confirmed.body.risk.verdict, "approved");
  assert.deepEqual(
    confirmed.body.payments.map((p) => p.status),
    ["captured"],
  );
  assert.deepEqual(page.problems, []);
  await context.close();

  // A viewer of the organization: no fraud page, no link to it, and the API refuses.
  const viewerEmail = unique("viewer");
  assert.equal((await asOwner("POST", "/v1/orgs/invites", { email: viewerEmail, role: "viewer" })).status, 201);
  const { token } = await inviteFromMail(travio.dataDir, viewerEmail);
  const accepted = await api(travio, "POST", "/v1/invites/accept", null, { token, name: "Viewer Nasrin", password: PASSWORD });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  const viewerToken = accepted.body.access_token;
  const { context: viewerContext, page: viewer } = await consoleAs(browser, travio, { email: viewerEmail, password: PASSWORD });
  assert.equal(await menuLink(viewer, "Fraud reviews").count(), 0, "no menu link to the fraud page");
  await viewer.goto(`${travio.url}/console/fraud`);
  await viewer.getByRole("heading", { name: "Not for your role" }).waitFor();
  await assertAccessible(viewer, "the fraud page refused to a viewer");
  await screenshot(viewer, "console-fraud-viewer");
  assert.equal((await api(travio, "GET", "/v1/fraud/reviews", viewerToken, null, org)).status, 403);
  assert.equal((await api(travio, "GET", "/v1/fraud/settings", viewerToken, null, org)).status, 403);
  assert.equal((await api(travio, "POST", `/v1/fraud/reviews/${order.body.id}/reject`, viewerToken, null, org)).status, 403);

  // The viewer sees a waiting room read-only: no input, no button in the page.
  const room = await asOwner("PUT", "/v1/queue/rooms/weekend-rush", {
    name: "Weekend rush",
    mode: "on_demand",
    trip_ids: [trip.body.id],
    admit_per_minute: 25,
    max_active: 60,
    session_minutes: 12,
  });
  assert.equal(room.status, 200, JSON.stringify(room.body));
  await menuLink(viewer, "Waiting rooms").click();
  await viewer.locator('tr[data-room="weekend-rush"]').waitFor();
  assert.equal(await viewer.getByRole("link", { name: "New waiting room" }).count(), 0);
  await viewer.locator('tr[data-room="weekend-rush"]').getByRole("link").click();
  await viewer.getByRole("heading", { name: "Weekend rush", level: 1 }).waitFor();
  await viewer.getByRole("heading", { name: "Settings" }).waitFor();
  assert.equal(await viewer.locator("main input, main select, main textarea, main button").count(), 0);
  assert.match(await viewer.locator("main").textContent(), /25 a minute/);
  assert.match(await viewer.locator("main").textContent(), /Dhaka - Chattogram - Cox's Bazar/);
  await assertAccessible(viewer, "a waiting room seen by a viewer");
  await screenshot(viewer, "console-waiting-room-viewer");
  await viewer.getByRole("button", { name: "বাংলা" }).click();
  await viewer.getByRole("heading", { name: "সেটিংস" }).waitFor();
  await assertAccessible(viewer, "a waiting room seen by a viewer, in Bangla");
  await screenshot(viewer, "console-waiting-room-viewer-bn");
  assert.equal((await api(travio, "DELETE", "/v1/queue/rooms/weekend-rush", viewerToken, null, org)).status, 403);
  assert.deepEqual(viewer.problems, []);
  await viewerContext.close();
});
