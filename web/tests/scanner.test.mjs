// The conductor's scanner at /scan, in Chromium with a fake camera that shows a real ticket's
// QR code: a conductor invited by the demo operator and put on a trip's crew signs in, picks
// the trip, scans the code with the camera, types two numbers (one twice), and boards a third
// passenger offline, synced when the connection returns.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { generate } from "lean-qr";
import { chromium } from "playwright-core";
import { accessibilityProblems, ApiClient, chromiumPath, dhakaDate, screenshot, startTravio } from "./harness.mjs";

const OWNER = "manager@demo-paribahan.travio.test";
let travio;

before(async () => {
  // The trip of the test leaves tomorrow, up to two days away: boarding is open for it.
  travio = await startTravio({ environment: { TRAVIO_FULFILLMENT_BOARDING_OPENS: "72h" } });
});
after(async () => travio?.stop());

async function signIn(email, password) {
  const api = new ApiClient(travio.url);
  const answer = await api.request("POST", "/v1/auth/login", { email, password });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  api.token = answer.body.access_token;
  return api;
}

async function inviteToken(email) {
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const name of readdirSync(join(travio.dataDir, "mail"))) {
      const text = readFileSync(join(travio.dataDir, "mail", name), "utf8");
      if (!text.includes(`To: ${email}\r\n`)) continue;
      const found = /Invite token: (\S+)/.exec(text);
      if (found) return found[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no invite for ${email}`);
}

/** A one-frame Y4M "camera" showing the QR code of `text`, black on white. */
function fakeCamera(text, path) {
  const width = 640;
  const height = 480;
  const code = generate(text);
  const modules = code.size + 8;
  const scale = Math.floor((height - 20) / modules);
  const left = Math.floor((width - modules * scale) / 2);
  const top = Math.floor((height - modules * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (!code.get(x, y)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (top + (y + 4) * scale + dy) * width + left + (x + 4) * scale;
        luma.fill(16, row, row + scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`);
  writeFileSync(path, Buffer.concat([header, luma, chroma, chroma]));
}

