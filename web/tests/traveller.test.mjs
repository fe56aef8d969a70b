// A guest books DHK → CXB in the traveller app, in Debian's Chromium at phone size, against the
// real monolith: station lookup with a typo, the live seat map, passengers, a declined card,
// a double-clicked Pay, the tickets, a partial cancellation; then the same app in Bangla.
// Every page is checked with axe-core on the way.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { accessibilityProblems, ApiClient, demoFare, dhakaDate, launchBrowser, phonePage, screenshot, startTravio } from "./harness.mjs";

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

async function assertAccessible(page, where) {
  const problems = await accessibilityProblems(page);
  assert.deepEqual(problems, [], `axe-core found serious or critical problems on ${where}`);
}

async function pickStation(page, label, typed, name) {
  const field = page.getByRole("combobox", { name: label });
  await field.fill(typed);
  await page.getByRole("option", { name: new RegExp(name) }).first().click();
  await assert.doesNotReject(() => field.evaluate((input, expected) => {
    if (input.value !== expected) throw new Error(`the field shows ${input.value}`);
  }, name));
}

test("a guest searches, picks seats on the live map, pays after a decline, and cancels one seat", async () => {
  const { context, page } = await phonePage(browser);
  const day = dhakaDate(3);
  await page.goto(`${travio.url}/`);
  await assertAccessible(page, "the search page");
  await screenshot(page, "1-search");

  await pickStation(page, "From", "dhk", "Dhaka");
  await pickStation(page, "To", "coxs bazr", "Cox's Bazar"); // a typo, still found
  await page.getByLabel("Date of journey").fill(day);
  await page.getByLabel("Passengers").selectOption("2");
  await page.getByRole("button", { name: "Search buses" }).click();

  const first = page.locator("li.trip").first();
  await first.waitFor();
  // The 07:00 departure from Dhaka, shown in Dhaka's time although the phone is in London.
  assert.match(await first.locator(".time").first().textContent(), /^07:00$/);
  assert.match(await first.textContent(), new RegExp(`৳${demoFare(3).toLocaleString("en-US")}`));
  assert.match(await first.textContent(), /40 seats left/);
  await assertAccessible(page, "the results");
  await screenshot(page, "2-results");
  const tripId = await first.getAttribute("data-trip");
  await first.getByRole("link", { name: /Select seats/ }).click();

  // The seat map, drawn from the 2+2 layout.
  await page.locator('button[data-seat="A1"]').waitFor();
  await page.locator(".live.on").waitFor(); // the seat stream is connected
  const seat = (label) => page.locator(`button[data-seat="${label}"]`);
  await seat("A1").click();
  await seat("A2").click();
  await seat("C1").click();
  assert.equal(await seat("A1").getAttribute("aria-pressed"), "true");

  // Another traveller holds B1 (not chosen here) and C1 (chosen here): both change live.
  const other = await new ApiClient(travio.url).guest();
  const taken = await other.request("POST", "/v1/inventory/lock", { trip_id: tripId, seats: ["B1", "C1"], from: "DHK", to: "CXB" });
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
  await page.locator('button[data-seat="B1"][data-status="held"]').waitFor();
  assert.equal(await seat("B1").isDisabled(), true);
  await page.locator('button[data-seat="C1"][data-status="held"]').waitFor();
  await page.getByText("Seat C1 was just taken by someone else").waitFor();
  assert.equal(await seat("A2").getAttribute("aria-pressed"), "true");
  await assertAccessible(page, "the seat map");
  await screenshot(page, "3-seats");

  await page.getByRole("button", { name: "Continue with 2 seats" }).click();
  await page.getByRole("timer").waitFor();
  assert.match(await page.getByRole("timer").textContent(), /Seats held for\s*[45]:\d\d/);

  // Passengers: a missing name is explained next to its field, nothing is sent.
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.locator("#p0-name-error").waitFor();
  assert.match(await page.locator("#p0-name-error").textContent(), /name/);
  assert.equal(await page.locator("#p0-name").getAttribute("aria-invalid"), "true");
  await page.locator("#p0-name").fill("Rahima Akter");
  // Edited, the field no longer carries the complaint about what was there before.
  assert.equal(await page.locator("#p0-name-error").count(), 0);
  assert.equal(await page.locator("#p0-name").getAttribute("aria-invalid"), null);
  await page.locator("#p0-gender").selectOption("female");
  await page.locator("#p1-name").fill("Karim Uddin");
  await page.locator("#p1-gender").selectOption("male");
  await page.locator("#p1-age").fill("34");
  await page.locator("#contact-email").fill("rahima@example.com");
  await assertAccessible(page, "the passenger form");
  await screenshot(page, "4-passengers");
  await page.getByRole("button", { name: "Continue to payment" }).click();

  // A declined card: the message is next to the card number, and the order stays payable.
  await page.locator("#card-number").waitFor();
  await page.locator("#card-number").fill("4000 0000 0000 0002");
  await page.locator("#card-exp").fill("12/30");
  await page.locator("#card-cvc").fill("123");
  await page.locator("#pay").click();
  await page.locator("#card-number-error").waitFor();
  assert.match(await page.locator("#card-number-error").textContent(), /declined/);
  await assertAccessible(page, "the payment form with an error");
  await screenshot(page, "5-declined");

  // The success card, paid with a double click: one booking, one capture.
  await page.locator("#card-number").fill("4242 4242 4242 4242");
  assert.equal(await page.locator("#card-number-error").count(), 0);
  await page.locator("#pay").dblclick();
  await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
  const orderId = page.url().split("/").pop();
  await page.locator('[data-status="confirmed"]').waitFor();
  assert.match(await page.textContent("main"), /rahima@example\.com/);

  const guest = await page.evaluate(() => JSON.parse(localStorage.getItem("travio.guest")).token);
  const buyer = new ApiClient(travio.url);
  buyer.token = guest;
  const order = await buyer.request("GET", `/v1/orders/${orderId}`);
  assert.equal(order.status, 200);
  assert.equal(order.body.status, "confirmed");
  assert.deepEqual(order.body.seats.sort(), ["A1", "A2"]);
  assert.equal(order.body.payments.filter((p) => p.status === "captured").length, 1);
  const mine = await buyer.request("GET", "/v1/orders");
  assert.equal(mine.body.items.length, 1, "one order for the guest, however often Pay was clicked");

  // The tickets: a PDF for the order and each ticket's QR on screen.
  const download = page.getByRole("link", { name: "Download e-tickets (PDF)" });
  await download.waitFor({ timeout: 60_000 });
  const pdf = await page.evaluate(async (href) => {
    const answer = await fetch(href);
    return { status: answer.status, type: answer.headers.get("Content-Type"), head: (await answer.text()).slice(0, 5) };
  }, await download.getAttribute("href"));
  assert.deepEqual(pdf, { status: 200, type: "application/pdf", head: "%PDF-" });
  await page.locator('li.ticket[data-seat="A1"]').getByRole("button", { name: "Show QR code" }).click();
  await page.getByRole("img", { name: "QR code of the ticket for seat A1" }).waitFor();
  await assertAccessible(page, "the order page");
  await screenshot(page, "6-order");

  // Cancelling one seat: the quote first, then the seat is free again for everyone.
  await page.getByRole("checkbox", { name: /Seat A2/ }).check();
  await page.getByRole("button", { name: "See the refund" }).click();
  const quote = page.getByRole("region", { name: "Refund if you cancel now" });
  await quote.waitFor();
  assert.match(await quote.textContent(), /Refund\s*৳[\d,]+/);
  assert.match(await quote.textContent(), /Cancellation fee/);
  await screenshot(page, "7-cancel-quote");
  await page.getByRole("button", { name: "Cancel Seat A2" }).click();
  await page.locator('[data-status="partially_cancelled"]').waitFor();
  const seats = await other.request("GET", `/v1/trips/${tripId}/seats?from=DHK&to=CXB`);
  const cell = (label) => seats.body.decks.flatMap((d) => d.cells).find((c) => c.label === label);
  assert.equal(cell("A2").status, "available");
  assert.equal(cell("A1").status, "booked");

  assert.deepEqual(page.problems, []);
  await context.close();

  // Another browser (the guest's token is gone) opens the booking from the email's link.
  const manage = await manageLinkFromMail(travio.dataDir, orderId);
  const elsewhere = await phonePage(browser);
  await elsewhere.page.goto(`${travio.url}${manage}`);
  await elsewhere.page.locator('[data-status="partially_cancelled"]').waitFor();
  assert.equal(new URL(elsewhere.page.url()).search, "", "the link's signature leaves the address bar");
  await elsewhere.page.locator('li.ticket[data-seat="A1"]').getByRole("button", { name: "Show QR code" }).click();
  await elsewhere.page.getByRole("img", { name: "QR code of the ticket for seat A1" }).waitFor();
  assert.deepEqual(elsewhere.page.problems, []);
  await elsewhere.context.close();
});

