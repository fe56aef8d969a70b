// Offline check of deploy/observability/: the Prometheus configs, the alerting rules and the
// Grafana dashboard. Fails (exit 1) listing every problem:
//  1. prometheus.yml scrapes exactly the travio services of deploy/compose.yaml, each on the
//     HTTP port of its config (configs/microservices/<target>.yaml http.addr, or TRAVIO_HTTP_ADDR),
//     labelled with its target and instance; prometheus-k8s.yml keeps the pods that
//     deploy/k8s/base labels app.kubernetes.io/name=travio on their port named "http";
//  2. alerts.yml is well formed (groups, unique alert names, severity, summary);
//  3. every PromQL expression (alerts.yml, and the dashboard's targets and variables) parses
//     with the official PromQL grammar (@prometheus-io/lezer-promql);
//  4. every metric an expression names is one the code registers: the names given to
//     Registry::AddCounter/AddGauge/AddHistogram/AddCallbackGauge under platform/ and services/
//     (tests left out; histograms as _bucket, _sum and _count), the process metrics the registry
//     always renders, and Prometheus's own `up`; label matchers and by/on clauses use labels the
//     metric has (or the scrape labels); rate(), irate() and increase() take counters only.
// Usage: node deploy/check/observability.mjs [--list]   (--list prints the metrics found in code)
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parser } from "@prometheus-io/lezer-promql";
import { parse, parseAllDocuments } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = "deploy/observability";
const read = (file) => readFileSync(path.join(root, file), "utf8");
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

// --- metrics registered by the code --------------------------------------------------------
// name -> {type, labels: Set | null (not readable), where: [file:line]}
const metrics = new Map();

function* sourceFiles(dirName) {
  for (const entry of readdirSync(path.join(root, dirName), { withFileTypes: true })) {
    const file = path.join(dirName, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(file);
    else if (/\.(cc|h|cpp|hpp)$/.test(entry.name) && !/_test\.(cc|cpp)$/.test(entry.name)) {
      yield file;
    }
  }
}

// The argument list of a call whose "(" is at text[open]: top-level arguments as source text.
function callArguments(text, open) {
  const args = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i) + 1;
    } else if ("({[".includes(c)) {
      depth++;
    } else if (")}]".includes(c)) {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return args.filter((a, n) => a !== "" || n > 0);
      }
    } else if (c === "," && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return null;
}

