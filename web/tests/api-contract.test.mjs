// The web apps' API client against the server's own description of its API: every endpoint
// in web/src/shared/endpoints.ts exists in /openapi.json with that method, and every request
// field the apps send is one the request schema names. A renamed route or field fails here.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startTravio, webRoot } from "./harness.mjs";

let travio;
before(async () => (travio = await startTravio()));
after(async () => travio?.stop());

function declaredEndpoints() {
  const source = readFileSync(join(webRoot, "src", "shared", "endpoints.ts"), "utf8");
  const found = [];
  const pattern = /(\w+): \{ method: "(\w+)", path: "([^"]+)"(?:, sends: \[([^\]]*)\])? \}/g;
  for (const [, name, method, path, sends] of source.matchAll(pattern)) {
    found.push({ name, method, path, sends: sends ? [...sends.matchAll(/"(\w+)"/g)].map((m) => m[1]) : [] });
  }
  return found;
}

test("every endpoint the web apps call is in /openapi.json, with the fields they send", async () => {
  const endpoints = declaredEndpoints();
  assert.ok(endpoints.length >= 45, `read ${endpoints.length} endpoints from endpoints.ts`);
  const document = await (await fetch(`${travio.url}/openapi.json`)).json();
  for (const endpoint of endpoints) {
    const operation = document.paths[endpoint.path]?.[endpoint.method.toLowerCase()];
    assert.ok(operation, `${endpoint.name}: ${endpoint.method} ${endpoint.path} is not in /openapi.json`);
    if (endpoint.sends.length === 0) continue;
    const schema = operation.requestBody?.content?.["application/json"]?.schema;
    assert.ok(schema?.properties, `${endpoint.name}: no request schema with properties`);
    for (const field of endpoint.sends) {
      assert.ok(field in schema.properties, `${endpoint.name}: the request schema has no field ${field}`);
    }
  }
});

test("the apps' pages are served for their paths, and API paths stay API answers", async () => {
  for (const path of ["/", "/search?from=DHK", "/trips/x", "/checkout/x", "/orders", "/orders/x", "/signin", "/scan", "/swagger",
    "/console/", "/console/buses/x", "/console/invite?token=x"]) {
    const answer = await fetch(`${travio.url}${path}`);
    assert.equal(answer.status, 200, path);
    assert.match(answer.headers.get("Content-Type"), /^text\/html/, path);
    // Scripts from this origin only; WebAssembly may compile, JavaScript from strings may not.
    assert.match(answer.headers.get("Content-Security-Policy"), /script-src 'self' 'wasm-unsafe-eval';/, path);
    assert.match(await answer.text(), /<div id="app">|<main id="swagger">/, path);
  }
  const unknown = await fetch(`${travio.url}/v1/no-such-thing`);
  assert.equal(unknown.status, 404);
  assert.match(unknown.headers.get("Content-Type"), /problem\+json/);
  // The waiting room is the traveller app's page, served from memory under the same policy.
  const queue = await fetch(`${travio.url}/queue/demo-ticket-drop`);
  assert.equal(queue.status, 200);
  assert.match(queue.headers.get("Content-Security-Policy"), /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(await queue.text(), /<div id="app">/);
});
