// Reads `docker-compose config` output (stdin) and prints, for each service running
// `travio serve --config FILE`: its name, FILE and its TRAVIO_* environment as NAME=VALUE
// words (tab-separated), for deploy/check.sh to give to `travio config print`.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const { services } = parse(readFileSync(0, "utf8"));
for (const [name, service] of Object.entries(services)) {
  const command = service.command ?? [];
  const at = command.indexOf("--config");
  if (command[0] !== "serve" || at < 0) continue;
  const environment = Object.entries(service.environment ?? {})
    .filter(([key]) => key.startsWith("TRAVIO_"))
    .map(([key, value]) => `${key}=${value}`);
  if (environment.some((word) => /\s/.test(word))) throw new Error(`${name}: space in a value`);
  console.log([name, command[at + 1], environment.join(" ")].join("\t"));
}