const stringLiterals = (source) =>
  [...source.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
const lineOf = (text, index) => text.slice(0, index).split("\n").length;

const sources = new Map();
for (const top of ["platform", "services"]) {
  for (const file of sourceFiles(top)) sources.set(file, read(file));
}

// A name passed as a constant (static constexpr char kState[] = "travio_...").
function resolveConstant(identifier, file) {
  const pattern = new RegExp(`\\b${identifier}\\b\\s*(?:\\[\\s*\\])?\\s*(?:=|\\{)\\s*"([^"]*)"`);
  for (const text of [sources.get(file), ...sources.values()]) {
    const found = pattern.exec(text);
    if (found) return found[1];
  }
  return null;
}

const kinds = {
  AddCounter: "counter",
  AddGauge: "gauge",
  AddHistogram: "histogram",
  AddCallbackGauge: "gauge",
};
for (const [file, text] of sources) {
  if (file === path.join("platform", "metrics", "registry.h")) continue;  // declarations
  for (const call of text.matchAll(/\b(AddCounter|AddGauge|AddHistogram|AddCallbackGauge)\s*\(/g)) {
    const where = `${file}:${lineOf(text, call.index)}`;
    const args = callArguments(text, call.index + call[0].length - 1);
    if (file === path.join("platform", "metrics", "registry.cc") && /std::string/.test(args?.[0])) {
      continue;  // the definitions
    }
    if (!args || args.length < 2) {
      problem(where, `cannot read the arguments of ${call[1]}`);
      continue;
    }
    let name;
    if (args[0].startsWith('"')) {
      name = stringLiterals(args[0]).join("");
    } else {
      const identifier = args[0].match(/([A-Za-z_]\w*)\W*$/)?.[1];
      name = identifier && resolveConstant(identifier, file);
    }
    if (!name || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) {
      problem(where, `cannot read the metric name of ${call[1]}(${args[0]}, ...); teach ` +
        "deploy/check/observability.mjs to read it");
      continue;
    }
    const type = kinds[call[1]];
    // Label names: the third argument, a braced list of string literals (none if absent).
    let labels = new Set();
    if (call[1] !== "AddCallbackGauge" && args.length > 2) {
      labels = /^\{[\s\S]*\}$/.test(args[2]) ? new Set(stringLiterals(args[2])) : null;
    }
    const known = metrics.get(name);
    if (known && known.type !== type) {
      problem(where, `${name} registered as ${type} here and as ${known.type} at ${known.where[0]}`);
    }
    if (known) {
      known.where.push(where);
      if (known.labels && labels) for (const label of labels) known.labels.add(label);
      else known.labels = null;
    } else {
      metrics.set(name, { type, labels, where: [where] });
    }
  }
}
// Process metrics: RenderProcessMetrics writes them with Header(out, "process_...", ...).
const registry = sources.get(path.join("platform", "metrics", "registry.cc"));
for (const header of registry.matchAll(/Header\(\s*out\s*,\s*"([a-z_:]+)"\s*,[^;]*?"(counter|gauge)"/g)) {
  metrics.set(header[1], { type: header[2], labels: new Set(), where: ["platform/metrics/registry.cc"] });
}
if (![...metrics.keys()].some((name) => name.startsWith("process_"))) {
  problem("platform/metrics/registry.cc", "found no process metrics (Header(out, \"process_...\"))");
}
// Series Prometheus adds to every scrape.
for (const name of ["up", "scrape_duration_seconds", "scrape_samples_scraped",
                    "scrape_samples_post_metric_relabeling", "scrape_series_added"]) {
  metrics.set(name, { type: "gauge", labels: new Set(), where: ["Prometheus"] });
}
// What a query may name: histograms as their three series.
const series = new Map();
for (const [name, metric] of metrics) {
  if (metric.type !== "histogram") {
    series.set(name, metric);
    continue;
  }
  const withLe = metric.labels && new Set([...metric.labels, "le"]);
  series.set(`${name}_bucket`, { ...metric, type: "counter", labels: withLe });
  series.set(`${name}_sum`, { ...metric, type: "counter" });
  series.set(`${name}_count`, { ...metric, type: "counter" });
}

if (process.argv.includes("--list")) {
  for (const [name, metric] of [...metrics].sort()) {
    const labels = metric.labels ? [...metric.labels].join(",") : "?";
    console.log(`${name}\t${metric.type}\t{${labels}}\t${metric.where.join(" ")}`);
  }
  process.exit(0);
}

// --- 1. scrape configs ---------------------------------------------------------------------
function loadYaml(file) {
  try {
    return parse(read(file), { merge: true });
  } catch (error) {
    problem(file, `YAML: ${error.message.split("\n")[0]}`);
    return null;
  }
}
const scrapeLabels = new Set(["job", "instance"]);

function travioJob(file, config) {
  if (!config) return null;
  if (!(config.rule_files ?? []).includes("alerts.yml")) problem(file, "rule_files lacks alerts.yml");
  const job = (config.scrape_configs ?? []).find((c) => c.job_name === "travio");
  if (!job) problem(file, 'no scrape config with job_name "travio" (the rules and dashboard select job="travio")');
  else if ((job.metrics_path ?? "/metrics") !== "/metrics") problem(file, "metrics_path is not /metrics");
  for (const c of job ? [job] : []) {
    for (const s of c.static_configs ?? []) for (const l of Object.keys(s.labels ?? {})) scrapeLabels.add(l);
    for (const r of c.relabel_configs ?? []) {
      if (r.target_label && !r.target_label.startsWith("__")) scrapeLabels.add(r.target_label);
    }
  }
  return job;
}

// compose: each `travio serve --config /etc/travio/microservices/<t>.yaml` service.
const promFile = `${dir}/prometheus.yml`;
const composeJob = travioJob(promFile, loadYaml(promFile));
const compose = loadYaml("deploy/compose.yaml");
if (composeJob && compose) {
  const want = new Map();  // "host:port" -> {target, instance}
  for (const [service, spec] of Object.entries(compose.services ?? {})) {
    const command = spec.command ?? [];
    const at = command.indexOf("--config");
    if (command[0] !== "serve" || at < 0) continue;
    const config = command[at + 1].match(/microservices\/([\w-]+)\.yaml$/);
    if (!config) {
      problem("deploy/compose.yaml", `${service}: config ${command[at + 1]} not under microservices/`);
      continue;
    }
    const overlay = loadYaml(`configs/microservices/${config[1]}.yaml`);
    // Metrics are on the admin listener when the service has one.
    const addr = spec.environment?.TRAVIO_HTTP_ADMIN_ADDR ?? overlay?.http?.admin_addr ??
      spec.environment?.TRAVIO_HTTP_ADDR ?? overlay?.http?.addr;
    const port = String(addr ?? "").split(":").pop();
    if (!/^\d+$/.test(port)) {
      problem("deploy/compose.yaml", `${service}: no HTTP port in ${config[1]}.yaml http.addr`);
      continue;
    }
    want.set(`${service}:${port}`, { target: overlay?.target ?? config[1], instance: service });
  }
  const have = new Map();
  for (const group of composeJob.static_configs ?? []) {
    for (const address of group.targets ?? []) have.set(address, group.labels ?? {});
  }
  for (const [address, labels] of want) {
    const got = have.get(address);
    if (!got) {
      problem(promFile, `compose service ${labels.instance} (${address}) is not scraped`);
    } else if (got.target !== labels.target || got.instance !== labels.instance) {
      problem(promFile, `${address}: labels ${JSON.stringify(got)}, want target ${labels.target}, instance ${labels.instance}`);
    }
  }
  for (const address of have.keys()) {
    if (!want.has(address)) problem(promFile, `${address}: no such travio service or port in deploy/compose.yaml`);
  }
}

// Kubernetes: the pods of deploy/k8s/base must pass the relabelling's keep rules.
const k8sFile = `${dir}/prometheus-k8s.yml`;
const k8sJob = travioJob(k8sFile, loadYaml(k8sFile));
if (k8sJob) {
  const role = k8sJob.kubernetes_sd_configs?.[0]?.role;
  if (role !== "pod") problem(k8sFile, `kubernetes_sd_configs role is ${role}, want pod`);
  const keep = (source) => (k8sJob.relabel_configs ?? []).find(
    (r) => r.action === "keep" && r.source_labels?.length === 1 && r.source_labels[0] === source);
  const nameKeep = keep("__meta_kubernetes_pod_label_app_kubernetes_io_name");
  const portKeep = keep("__meta_kubernetes_pod_container_port_name");
  if (!nameKeep || !portKeep) problem(k8sFile, "no keep rules on the app.kubernetes.io/name label and the port name");
  const targetRule = (k8sJob.relabel_configs ?? []).find((r) => r.target_label === "target");
  if (targetRule?.source_labels?.[0] !== "__meta_kubernetes_pod_label_app_kubernetes_io_component") {
    problem(k8sFile, "the target label does not come from app.kubernetes.io/component");
  }
  const base = "deploy/k8s/base";
  for (const entry of readdirSync(path.join(root, base)).filter((f) => f.endsWith(".yaml"))) {
    for (const doc of parseAllDocuments(read(`${base}/${entry}`))) {
      const object = doc.toJS();
      if (object?.kind !== "Deployment") continue;
      const labels = object.spec?.template?.metadata?.labels ?? {};
      const ports = (object.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
      const where = `${base}/${entry} Deployment/${object.metadata?.name}`;
      const full = (regex) => new RegExp(`^(?:${regex ?? "(.*)"})$`);
      if (nameKeep && !full(nameKeep.regex).test(labels["app.kubernetes.io/name"] ?? "")) {
        problem(where, "pods not kept by prometheus-k8s.yml (app.kubernetes.io/name)");
      }
      if (portKeep && !ports.some((p) => full(portKeep.regex).test(p.name ?? ""))) {
        problem(where, `no container port prometheus-k8s.yml keeps (named ${portKeep.regex})`);
      }
      if (!labels["app.kubernetes.io/component"]) problem(where, "no app.kubernetes.io/component label for target");
    }
  }
}

// --- 2-4. PromQL ---------------------------------------------------------------------------
const rateFunctions = new Set(["rate", "irate", "increase"]);

function checkExpression(where, expression) {
  const tree = parser.parse(expression);
  const errors = [];
  const selectors = [];  // {name, labels, rateOf}
  const grouping = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(node.from);
        return;
      }
      if (node.name === "VectorSelector") {
        const selector = { name: null, labels: [], rateOf: null, at: node.from };
        const identifier = node.node.getChild("Identifier");
        if (identifier) selector.name = expression.slice(identifier.from, identifier.to);
        const matchers = node.node.getChild("LabelMatchers");
        for (let m = matchers?.firstChild; m; m = m.nextSibling) {
          const label = m.getChild("LabelName");
          if (!label) continue;
          const labelName = expression.slice(label.from, label.to);
          if (labelName === "__name__") {
            const value = m.getChild("StringLiteral");
            const op = m.getChild("MatchOp")?.firstChild?.name;
            if (value && op === "EqlSingle") selector.name = JSON.parse(expression.slice(value.from, value.to).replace(/^'|'$/g, '"'));
          } else {
            selector.labels.push(labelName);
          }
        }
        // rate(x[5m]): VectorSelector < MatrixSelector < FunctionCallBody < FunctionCall.
        const call = node.node.parent?.name === "MatrixSelector" ? node.node.parent.parent?.parent : null;
        if (call?.name === "FunctionCall") {
          const fn = call.getChild("FunctionIdentifier");
          if (fn) selector.rateOf = expression.slice(fn.from, fn.to);
        }
        selectors.push(selector);
      } else if (node.name === "GroupingLabels") {
        for (let l = node.node.firstChild; l; l = l.nextSibling) {
          if (l.name === "LabelName") grouping.push(expression.slice(l.from, l.to));
        }
      }
    },
  });
  if (errors.length) {
    const at = errors[0];
    const excerpt = (from, to) => expression.slice(from, to).replace(/\s+/g, " ");
    problem(where, `PromQL syntax error at offset ${at}: …${excerpt(Math.max(0, at - 30), at)}⟨here⟩${excerpt(at, at + 15)}…`);
    return;
  }
  const inExpression = new Set(scrapeLabels);
  for (const selector of selectors) {
    if (!selector.name) {
      problem(where, "a selector without a metric name");
      continue;
    }
    const metric = series.get(selector.name);
    if (!metric) {
      problem(where, `metric ${selector.name} is not registered by the code`);
      continue;
    }
    if (!metric.labels) continue;  // labels not readable from the source
    for (const label of metric.labels) inExpression.add(label);
    for (const label of selector.labels) {
      if (!metric.labels.has(label) && !scrapeLabels.has(label)) {
        problem(where, `${selector.name} has no label ${label} (it has: ${[...metric.labels, ...scrapeLabels].join(", ")})`);
      }
    }
    if (selector.rateOf && rateFunctions.has(selector.rateOf) && metric.type !== "counter") {
      problem(where, `${selector.rateOf}() of ${selector.name}, a ${metric.type}; use it on counters only`);
    }
  }
  if (selectors.every((s) => series.get(s.name)?.labels)) {
    for (const label of grouping) {
      if (!inExpression.has(label)) problem(where, `groups by ${label}, which no metric here has`);
    }
  }
}

