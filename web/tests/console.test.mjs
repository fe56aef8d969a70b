// The operator console in Debian's Chromium at desktop size, against the real monolith: a new
// owner signs up and creates the organization, invites a manager (the token from the .eml file)
// who builds a double-decker in the layout editor (a server-side layout error shown on its
// cell, then fixed), a route DHK → CTG → CXB, and a schedule whose calendar preview matches the
// trips it generates; travellers then find those trips, one books, and the manifest lists the
// passenger. A viewer sees no edit controls, and the API refuses the edits anyway.
// Every page is checked with axe-core on the way.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  accessibilityProblems,
  ApiClient,
  desktopPage,
  dhakaDate,
  inviteFromMail,
  launchBrowser,
  screenshot,
  startTravio,
} from "./harness.mjs";

let travio;
let browser;

before(async () => {
  // A schedule's generation answers after each trip with how many remain (catalog.longest_call
  // at 0): the page's calls go on until none does.
  travio = await startTravio({ environment: { TRAVIO_CATALOG_LONGEST_CALL: "0s" } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await travio?.stop();
});

const PASSWORD = "correct horse battery";
const unique = (name) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

async function assertAccessible(page, where) {
  const problems = await accessibilityProblems(page);
  assert.deepEqual(problems, [], `axe-core found serious or critical problems on ${where}`);
}

/** The console's own access token, as the page keeps it, for calls the test makes as that user. */
async function tokenOf(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("travio.user")).token);
}

