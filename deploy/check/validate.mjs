// Validates Kubernetes manifests offline: reads a multi-document YAML stream (a file argument
// or stdin) and fails on the first pass with every problem found. Three layers:
//  1. each object against its kind's JSON schema (kubernetes-models: types, required fields,
//     enums, formats);
//  2. no field the API does not define (those schemas allow any extra field, so the field names
//     are read from the same package's type declarations): a misspelled field is an error, as
//     kubectl's strict validation would make it;
//  3. references inside the stream: named probe and Service ports exist on the containers,
//     Services, PodDisruptionBudgets and autoscalers find their workload, mounted ConfigMaps and
//     claims exist, and Secrets are among those named with --secrets a,b,c (made outside).
// Usage: node validate.mjs [--secrets name,...] [file.yaml]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
let secrets = new Set();
const secretsAt = args.indexOf("--secrets");
if (secretsAt >= 0) {
  secrets = new Set(args[secretsAt + 1].split(",").filter(Boolean));
  args.splice(secretsAt, 2);
}
const text = readFileSync(args[0] ?? 0, "utf8");
const problems = [];
const objects = [];
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length) problems.push(`YAML: ${doc.errors[0].message}`);
  const object = doc.toJS();
  if (object) objects.push(object);
}
const nameOf = (o) => `${o.kind ?? "?"}/${o.metadata?.name ?? "?"}`;

// --- 1. schema -----------------------------------------------------------------------------
function modelPath(object) {
  const [group, version] = object.apiVersion?.includes("/")
    ? object.apiVersion.split("/")
    : ["", object.apiVersion];
  return `kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`;
}
for (const object of objects) {
  let Model;
  try {
    Model = require(modelPath(object))[object.kind];
  } catch {
    problems.push(`${nameOf(object)}: unknown apiVersion/kind ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${nameOf(object)}: ${error.message}`);
  }
}

// --- 2. unknown fields ---------------------------------------------------------------------
// A type declaration file declares one interface: its properties and, for each, its type.
const declarations = new Map();
function declaration(file) {
  if (declarations.has(file)) return declarations.get(file);
  let source;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    problems.push(`validator: no type declarations at ${file}`);
    declarations.set(file, null);
    return null;
  }
  const imports = new Map();
  for (const [, name, from] of source.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    // Package exports name the .js files only; each has its .d.ts beside it.
    const base = from.startsWith(".")
      ? path.resolve(path.dirname(file), from)
      : require.resolve(from).replace(/\.js$/, "");
    imports.set(name, `${base}.d.ts`);
  }
  const body = source.match(/^export interface \w+ (extends TypeMeta )?\{\n([\s\S]*?)^\}/m);
  let fields = null;
  if (body) {
    // A kind's own interface extends TypeMeta: apiVersion and kind.
    fields = new Map(body[1] ? [["apiVersion", null], ["kind", null]] : []);
    for (const [, field, type] of body[2].matchAll(/^ {4}"([^"]+)"\??: (.*?);?$/gm)) {
      const element = type.match(/^(?:Array<)?(\w+)>?$/)?.[1];
      fields.set(field, imports.get(element) ?? null);
    }
  }
  declarations.set(file, fields);
  return fields;
}
function checkFields(value, file, where) {
  if (value === null || typeof value !== "object" || !file) return;
  const fields = declaration(file);
  if (!fields) return;  // a type alias (quantity, int-or-string, time): a leaf
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === null || typeof item !== "object") continue;
    for (const [key, child] of Object.entries(item)) {
      if (!fields.has(key)) {
        problems.push(`${where}: unknown field "${key}"`);
        continue;
      }
      checkFields(child, fields.get(key), `${where}.${key}`);
    }
  }
}
for (const object of objects) {
  let file;
  try {
    file = require.resolve(modelPath(object)).replace(/\.js$/, ".d.ts");
  } catch {
    continue;
  }
  checkFields(object, file, nameOf(object));
}

