// Reads `docker-compose config` output (stdin) and fails (exit 1, one line per problem) when a
// travio service could reach more than its own secrets: each mounts the certificates of its own
// target only (`certs-<target>`), only the certs job mounts the CA's key (`ca`), and gateways
// trust X-Forwarded-For from single addresses (the load balancer), never from a network.
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
  const proxies = (service.environment ?? {}).TRAVIO_HTTP_TRUSTED_PROXIES;
  if (proxies !== undefined && String(proxies).includes("/")) {
    problems.push(`${name} trusts X-Forwarded-For from a whole network: ${proxies}`);
  }
}
for (const problem of problems) console.log(problem);
process.exit(problems.length === 0 ? 0 : 1);