/** The path and query of the "see or change your booking" link in the order's ticket email. */
async function manageLinkFromMail(dataDir, orderId) {
  const pattern = new RegExp(`https?://[^/\\s]+(/orders/${orderId}\\?expires=\\d+&signature=[0-9a-f]{64})`);
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const name of readdirSync(join(dataDir, "mail")).filter((n) => n.endsWith(".eml"))) {
      const found = pattern.exec(readFileSync(join(dataDir, "mail", name), "utf8"));
      if (found) return found[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email with a link to order ${orderId}`);
}

test("a guest pays through the provider's page (the redirect flow) and comes back to the booking", async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${travio.url}/search?from=DHK&to=SYL&date=${dhakaDate(5)}&passengers=1`);
  const first = page.locator("li.trip").first();
  await first.getByRole("link", { name: /Select seats/ }).click();
  await page.locator('button[data-seat="A1"]').click();
  await page.getByRole("button", { name: "Continue with 1 seat" }).click();
  await page.locator("#p0-name").fill("Nusrat Jahan");
  await page.locator("#p0-gender").selectOption("female");
  await page.locator("#contact-email").fill("nusrat@example.com");
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.getByRole("radio", { name: "Mobile wallet or bank" }).check();
  await page.locator("#pay").click();

  // The sandbox provider's hosted page, on the gateway: approve there.
  await page.waitForURL(/\/v1\/payments\/sandbox\/checkout\//);
  await page.getByRole("button", { name: "Approve" }).click();
  await page.getByText("Payment approved").waitFor();
  await page.getByRole("link", { name: "Return to Travio" }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
  // The provider's webhook confirms the order; the page follows until it does.
  await page.locator('[data-status="confirmed"]').waitFor({ timeout: 30_000 });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("during a ticket drop a guest waits in the room, is admitted and holds with the queue token", async () => {
  const password = /password: (\S+)/.exec(readFileSync(join(travio.dataDir, "demo-credentials.txt"), "utf8"))[1];
  const owner = new ApiClient(travio.url);
  owner.token = (await owner.request("POST", "/v1/auth/login", { email: "manager@demo-paribahan.travio.test", password })).body.access_token;
  const day = dhakaDate(2);
  const found = await owner.request("GET", `/v1/search?from=DHK&to=BSL&date=${day}`);
  const trip = found.body.items[0].trip_id;
  const opens = new Date(Date.now() + 5000).toISOString();
  const room = await owner.request("PUT", "/v1/queue/rooms/web-drop", {
    name: "Barishal drop", mode: "scheduled", trip_ids: [trip], opens_at: opens, pre_queue_minutes: 10,
    admit_per_minute: 60, max_active: 100, session_minutes: 10,
  });
  assert.equal(room.status, 200, JSON.stringify(room.body));

  const { context, page } = await phonePage(browser);
  await page.goto(`${travio.url}/trips/${trip}?from=DHK&to=BSL&date=${day}&passengers=1`);
  await page.locator('button[data-seat="A1"]').click();
  await page.getByRole("button", { name: "Continue with 1 seat" }).click();
  // Guarded: to the waiting room, first in the pre-queue until the sale opens.
  await page.waitForURL(/\/queue\/web-drop\?/);
  await page.getByText("You are in the pre-queue").waitFor();
  await assertAccessible(page, "the waiting room");
  await screenshot(page, "11-waiting-room");
  // Drawn, admitted, and back on the trip with the token.
  await page.locator('[data-queue="admitted"]').waitFor({ timeout: 60_000 });
  await page.waitForURL(new RegExp(`/trips/${trip}\\?from=DHK&to=BSL`));
  await page.locator('button[data-seat="A1"]').click();
  await page.getByRole("button", { name: "Continue with 1 seat" }).click();
  await page.waitForURL(/\/checkout\//);
  await page.getByRole("timer").waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a traveller creates an account and signs in; only the Sign out button signs out", async () => {
  const { context, page } = await phonePage(browser);
  const email = `traveller-${Date.now()}@example.com`;
  await page.goto(`${travio.url}/signin`);
  await assertAccessible(page, "the sign-in page");
  await page.getByRole("button", { name: "New to Travio? Create an account" }).click();
  await page.getByLabel("Full name").fill("Farhana Yasmin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long passphrase 77");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/orders$/);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await assertAccessible(page, "my orders, signed in");

  // Another site sending the browser to an address signs nobody out.
  await page.goto(`${travio.url}/signin?out=1`);
  await page.goto(`${travio.url}/`);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  const refresh = await page.evaluate(() => JSON.parse(localStorage.getItem("travio.user")).refresh);

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in" }).waitFor();
  // The refresh token was revoked, not only forgotten.
  const api = new ApiClient(travio.url);
  for (let i = 0; i < 50; i++) {
    if ((await api.request("POST", "/v1/auth/refresh", { refresh_token: refresh })).status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await api.request("POST", "/v1/auth/refresh", { refresh_token: refresh })).status, 401);

  // A wrong password is said in words.
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "The email or password is wrong." }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("the app speaks Bangla: words, digits, money and times", async () => {
  const { context, page } = await phonePage(browser);
  await page.goto(`${travio.url}/search?from=DHK&to=CXB&date=${dhakaDate(4)}&passengers=1`);
  await page.locator("li.trip").first().waitFor();
  await page.getByRole("button", { name: "বাংলা" }).click();
  await page.getByRole("heading", { name: "কোথায় যাবেন?" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "bn");
  const first = page.locator("li.trip").first();
  const bangla = demoFare(4) === 1650 ? "১,৬৫০৳" : "১,৫০০৳";
  assert.match(await first.textContent(), new RegExp(bangla)); // CLDR's Bangla pattern: the sign after
  assert.match(await first.textContent(), /৪০টি আসন খালি/);
  assert.match(await first.locator(".time").first().textContent(), /^০৭:০০$/);
  await assertAccessible(page, "the results in Bangla");
  await screenshot(page, "8-results-bn");

  // The choice is remembered: a new page opens in Bangla.
  await page.goto(`${travio.url}/`);
  await page.getByRole("heading", { name: "কোথায় যাবেন?" }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("prices follow the operator's rules: the seat map shows them and the hold charges them", async () => {
  const password = /password: (\S+)/.exec(readFileSync(join(travio.dataDir, "demo-credentials.txt"), "utf8"))[1];
  const owner = new ApiClient(travio.url);
  const signedIn = await owner.request("POST", "/v1/auth/login", { email: "manager@demo-paribahan.travio.test", password });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  owner.token = signedIn.body.access_token;
  const org = (await owner.request("GET", "/v1/me")).body.memberships[0].org_id;
  // A rule for this test alone: the Dhaka to Sylhet route's front row costs ৳250 more.
  const rule = await owner.request("POST", "/v1/pricing/rules", {
    name: "Front row", priority: 500,
    when: "journey.to == 'SYL' && seat.label.startsWith('A')",
    adjust: "price + 25000",
  }, { "X-Org-Id": org });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));

  const { context, page } = await phonePage(browser);
  const day = dhakaDate(6);
  await page.goto(`${travio.url}/search?from=DHK&to=SYL&date=${day}&passengers=1`);
  const first = page.locator("li.trip").first();
  await first.waitFor();
  const base = Number((await first.locator(".price").textContent()).replace(/[^\d]/g, ""));
  await first.getByRole("link", { name: /Select seats/ }).click();
  await page.locator('button[data-seat="B1"]').waitFor();
  const seat = (label) => page.locator(`button[data-seat="${label}"]`);
  const shown = (amount) => `৳${amount.toLocaleString("en-US")}`;
  // A seat behind the front row: the fare search showed.
  await seat("B1").click();
  await page.locator(".sticky-bar .total").filter({ hasText: shown(base) }).waitFor();
  // The front row: ৳250 more, and the page says which rule made it.
  await seat("A1").click();
  await page.locator(".sticky-bar .total").filter({ hasText: shown(2 * base + 250) }).waitFor();
  await page.locator(".rules").filter({ hasText: /includes .*Front row/ }).waitFor();
  await assertAccessible(page, "the seat map with rule prices");
  await screenshot(page, "12-rule-prices");
  await page.getByRole("button", { name: "Continue with 2 seats" }).click();
  await page.getByRole("timer").waitFor();
  // The hold froze what the page showed.
  const holdId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  const total = await page.evaluate(
    (id) => JSON.parse(sessionStorage.getItem(`travio.hold.${id}`) || "null")?.total?.amount ?? null,
    holdId,
  );
  assert.equal(total, (2 * base + 250) * 100);
  await page.getByText(shown(2 * base + 250)).first().waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});


/** The demo operator's owner, signed in through the API, with its organization's id. */
async function demoOwner() {
  const password = /password: (\S+)/.exec(readFileSync(join(travio.dataDir, "demo-credentials.txt"), "utf8"))[1];
  const owner = new ApiClient(travio.url);
  const signedIn = await owner.request("POST", "/v1/auth/login", { email: "manager@demo-paribahan.travio.test", password });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  owner.token = signedIn.body.access_token;
  const org = (await owner.request("GET", "/v1/me")).body.memberships[0].org_id;
  return { owner, headers: { "X-Org-Id": org } };
}

/** From the search page to the payment form for seat `label` of the first DHK -> SYL trip. */
async function bookToPayment(page, day, label, email) {
  await page.goto(`${travio.url}/search?from=DHK&to=SYL&date=${day}&passengers=1`);
  const first = page.locator("li.trip").first();
  await first.waitFor();
  await first.getByRole("link", { name: /Select seats/ }).click();
  await page.locator(`button[data-seat="${label}"]`).click();
  await page.getByRole("button", { name: /Continue with 1 seat/ }).click();
  await page.locator("#p0-name").fill("Nusrat Jahan");
  await page.locator("#p0-gender").selectOption("female");
  await page.locator("#contact-email").fill(email);
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await page.locator("#card-number").fill("4242 4242 4242 4242");
  await page.locator("#card-exp").fill("12/30");
  await page.locator("#card-cvc").fill("123");
}

test("a booking fraud holds for review says so, and confirms when staff approve; a denied one says nothing was charged", async () => {
  const { owner, headers } = await demoOwner();
  const before = await owner.request("GET", "/v1/fraud/settings", undefined, headers);
  assert.equal(before.status, 200, JSON.stringify(before.body));
  // One signal that always counts (an email seen once), weighing a review, then a denial.
  const weigh = (weight) =>
    owner.request("PUT", "/v1/fraud/settings",
      { rules: { email_velocity: { enabled: true, threshold: 1, weight } } }, headers);
  try {
    assert.equal((await weigh(60)).status, 200);
    const { context, page } = await phonePage(browser);
    const day = dhakaDate(8);
    await bookToPayment(page, day, "D3", "nusrat@example.com");
    await page.locator("#pay").click();
    await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
    const orderId = page.url().split("/").pop();
    await page.locator('[data-status="under_review"]').waitFor();
    assert.match(await page.locator('[data-status="under_review"]').textContent(), /Being checked/);
    await page.getByText(/Your card is authorised, not charged/).waitFor();
    await page.getByText("Total authorised, not charged").waitFor();
    await assertAccessible(page, "an order under review");
    await screenshot(page, "13-under-review");

    const reviews = await owner.request("GET", "/v1/fraud/reviews", undefined, headers);
    assert.ok(reviews.body.items.some((o) => o.id === orderId), JSON.stringify(reviews.body));
    const approved = await owner.request("POST", `/v1/fraud/reviews/${orderId}/approve`, undefined, headers);
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    // The page looks again by itself.
    await page.locator('[data-status="confirmed"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByText(/authorised, not charged/).count(), 0);
    await page.getByText("Total paid").waitFor();

    assert.equal((await weigh(90)).status, 200);
    await bookToPayment(page, day, "E1", "nusrat@example.com");
    await page.locator("#pay").click();
    await page.getByText(/could not accept this booking\. Nothing was charged/).waitFor();
    // Nothing left to pay: no timer, no form, the way back to the search.
    assert.equal(await page.locator("#pay").count(), 0);
    assert.equal(await page.getByRole("timer").count(), 0);
    await page.getByRole("link", { name: "Search again" }).waitFor();
    await assertAccessible(page, "a payment fraud declined");
    await screenshot(page, "14-risk-declined");
    assert.deepEqual(page.problems, []);
    await context.close();
  } finally {
    const restored = await owner.request("PUT", "/v1/fraud/settings", before.body, headers);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
  }
});