async function api(method, path, token, body, headers = {}) {
  const answer = await fetch(`${travio.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await answer.text();
  return { status: answer.status, body: text ? JSON.parse(text) : null };
}

/** An invitee opens the link from their mail and creates their account. */
async function acceptInvite(email, name) {
  const { token, text } = await inviteFromMail(travio.dataDir, email);
  assert.match(text, /\/console\/invite\?token=/, "the mail links to the console's invite page");
  const { context, page } = await desktopPage(browser);
  await page.goto(`${travio.url}/console/invite?token=${token}`);
  await page.getByRole("heading", { name: "Join your team on Travio" }).waitFor();
  assert.equal(new URL(page.url()).search, "", "the token is taken out of the address bar");
  await assertAccessible(page, "the invite page");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Choose a password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.getByRole("navigation", { name: "Console menu" }).waitFor();
  return { context, page };
}

test("an owner sets up; a manager builds a bus, a route and a schedule whose trips travellers book", async () => {
  const ownerEmail = unique("owner");
  const managerEmail = unique("manager");
  const viewerEmail = unique("viewer");
  const company = `Green Line ${Date.now()}`;

  // The owner signs up and names the company.
  const { context: ownerContext, page: owner } = await desktopPage(browser);
  await owner.goto(`${travio.url}/console/`);
  await owner.getByRole("heading", { name: "Sign in to the operator console" }).waitFor();
  await assertAccessible(owner, "the console's sign-in page");
  await owner.getByRole("link", { name: /Create an account/ }).click();
  await owner.getByLabel("Your name").fill("Owner Rahman");
  await owner.getByLabel("Email").fill(ownerEmail);
  await owner.getByLabel("Choose a password").fill("short");
  await owner.getByRole("button", { name: "Create account" }).click();
  assert.match(await owner.locator("#password-error").textContent(), /at least 10 characters/);
  await owner.getByLabel("Choose a password").fill(PASSWORD);
  await owner.getByRole("button", { name: "Create account" }).click();
  await owner.getByRole("heading", { name: "Name your company" }).waitFor();
  await assertAccessible(owner, "the new organization page");
  await owner.getByLabel("Company name").fill(company);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await owner.getByRole("heading", { name: company }).waitFor();
  await assertAccessible(owner, "the dashboard");
  assert.equal(await owner.locator("#org-switch").inputValue(), (await api("GET", "/v1/me", await tokenOf(owner))).body.memberships[0].org_id);

  // The owner invites a manager and a viewer.
  await owner.getByRole("link", { name: "Members and invites" }).click();
  await owner.getByRole("heading", { name: "Members and invites" }).waitFor();
  for (const [email, role] of [[managerEmail, "Manager"], [viewerEmail, "Viewer"]]) {
    await owner.getByLabel("Email").fill(email);
    await owner.getByLabel("Role", { exact: true }).selectOption({ label: role });
    await owner.getByRole("button", { name: "Send invitation" }).click();
    await owner.getByRole("status").filter({ hasText: `An invitation was sent to ${email}` }).waitFor();
  }
  assert.equal(await owner.locator("table").nth(1).locator("tbody tr").count(), 2, "two invitations wait");
  await assertAccessible(owner, "the members page");
  await screenshot(owner, "console-members");

  // The manager joins from the mail and builds a double-decker in the layout editor.
  const { context: managerContext, page: manager } = await acceptInvite(managerEmail, "Manager Karim");
  assert.ok(await manager.getByRole("link", { name: "Buses" }).isVisible());
  await manager.getByRole("link", { name: "Buses" }).click();
  await manager.getByRole("link", { name: "New bus" }).click();
  await manager.getByLabel("Registration plate").fill("DHAKA-METRO-BA-11-2233");
  await manager.getByLabel("Class").selectOption("sleeper");
  await manager.getByLabel("Template").selectOption("double-decker");
  await manager.locator("#template-rows").fill("5");
  await manager.getByRole("button", { name: "Use this template" }).click();
  assert.match(await manager.getByText(/places, .* for sale/).textContent(), /^20 places, 20 for sale$/);
  const cell = (deck, row, col) => manager.locator(`button[data-cell="${deck}:${row}:${col}"]`);
  assert.equal(await cell(1, 0, 0).textContent(), "UA1");
  // Ladies' berths on the lower deck's second row.
  await manager.getByLabel("Category of new places").fill("ladies");
  await manager.getByRole("radio", { name: "Berth" }).check();
  await cell(0, 1, 0).click();
  await cell(0, 1, 2).click();
  assert.match(await cell(0, 1, 0).getAttribute("aria-label"), /Berth LB1, ladies/);
  // A door where the upper deck's last aisle was, and one berth not for sale.
  await manager.getByRole("radio", { name: "Door" }).check();
  await cell(1, 4, 1).click();
  await manager.getByRole("radio", { name: /Select/ }).check();
  await cell(1, 4, 2).click();
  await manager.getByLabel("Not for sale").check();
  assert.match(await manager.getByText(/places, .* for sale/).textContent(), /^20 places, 19 for sale$/);
  // A label typed twice: the server names the cell, and the editor marks that cell.
  await cell(0, 0, 0).click();
  await manager.getByLabel("Label", { exact: true }).fill("LA2");
  await manager.getByRole("button", { name: "Create bus" }).click();
  await manager.getByText("The seat layout has problems, shown on the cells below.").waitFor();
  assert.match(await cell(0, 0, 2).getAttribute("class"), /\binvalid\b/);
  assert.match(await cell(0, 0, 2).getAttribute("aria-label"), /repeats the label/);
  assert.doesNotMatch(await cell(0, 1, 0).getAttribute("class"), /\binvalid\b/);
  await assertAccessible(manager, "the layout editor showing a problem");
  await manager.getByRole("button", { name: "Renumber all places" }).click();
  assert.equal(await cell(0, 0, 0).textContent(), "LA1");
  await screenshot(manager, "console-bus-editor");
  await manager.getByRole("button", { name: "Create bus" }).click();
  await manager.getByRole("heading", { name: "Buses" }).waitFor();
  const busRow = manager.locator("tr", { hasText: "DHAKA-METRO-BA-11-2233" });
  assert.match(await busRow.textContent(), /Sleeper.*20/);
  const managerToken = await tokenOf(manager);
  const buses = await api("GET", "/v1/operator/buses", managerToken);
  assert.equal(buses.body.items.length, 1);
  const bus = buses.body.items[0];
  assert.deepEqual(bus.layout.decks.map((d) => d.name), ["lower", "upper"]);
  assert.equal(bus.capacity, 20);
  assert.equal(bus.seats_for_sale, 19);
  const byLabel = Object.fromEntries(bus.layout.decks.flatMap((d) => d.cells).filter((c) => c.label).map((c) => [c.label, c]));
  assert.equal(byLabel.LB1.category, "ladies");
  assert.equal(byLabel.UE2.blocked, true);
  assert.equal(bus.layout.decks[1].cells.find((c) => c.row === 4 && c.col === 1).type, "door");

  // The route Dhaka → Chattogram → Cox's Bazar.
  await manager.getByRole("link", { name: "Routes and schedules" }).click();
  await manager.getByRole("link", { name: "New route" }).click();
  await manager.getByLabel("Route name").fill("Dhaka – Cox's Bazar via Chattogram");
  await manager.getByLabel("Station of stop 1").selectOption("DHK");
  await manager.getByLabel("Station of stop 2").selectOption("CTG");
  await manager.getByLabel("Minutes after departure stop 2 is reached").fill("300");
  await manager.getByLabel("Minutes after departure stop 2 is left").fill("315");
  await manager.getByLabel("Travellers board at stop 2").check();
  await manager.getByRole("button", { name: "Add a stop" }).click();
  await manager.getByLabel("Station of stop 3").selectOption("CXB");
  await manager.getByLabel("Minutes after departure stop 3 is reached").fill("300");
  await manager.getByRole("button", { name: "Create route" }).click();
  assert.match(await manager.locator("#stop-2-arrive-error").textContent(), /after leaving the one before/);
  await manager.getByLabel("Minutes after departure stop 3 is reached").fill("540");
  await assertAccessible(manager, "the route editor");
  await manager.getByRole("button", { name: "Create route" }).click();
  await manager.getByRole("link", { name: "New schedule" }).click();

  // A daily schedule from tomorrow for 20 days; trips generated for the first 6.
  await manager.getByRole("heading", { name: /New schedule/ }).waitFor();
  const first = dhakaDate(1);
  await manager.getByLabel("Departure time").fill("21:00");
  await manager.getByLabel("First day").fill(first);
  await manager.getByLabel("Last day").fill(dhakaDate(20));
  await manager.getByLabel("Generate trips up to").fill(dhakaDate(6));
  await manager.getByLabel("Fare from DHK to CTG", { exact: true }).fill("900");
  await manager.getByLabel("Fare from DHK to CXB", { exact: true }).fill("1,600");
  await manager.getByLabel("Fare from CTG to CXB", { exact: true }).fill("8OO"); // letters, not zeros
  await manager.getByRole("button", { name: "Create schedule and generate trips" }).click();
  assert.match(await manager.locator("#fare-CTG-CXB-all-error").textContent(), /Enter an amount/);
  await manager.getByLabel("Fare from CTG to CXB", { exact: true }).fill("800");
  assert.equal(
    await manager.locator(".preview-count").textContent(),
    "20 trips in all; 6 are generated now, the rest when you generate later.",
  );
  assert.equal(await manager.locator("td.trip-day").count(), 20);
  assert.equal(await manager.locator("td.trip-day.generated").count(), 6);
  assert.equal(await manager.locator(`td.trip-day.generated[data-date="${first}"]`).count(), 1);
  await assertAccessible(manager, "the schedule editor");
  await screenshot(manager, "console-schedule");
  const generateCalls = [];
  manager.on("response", (answer) => {
    if (answer.url().endsWith("/generate")) generateCalls.push(answer.json());
  });
  await manager.getByRole("button", { name: "Create schedule and generate trips" }).click();
  await manager.getByText("6 trips created, 0 already existed.").waitFor();
  assert.deepEqual(
    (await Promise.all(generateCalls)).map((call) => [call.created, call.existing, call.remaining]),
    [[1, 0, 5], [1, 1, 4], [1, 2, 3], [1, 3, 2], [1, 4, 1], [1, 5, 0]],
    "one trip a call, the page calling until none remains",
  );
  // Generating again up to the same day makes nothing twice.
  await manager.getByRole("button", { name: "Generate", exact: true }).click();
  await manager.getByText("0 trips created, 6 already existed.").waitFor();

  // The trips are on sale, and travellers find them.
  await manager.getByRole("link", { name: "See the trips" }).click();
  await manager.locator("tr[data-trip]").first().waitFor();
  assert.equal(await manager.locator("tr[data-trip]").count(), 6);
  assert.equal(await manager.locator("tr[data-trip]", { hasText: "On sale" }).count(), 6);
  const traveller = await new ApiClient(travio.url).guest();
  let ours = [];
  // Search is a read model fed by the catalog's events: the trips reach it a moment later.
  for (let attempt = 0; attempt < 100 && ours.length === 0; attempt++) {
    const found = await traveller.request("GET", `/v1/search?from=DHK&to=CXB&date=${dhakaDate(3)}&passengers=1&limit=50`);
    assert.equal(found.status, 200);
    ours = found.body.items.filter((hit) => hit.operator.name === company);
    if (ours.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(ours.length, 1, "the generated trip is found by a traveller");
  assert.equal(ours[0].fare.amount, 160000);
  assert.equal(ours[0].seats_available, 19);

  // A traveller books it; the manifest lists the passenger.
  const hold = await traveller.request("POST", "/v1/inventory/lock", { trip_id: ours[0].trip_id, seats: ["LB1"], from: "DHK", to: "CXB" });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const order = await traveller.request(
    "POST",
    "/v1/orders",
    { hold_id: hold.body.hold_id, passengers: [{ seat: "LB1", name: "Nusrat Jahan\u202Emoc.xyz", gender: "female" }], contact: { email: "nusrat@example.com" } },
    { "Idempotency-Key": `console-${Date.now()}` },
  );
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const paid = await traveller.request(
    "POST",
    "/v1/payments",
    { order_id: order.body.id, method: { type: "card", number: "4242424242424242", exp_month: 12, exp_year: 2035, cvc: "123" } },
    { "Idempotency-Key": `console-pay-${Date.now()}` },
  );
  assert.equal(paid.status, 201, JSON.stringify(paid.body));
  await manager.goto(`${travio.url}/console/trips/${ours[0].trip_id}/manifest`);
  const passenger = manager.locator("tr", { hasText: "Nusrat Jahan" });
  await passenger.waitFor();
  const listed = await passenger.textContent();
  assert.match(listed, /LB1.*Nusrat Jahan.*DHK → CXB/);
  // A direction mark a traveller typed is shown, not obeyed: it cannot reorder what staff read.
  assert.doesNotMatch(listed, /[\u202A-\u202E\u2066-\u2069]/);
  assert.match(listed, /Nusrat Jahan\uFFFDmoc\.xyz/);
  await assertAccessible(manager, "the manifest");
  await screenshot(manager, "console-manifest");

  // The manager moves the schedule to 20:30: the six trips made keep 21:00, the next follow.
  await manager.getByRole("navigation", { name: "Console menu" }).getByRole("link", { name: "Routes and schedules" }).click();
  await manager.getByRole("link", { name: "Dhaka – Cox's Bazar via Chattogram" }).click();
  await manager.getByRole("link", { name: "21:00" }).click();
  await manager.getByRole("heading", { name: /^21:00 · / }).waitFor();
  assert.equal(await manager.locator("tr[data-trip]").count(), 6);
  await manager.getByRole("link", { name: "Change", exact: true }).click();
  await manager.getByText(/The 6 trips already generated \(up to .*\) keep their bus, time and fares/).waitFor();
  assert.equal(await manager.getByLabel("Fare from DHK to CXB", { exact: true }).inputValue(), "1600");
  await manager.getByLabel("Departure time").fill("20:30");
  await manager.getByLabel("Generate trips up to").fill(dhakaDate(8));
  await assertAccessible(manager, "the schedule change");
  await manager.getByRole("button", { name: "Save the change and generate trips" }).click();
  await manager.getByText("2 trips created, 6 already existed.").waitFor();
  await manager.getByRole("link", { name: "Open the schedule" }).click();
  await manager.getByRole("heading", { name: /^20:30 · / }).waitFor();
  const departures = await manager.locator("tr[data-trip] td:nth-child(2)").allTextContents();
  assert.deepEqual(departures, ["21:00", "21:00", "21:00", "21:00", "21:00", "21:00", "20:30", "20:30"]);

  // Ending it after day 7: what happens to the trip made for day 8 is said before it is done.
  await manager.getByLabel("Last day it runs").fill(dhakaDate(7));
  await manager.getByText("The trip it already made after that day stays on sale").waitFor();
  await manager.getByLabel("Also cancel the trip it already made after that day").check();
  await manager.getByText("1 trip after that day will be cancelled. Its travellers are refunded in full and told by email.").waitFor();
  // A double click opens the confirmation and does not answer it.
  await manager.getByRole("button", { name: "End the schedule…" }).dblclick();
  await manager.getByRole("button", { name: "End it and cancel 1 trip" }).waitFor();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const stillRunning = await api("GET", `/v1/catalog/schedules/${new URL(manager.url()).pathname.split("/").pop()}`, managerToken);
  assert.equal(stillRunning.body.end_date, dhakaDate(20), "nothing was ended yet");
  await assertAccessible(manager, "ending a schedule");
  await screenshot(manager, "console-schedule-end");
  await manager.getByRole("button", { name: "End it and cancel 1 trip" }).click();
  await manager.getByText(/The schedule now ends on .*\. Trips cancelled: 1; left running: 0\./).waitFor();
  await manager.locator("tr[data-trip]", { hasText: "Cancelled" }).waitFor();
  assert.equal(await manager.locator("tr[data-trip]", { hasText: "Cancelled" }).count(), 1);
  const scheduleId = new URL(manager.url()).pathname.split("/").pop();
  const ended = await api("GET", `/v1/catalog/schedules/${scheduleId}`, managerToken);
  assert.equal(ended.body.end_date, dhakaDate(7));
  assert.equal(ended.body.departure_time, "20:30");

  // A schedule whose trips cannot all be made (asked past the 366 days ahead the platform
  // makes): it is saved, and the page moves on to it with what was made and why it stopped,
  // never back to a form that would save it twice. Generating again, nearer, makes them.
  await manager.getByRole("link", { name: "Dhaka – Cox's Bazar via Chattogram" }).click();
  await manager.getByRole("link", { name: "New schedule" }).click();
  await manager.getByRole("heading", { name: /New schedule/ }).waitFor();
  await manager.getByLabel("Departure time").fill("06:15");
  await manager.getByLabel("First day").fill(dhakaDate(1));
  await manager.getByLabel("Last day").fill(dhakaDate(400));
  await manager.getByLabel("Generate trips up to").fill(dhakaDate(380));
  await manager.getByLabel("Fare from DHK to CTG", { exact: true }).fill("900");
  await manager.getByLabel("Fare from DHK to CXB", { exact: true }).fill("1,600");
  await manager.getByLabel("Fare from CTG to CXB", { exact: true }).fill("800");
  await manager.getByRole("button", { name: "Create schedule and generate trips" }).click();
  await manager.getByRole("heading", { name: "Schedule created" }).waitFor();
  await manager.getByText("0 trips created, 0 already existed.").waitFor();
  assert.match(await manager.getByRole("alert").textContent(), /.+/, "what stopped it is said");
  assert.equal(await manager.locator("#generate-until-error").textContent(), "at most 366 days ahead");
  await manager.getByLabel("Generate trips up to").fill(dhakaDate(3));
  await manager.getByRole("button", { name: "Generate", exact: true }).click();
  await manager.getByText("3 trips created, 0 already existed.").waitFor();
  assert.equal(await manager.getByRole("alert").count(), 0, "the problem is gone with the trips made");
  const early = (await api("GET", `/v1/catalog/schedules?route_id=${ended.body.route_id}`, managerToken)).body.items.filter(
    (schedule) => schedule.departure_time === "06:15",
  );
  assert.equal(early.length, 1, "saved once");

  // A viewer sees everything they may read, and no control that changes anything.
  const { context: viewerContext, page: viewer } = await acceptInvite(viewerEmail, "Viewer Sultana");
  assert.equal(await viewer.getByRole("link", { name: "Members and invites" }).count(), 0);
  await viewer.getByRole("link", { name: "Buses" }).click();
  await viewer.getByRole("link", { name: "DHAKA-METRO-BA-11-2233" }).click();
  await viewer.getByRole("img", { name: /lower, row 2, column 1: Berth LB1, ladies/ }).waitFor();
  assert.equal(await viewer.locator("main button, main input, main select").count(), 0, "no edit control on the bus");
  await assertAccessible(viewer, "the bus as a viewer sees it");
  await viewer.getByRole("link", { name: "Routes and schedules" }).click();
  await viewer.getByRole("link", { name: "Dhaka – Cox's Bazar via Chattogram" }).click();
  await viewer.getByRole("heading", { name: "Dhaka – Cox's Bazar via Chattogram" }).waitFor();
  assert.equal(await viewer.getByRole("link", { name: "New schedule" }).count(), 0);
  await viewer.getByRole("link", { name: "20:30" }).click();
  await viewer.getByRole("heading", { name: /^20:30 · / }).waitFor();
  assert.equal(await viewer.locator("main button, main input, main select").count(), 0, "no edit control on the schedule");
  assert.equal(await viewer.getByRole("link", { name: "Change", exact: true }).count(), 0);
  const refusedEnd = await api("POST", `/v1/catalog/schedules/${scheduleId}/end`, await tokenOf(viewer), { last_date: dhakaDate(1) });
  assert.equal(refusedEnd.status, 403);
  await viewer.getByRole("link", { name: "Dhaka – Cox's Bazar via Chattogram" }).click();
  await viewer.getByRole("navigation", { name: "Console menu" }).getByRole("link", { name: "Routes and schedules" }).click();
  await viewer.getByRole("heading", { name: "Routes and schedules" }).waitFor();
  assert.equal(await viewer.getByRole("link", { name: "New route" }).count(), 0);
  await viewer.goto(`${travio.url}/console/buses/new`);
  await viewer.getByRole("heading", { name: "Not for your role" }).waitFor();
  const viewerToken = await tokenOf(viewer);
  const refused = await api("POST", "/v1/operator/buses", viewerToken, { plate: "X-1", class: "seater", layout: { template: "2+2", rows: 2 } });
  assert.equal(refused.status, 403);
  const refusedRoute = await api("POST", "/v1/catalog/routes", viewerToken, {
    name: "Viewer's route",
    stops: [
      { station: "DHK", arrive_offset_min: 0, depart_offset_min: 0 },
      { station: "CTG", arrive_offset_min: 300, depart_offset_min: 300 },
    ],
  });
  assert.equal(refusedRoute.status, 403);
  assert.equal((await api("GET", "/v1/operator/buses", managerToken)).body.items.length, 1, "nothing was added");

  // The owner's dashboard lists tomorrow's departure.
  await owner.getByRole("link", { name: "Dashboard" }).click();
  await owner.locator("td", { hasText: "Tomorrow 21:00" }).waitFor();
  await screenshot(owner, "console-dashboard-new-operator");

  for (const page of [owner, manager, viewer]) assert.deepEqual(page.problems, []);
  await ownerContext.close();
  await managerContext.close();
  await viewerContext.close();
});