// alerts.yml
const alertsFile = `${dir}/alerts.yml`;
const alerts = loadYaml(alertsFile);
let ruleCount = 0;
if (alerts) {
  if (!Array.isArray(alerts.groups) || alerts.groups.length === 0) problem(alertsFile, "no groups");
  const names = new Set();
  for (const group of alerts.groups ?? []) {
    if (!group.name) problem(alertsFile, "a group without a name");
    for (const rule of group.rules ?? []) {
      ruleCount++;
      const where = `${alertsFile} ${rule.alert ?? rule.record ?? "?"}`;
      if (!rule.alert && !rule.record) problem(where, "a rule with neither alert nor record");
      if (rule.alert) {
        if (names.has(rule.alert)) problem(where, "alert name used twice");
        names.add(rule.alert);
        if (!["page", "warning"].includes(rule.labels?.severity)) problem(where, "severity is not page or warning");
        if (!rule.annotations?.summary) problem(where, "no summary annotation");
      }
      if (rule.for !== undefined && !/^(\d+(ms|s|m|h|d|w|y))+$/.test(String(rule.for))) {
        problem(where, `for: ${rule.for} is not a duration`);
      }
      if (typeof rule.expr !== "string" || !rule.expr.trim()) problem(where, "no expr");
      else checkExpression(where, rule.expr);
    }
  }
}