// --- 3. references -------------------------------------------------------------------------
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const names = (kind) => new Set(byKind(kind).map((o) => o.metadata?.name));
const workloads = byKind("Deployment").concat(byKind("StatefulSet"));
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const selected = (selector) =>
  workloads.filter((w) => matches(selector, w.spec?.template?.metadata?.labels));
const containerPorts = (w) =>
  (w.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);

const configMaps = names("ConfigMap");
const claims = names("PersistentVolumeClaim");
for (const w of workloads) {
  const pod = w.spec?.template?.spec ?? {};
  if (!matches(w.spec?.selector?.matchLabels, pod && w.spec?.template?.metadata?.labels)) {
    problems.push(`${nameOf(w)}: selector does not match the pod template's labels`);
  }
  for (const c of pod.containers ?? []) {
    const ports = new Set((c.ports ?? []).map((p) => p.name));
    for (const kind of ["readinessProbe", "livenessProbe", "startupProbe"]) {
      const probe = c[kind];
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
      if (typeof port === "string" && !ports.has(port)) {
        problems.push(`${nameOf(w)}: ${c.name}.${kind} port "${port}" is no container port name`);
      }
      if (typeof port === "number" && (port < 1 || port > 65535)) {
        problems.push(`${nameOf(w)}: ${c.name}.${kind} port ${port} out of range`);
      }
    }
    for (const source of c.envFrom ?? []) {
      if (source.configMapRef && !configMaps.has(source.configMapRef.name)) {
        problems.push(`${nameOf(w)}: envFrom ConfigMap ${source.configMapRef.name} not found`);
      }
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && !secrets.has(ref.name)) problems.push(`${nameOf(w)}: Secret ${ref.name} unknown`);
    }
    const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) problems.push(`${nameOf(w)}: volumeMount ${m.name} has no volume`);
    }
  }
  for (const v of pod.volumes ?? []) {
    if (v.configMap && !configMaps.has(v.configMap.name)) {
      problems.push(`${nameOf(w)}: volume ConfigMap ${v.configMap.name} not found`);
    }
    if (v.secret && !secrets.has(v.secret.secretName)) {
      problems.push(`${nameOf(w)}: volume Secret ${v.secret.secretName} unknown`);
    }
    if (v.persistentVolumeClaim && !claims.has(v.persistentVolumeClaim.claimName)) {
      problems.push(`${nameOf(w)}: claim ${v.persistentVolumeClaim.claimName} not found`);
    }
  }
}
for (const s of byKind("Service")) {
  const targets = selected(s.spec?.selector);
  if (targets.length === 0) problems.push(`${nameOf(s)}: selector matches no workload`);
  for (const p of s.spec?.ports ?? []) {
    if (typeof p.targetPort !== "string") continue;
    for (const w of targets) {
      if (!containerPorts(w).some((c) => c.name === p.targetPort)) {
        problems.push(`${nameOf(s)}: targetPort "${p.targetPort}" is no port of ${nameOf(w)}`);
      }
    }
  }
}
for (const b of byKind("PodDisruptionBudget")) {
  if (selected(b.spec?.selector?.matchLabels).length === 0) {
    problems.push(`${nameOf(b)}: selector matches no workload`);
  }
}
for (const h of byKind("HorizontalPodAutoscaler")) {
  const ref = h.spec?.scaleTargetRef ?? {};
  if (!workloads.some((w) => w.kind === ref.kind && w.metadata?.name === ref.name)) {
    problems.push(`${nameOf(h)}: scaleTargetRef ${ref.kind}/${ref.name} not found`);
  }
  if ((h.spec?.minReplicas ?? 1) > h.spec?.maxReplicas) {
    problems.push(`${nameOf(h)}: minReplicas above maxReplicas`);
  }
}

for (const p of problems) console.error(p);
console.log(`${objects.length} objects, ${problems.length} problems`);
process.exit(problems.length === 0 && objects.length > 0 ? 0 : 1);
