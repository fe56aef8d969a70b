// Reads `docker-compose config` output (stdin) and fails (exit 1, one line per problem) when a
// travio service could reach more than its own secrets: each mounts the certificates of its own
// target only (`certs-<target>`), only the certs job mounts the CA's key (`ca`), and gateways
// trust X-Forwarded-For from single addresses (the load balancer), never from a network. Each
// serves its metrics on an admin listener no port publishes, and the load balancer
// (deploy/haproxy.cfg) normalizes paths before it refuses /metrics and drops the client's own
// trace context.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const { services } = parse(readFileSync(0, "utf8"));
const problems = [];
const sourceOf = (volume) => (typeof volume === "string" ? volume.split(":")[0] : volume.source);
for (const [name, service] of Object.entries(services)) {
  const volumes = (service.volumes ?? []).map(sourceOf);
  if (name !== "certs" && volumes.includes("ca")) problems.push(`${name} mounts the CA's key`);
  const command = service.command ?? [];
  const at = command.indexOf("--config");
  if (command[0] !== "serve" || at < 0) continue;
  const target = command[at + 1].split("/").pop().replace(/\.yaml$/, "");
  const certificates = volumes.filter((source) => source.startsWith("certs"));
  if (certificates.length !== 1 || certificates[0] !== `certs-${target}`) {
    problems.push(`${name} (${target}) mounts ${certificates.join(", ") || "no certificates"}`);
  }
  const admin = (service.environment ?? {}).TRAVIO_HTTP_ADMIN_ADDR;
  if (!admin) problems.push(`${name} serves /metrics on its public port (no TRAVIO_HTTP_ADMIN_ADDR)`);
  const adminPort = String(admin ?? "").split(":").pop();
  for (const port of service.ports ?? []) {
    const inside = String(typeof port === "object" ? port.target : port).split(":").pop();
    if (inside === adminPort) problems.push(`${name} publishes its admin port ${adminPort}`);
  }
  const proxies = (service.environment ?? {}).TRAVIO_HTTP_TRUSTED_PROXIES;
  if (proxies !== undefined && String(proxies).includes("/")) {
    problems.push(`${name} trusts X-Forwarded-For from a whole network: ${proxies}`);
  }
}
// The load balancer: rules in the frontend, in the order they must run.
const haproxy = readFileSync(new URL("../haproxy.cfg", import.meta.url), "utf8");
const frontend = (haproxy.split(/^frontend\b/m)[1] ?? "").split(/^\S/m)[0];
const rules = frontend.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("http-request"));
const at = (pattern) => rules.findIndex((rule) => pattern.test(rule));
const deny = at(/^http-request deny\b.*\/metrics/);
if (deny < 0) problems.push("haproxy.cfg: the frontend does not refuse /metrics");
for (const [pattern, what] of [
  [/normalize-uri path-merge-slashes/, "merge slashes (//metrics)"],
  [/normalize-uri percent-decode-unreserved/, "decode escapes (/%6Detrics)"],
  [/normalize-uri path-strip-dot\b/, "strip /./ (/./metrics)"],
]) {
  const found = at(pattern);
  if (found < 0 || (deny >= 0 && found > deny)) problems.push(`haproxy.cfg: does not ${what} before refusing /metrics`);
}
for (const header of ["traceparent", "tracestate", "X-Forwarded-For"]) {
  if (at(new RegExp(`^http-request del-header ${header}$`, "i")) < 0) {
    problems.push(`haproxy.cfg: the frontend passes the client's own ${header} on`);
  }
}
for (const problem of problems) console.log(problem);
process.exit(problems.length === 0 ? 0 : 1);