// grafana-dashboard.json
const dashboardFile = `${dir}/grafana-dashboard.json`;
let dashboard = null;
let queryCount = 0;
try {
  dashboard = JSON.parse(read(dashboardFile));
} catch (error) {
  problem(dashboardFile, `JSON: ${error.message}`);
}
// Grafana's interval variables stand for durations; other variables appear only in strings.
const grafanaVariables = (expression) =>
  expression.replace(/\$\{?__(rate_interval|interval|range)(_ms|_s)?\}?/g, "5m");
if (dashboard) {
  if (!(dashboard.schemaVersion >= 36)) problem(dashboardFile, `schemaVersion ${dashboard.schemaVersion}`);
  const variables = dashboard.templating?.list ?? [];
  if (!variables.some((v) => v.name === "DS_PROMETHEUS" && v.type === "datasource" && v.query === "prometheus")) {
    problem(dashboardFile, "no datasource variable DS_PROMETHEUS of type prometheus");
  }
  const usesVariable = (ds) => ds?.uid === "${DS_PROMETHEUS}";
  for (const variable of variables.filter((v) => v.type === "query")) {
    const where = `${dashboardFile} variable ${variable.name}`;
    if (!usesVariable(variable.datasource)) problem(where, "datasource is not ${DS_PROMETHEUS}");
    const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
    const inner = query?.match(/^label_values\(\s*(.*),\s*([a-zA-Z_]\w*)\s*\)$/s);
    if (!inner) {
      problem(where, `unexpected query ${query}`);
      continue;
    }
    queryCount++;
    checkExpression(where, grafanaVariables(inner[1]));
    const metric = series.get(inner[1].match(/^[a-zA-Z_:][\w:]*/)?.[0]);
    if (metric?.labels && !metric.labels.has(inner[2]) && !scrapeLabels.has(inner[2])) {
      problem(where, `label_values of ${inner[2]}, which the metric does not have`);
    }
  }
  const ids = new Set();
  const panels = (list) => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
  for (const panel of panels(dashboard.panels ?? [])) {
    const where = `${dashboardFile} panel "${panel.title}"`;
    if (ids.has(panel.id)) problem(where, `panel id ${panel.id} used twice`);
    ids.add(panel.id);
    if (panel.type === "row") continue;
    if (!usesVariable(panel.datasource)) problem(where, "datasource is not ${DS_PROMETHEUS}");
    if (!(panel.targets ?? []).length) problem(where, "no targets");
    for (const target of panel.targets ?? []) {
      if (!usesVariable(target.datasource ?? panel.datasource)) problem(where, "target datasource is not ${DS_PROMETHEUS}");
      queryCount++;
      checkExpression(`${where} ${target.refId}`, grafanaVariables(target.expr ?? ""));
    }
  }
}

if (problems.length) {
  for (const p of problems) console.error(`observability: ${p}`);
  process.exit(1);
}
console.log(`observability: ${metrics.size} metrics known (code, process, Prometheus); ` +
  `${ruleCount} rules and ${queryCount} dashboard queries use only those; scrape configs match compose and k8s`);
