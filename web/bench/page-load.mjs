// Page-load timing of the traveller app as Lighthouse measures a phone: Debian's Chromium
// with the network at "Slow 4G" (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up) and the
// CPU slowed four times, a cold cache on every run, against the monolith with the demo data.
// Each figure is the median of RUNS loads; the reference is a bare HTML page (one line, no
// script) served by the same gateway under the same conditions, so the ratios say what the app
// adds to what the network costs anyway. "ready" is when the page's main element is visible
// to the test (the search form, the first result, seat A1), as a traveller would act on it.
//
//   node bench/page-load.mjs            (needs build/bin/travio and web/dist)

import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dhakaDate, launchBrowser, startTravio, webRoot } from "../tests/harness.mjs";

const RUNS = Number(process.env.RUNS || 7);
const travio = await startTravio();
const browser = await launchBrowser();

// The reference page, beside the app's files.
writeFileSync(join(webRoot, "dist", "bench-reference.html"), "<!doctype html><title>ref</title><p>Travio</p>");

async function measure(path, readySelector) {
  const samples = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    let bytes = 0;
    cdp.on("Network.loadingFinished", (event) => (bytes += event.encodedDataLength));
    const started = Date.now();
    await page.goto(`${travio.url}${path}`, { waitUntil: "load" });
    await page.locator(readySelector).first().waitFor({ timeout: 60_000 });
    const ready = Date.now() - started;
    const paint = await page.evaluate(
      () =>
        new Promise((done) => {
          const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
          let lcp = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) lcp = Math.max(lcp, entry.startTime);
          }).observe({ type: "largest-contentful-paint", buffered: true });
          const nav = performance.getEntriesByType("navigation")[0];
          setTimeout(() => done({ fcp, lcp, load: nav.loadEventEnd }), 100);
        }),
    );
    samples.push({ ...paint, ready, bytes });
    await context.close();
  }
  const median = (key) => {
    const values = samples.map((s) => s[key]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  };
  return { fcp: median("fcp"), lcp: median("lcp"), load: median("load"), ready: median("ready"), bytes: median("bytes") };
}

const search = await fetch(`${travio.url}/v1/search?from=DHK&to=CXB&date=${dhakaDate(3)}`).then((r) => r.json());
const trip = search.items[0].trip_id;
const pages = [
  ["reference (bare HTML)", "/bench-reference.html", "p"],
  ["search form", "/", "form.search-form"],
  ["search results", `/search?from=DHK&to=CXB&date=${dhakaDate(3)}&passengers=1`, "li.trip"],
  ["seat map", `/trips/${trip}?from=DHK&to=CXB&date=${dhakaDate(3)}&passengers=1`, 'button[data-seat="A1"]'],
];
const results = [];
for (const [name, path, selector] of pages) results.push([name, await measure(path, selector)]);
const reference = results[0][1];
console.log(`runs per page: ${RUNS}; Slow 4G (150 ms RTT, 1.6 Mbit/s), CPU x4; medians in ms`);
console.log("page | FCP | LCP | load | ready | bytes | LCP ÷ reference | ready ÷ reference");
for (const [name, r] of results) {
  console.log(
    `${name} | ${Math.round(r.fcp)} | ${Math.round(r.lcp)} | ${Math.round(r.load)} | ${r.ready} | ${r.bytes} | ` +
      `${(r.lcp / reference.lcp).toFixed(2)} | ${(r.ready / reference.ready).toFixed(2)}`,
  );
}
rmSync(join(webRoot, "dist", "bench-reference.html"), { force: true });
await browser.close();
await travio.stop();