test("a conductor boards by camera, by typed number and offline, and the server agrees", async () => {
  const password = /password: (\S+)/.exec(readFileSync(join(travio.dataDir, "demo-credentials.txt"), "utf8"))[1];
  const owner = await signIn(OWNER, password);
  const org = (await owner.request("GET", "/v1/me")).body.memberships[0].org_id;
  const asOwner = (method, path, body) => owner.request(method, path, body, { "X-Org-Id": org });

  // A conductor: invited, accepted, on the staff, assigned to tomorrow's Dhaka to Sylhet trip.
  const email = `conductor-${Date.now()}@example.com`;
  assert.equal((await asOwner("POST", "/v1/orgs/invites", { email, role: "conductor" })).status, 201);
  const accepted = await new ApiClient(travio.url).request("POST", "/v1/invites/accept", {
    token: await inviteToken(email),
    name: "Jamal Hossain",
    password: "boarding at dawn 2026",
  });
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  const conductor = await signIn(email, "boarding at dawn 2026");
  const conductorId = (await conductor.request("GET", "/v1/me")).body.id;
  const staff = await asOwner("POST", "/v1/operator/staff", {
    name: "Jamal Hossain", role: "conductor", phone: "+8801711000111", user_id: conductorId,
  });
  assert.equal(staff.status, 201, JSON.stringify(staff.body));
  const trips = await asOwner("GET", `/v1/catalog/trips?from_date=${dhakaDate(1)}&to_date=${dhakaDate(1)}&limit=200`);
  const trip = trips.body.items.find((t) => t.route_name.includes("Sylhet"));
  const assigned = await asOwner("POST", `/v1/operator/trips/${trip.id}/assignments`, { staff_id: staff.body.id, duty: "conductor" });
  assert.equal(assigned.status, 201, JSON.stringify(assigned.body));

  // A traveller's three tickets on it.
  const buyer = await new ApiClient(travio.url).guest();
  const hold = await buyer.request("POST", "/v1/inventory/lock", { trip_id: trip.id, seats: ["A1", "A2", "B1", "B2"], from: "DHK", to: "SYL" });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  const passengers = ["Rahima Akter", "Karim Uddin", "Sadia Islam", "Tania Rahman"].map((name, i) => ({ seat: hold.body.seats[i], name, gender: "female" }));
  const order = await buyer.request("POST", "/v1/orders", { hold_id: hold.body.hold_id, passengers, contact: { email: "rahima@example.com" } }, { "Idempotency-Key": "scan-order-1" });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const paid = await buyer.request("POST", "/v1/payments", {
    order_id: order.body.id, method: { type: "card", number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" },
  }, { "Idempotency-Key": "scan-pay-1" });
  assert.equal(paid.status, 201, JSON.stringify(paid.body));
  let tickets = [];
  for (let i = 0; i < 300 && tickets.length < 4; i++) {
    tickets = (await buyer.request("GET", `/v1/orders/${order.body.id}`)).body.tickets ?? [];
    if (tickets.length < 4) await new Promise((r) => setTimeout(r, 100));
  }
  const bySeat = Object.fromEntries(tickets.map((t) => [t.seat, t]));
  const qr = (await buyer.request("GET", `/v1/tickets/${bySeat.A1.id}`)).body.qr;

  const camera = join(travio.dataDir, "camera.y4m");
  fakeCamera(qr, camera);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${camera}`],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.grantPermissions(["camera"], { origin: travio.url });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(`${travio.url}/scan`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("boarding at dawn 2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(`button[data-trip="${trip.id}"]`).click();
    await page.locator('[data-count="expected"]').filter({ hasText: "4" }).waitFor();
    await screenshot(page, "9-scanner");

    // The camera reads the code of seat A1.
    await page.getByRole("button", { name: "Scan with the camera" }).click();
    await page.locator('.verdict[data-outcome="boarded"]').filter({ hasText: "Seat A1" }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Stop the camera" }).click();

    // A2 typed as people write it, then typed again.
    const number = page.getByLabel("Or type the ticket number");
    await number.fill(bySeat.A2.number.toLowerCase().replace("-", " "));
    await page.getByRole("button", { name: "Board", exact: true }).click();
    await page.locator('.verdict[data-outcome="boarded"]').filter({ hasText: "Seat A2" }).waitFor();
    await number.fill(bySeat.A2.number);
    await page.getByRole("button", { name: "Board", exact: true }).click();
    await page.locator('.verdict[data-outcome="already_boarded"]').filter({ hasText: "Seat A2" }).waitFor();
    const problems = await accessibilityProblems(page);
    assert.deepEqual(problems, []);
    await screenshot(page, "10-scanner-boarded");

    // No connection: B1 boards on the phone's word, waits, and syncs when the network returns.
    await context.setOffline(true);
    await number.fill(bySeat.B1.number);
    await page.getByRole("button", { name: "Board", exact: true }).click();
    await page.locator('.verdict[data-outcome="boarded"]').filter({ hasText: "Checked on this phone" }).waitFor();
    await page.locator('[data-count="pending"]').filter({ hasText: "1" }).waitFor();
    // A scan the server refuses outright (its trip is not this organization's) waits in the
    // queue before it: it is set aside, and the good one still syncs.
    await page.evaluate((orgId) => {
      const key = `travio.scan.queue.${orgId}`;
      const queue = JSON.parse(localStorage.getItem(key) || "[]");
      queue.unshift({ number: "ZZZZZ-ZZZZZ", trip_id: "01a2b3c4-0000-7000-8000-000000000001", scanned_at: new Date().toISOString(), device_id: "web-test" });
      localStorage.setItem(key, JSON.stringify(queue));
    }, org);
    await context.setOffline(false);
    await page.locator('[data-count="pending"]').filter({ hasText: "0" }).waitFor({ timeout: 20_000 });
    await page.getByText("1 scan could not be synced and was set aside").waitFor();

    const pack = await asOwner("GET", `/v1/operator/trips/${trip.id}/boarding-pack`);
    const status = Object.fromEntries(pack.body.tickets.map((t) => [t.seat, t.status]));
    assert.deepEqual(status, { A1: "boarded", A2: "boarded", B1: "boarded", B2: "issued" });
    assert.deepEqual(errors, []);

    // Signing out on a shared phone leaves no passenger list or scans behind.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Email").waitFor();
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("travio.scan.") && k !== "travio.scan.device"));
    assert.deepEqual(left, []);
  } finally {
    await browser.close();
  }

  // A printed code naming B2's ticket with a made-up signature, shown offline.
  const claims = Buffer.from(JSON.stringify({ tid: bySeat.B2.id, trip: trip.id, seat: "B2" }));
  const forged = `v4.public.${Buffer.concat([claims, Buffer.alloc(64, 7)]).toString("base64url")}`;
  const forgedCamera = join(travio.dataDir, "forged.y4m");
  fakeCamera(forged, forgedCamera);
  const second = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${forgedCamera}`],
  });
  try {
    for (const withoutWebCrypto of [false, true]) {
      const context = await second.newContext({ viewport: { width: 390, height: 844 } });
      await context.grantPermissions(["camera"], { origin: travio.url });
      // Plain http on a LAN has no WebCrypto: the scanner must not board on an unchecked code.
      if (withoutWebCrypto) await context.addInitScript(() => Object.defineProperty(crypto, "subtle", { value: undefined }));
      const page = await context.newPage();
      await page.goto(`${travio.url}/scan`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("boarding at dawn 2026");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator(`button[data-trip="${trip.id}"]`).click();
      await page.locator('[data-count="expected"]').filter({ hasText: "1" }).waitFor();
      // The decoder is loaded while online, so the camera reads codes offline.
      await page.locator('[data-decoder="ready"]').waitFor();
      await context.setOffline(true);
      await page.getByRole("button", { name: "Scan with the camera" }).click();
      const expected = withoutWebCrypto ? "unverified" : "invalid";
      await page.locator(`.verdict[data-outcome="${expected}"]`).waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('[data-count="pending"]').textContent(), "0");
      assert.equal(await page.locator('[data-count="expected"]').textContent(), "1");
      await context.close();
    }
  } finally {
    await second.close();
  }
  const after = await asOwner("GET", `/v1/operator/trips/${trip.id}/boarding-pack`);
  assert.equal(after.body.tickets.find((t) => t.seat === "B2").status, "issued");
});
