#!/usr/bin/env node
// Offline validation of the Kubernetes manifests in k8s/, as written and as kustomize renders them.
//
//   node validate-k8s.mjs [--self-test] [--dir <manifest folder>]
//
// 1. Every document of every k8s/*.yaml and k8s/base/*.yaml (templates and *.optional.yaml included) is parsed as YAML
//    1.1, as kubectl reads it (duplicate keys and syntax errors fail), validated against the
//    Kubernetes OpenAPI schema of its apiVersion/kind (npm kubernetes-models, the Kubernetes 1.33
//    API; the ServiceMonitor custom resource field by field here), and checked for unknown fields
//    (the schemas allow them, the API server's strict field validation does not).
// 2. k8s/kustomization.yaml (the base in k8s/base/) and every k8s/overlays/NAME/kustomization.yaml
//    are rendered offline by the subset of kustomize implemented below (resources, namespace,
//    images, patches: strategic merge or JSON 6902, inline or from a file, with a kind/name target;
//    any other kustomize field fails the check instead of being silently ignored), and every
//    rendered set is checked again, with the Secret templates standing in for the cluster's
//    Secrets. Where kubectl is installed, `kubectl kustomize` (offline too) renders each set as well
//    and must agree with ours field for field; without it that comparison is skipped with a note.
// 3. Our rules, on every set: every container (init containers and Jobs included) has CPU and
//    memory requests and limits and a hardened securityContext (non-root, read-only root with /tmp
//    mounted, no privilege escalation, all capabilities dropped, seccomp); long-running containers
//    have startup, readiness and liveness probes; terminationGracePeriodSeconds covers preStop +
//    20 s of draining + 5 s; a Deployment of several replicas spreads over nodes and zones; every
//    workload is under NetworkPolicies that deny by default in both directions, ingress only from
//    named namespaces and pods on named ports, egress only on DNS/MySQL/SMTP/HTTPS ports and never
//    to the whole internet without excepting private ranges and the metadata service; the PDB
//    selects the Deployment and does not block every drain; the HPA's target exists, its replicas
//    lie within min..max and every container has the request it scales on; a Job runs the
//    Deployment's own image and tag with the Deployment's Secrets and ConfigMap; every Secret and
//    ConfigMap referred to exists (Secrets as *.template.yaml with REPLACE_ME placeholders only)
//    with every key taken from it; every env var and envFrom ConfigMap key is a setting the
//    application reads (application.yml, logback.xml, the Java code), so a typo fails; the
//    ServiceMonitor selects the Service and names one of its ports; the base kustomization lists
//    every manifest except *.template.yaml and *.optional.yaml.
//
// Prints one line per valid object and rendered set; on any problem prints `FAIL ...` lines and
// exits 1. --self-test first checks a small valid tree (base and overlay), that its overlay renders
// as kustomize would, and that every one of many deliberately broken copies is rejected for the
// expected reason (proof that the checks bite), and exits 1 otherwise.

import { readFileSync, readdirSync, existsSync, statSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Schemas: the validate() of kubernetes-models, and the field names from its type declarations.

const K8S_MODELS_ROOT = path.dirname(require.resolve('kubernetes-models'));
const APIMACHINERY_ROOT = path.dirname(
  createRequire(path.join(K8S_MODELS_ROOT, 'index.js')).resolve('@kubernetes-models/apimachinery'),
);

function modelFile(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return null;
  // Only names that can be a Kubernetes group/version and kind reach require().
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) return null;
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return null;
  const file = path.join(K8S_MODELS_ROOT, ...apiVersion.split('/'), `${kind}.js`);
  return existsSync(file) ? file : null;
}

/** The type declarations, read once: alias (IIoK8s...) -> { field name -> type text }. */
let typeIndex = null;
const aliasOfFile = new Map();

function loadTypeIndex() {
  if (typeIndex) return typeIndex;
  typeIndex = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '_schemas' && entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.d.ts')) {
        indexDeclarations(full);
      }
    }
  };
  walk(K8S_MODELS_ROOT);
  walk(APIMACHINERY_ROOT);
  return typeIndex;
}

function indexDeclarations(file) {
  const text = readFileSync(file, 'utf8');
  const cls = /export declare class (\w+) extends Model<I\w+> implements I\w+ \{\n([\s\S]*?)\n\s*constructor\(/.exec(text);
  const alias = /export \{ I\w+ as (IIoK8s\w+),/.exec(text);
  if (!cls || !alias) return;
  const fields = new Map();
  const lines = cls[2].split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*"([^"]+)"\??: (.*)$/.exec(lines[i]);
    if (!m) continue;
    let type = m[2];
    if (type.endsWith('{')) {
      // A map type spread over lines: {\n [key: string]: T;\n };
      while (i + 1 < lines.length && !/^\s*\};?$/.test(lines[i])) type += ' ' + lines[++i].trim();
    }
    fields.set(m[1], type.replace(/;$/, '').trim());
  }
  // Free-form types (RawExtension, FieldsV1, apiextensions JSON) declare no fields: leaving them out
  // of the index leaves their contents unchecked, as the API server does.
  if (fields.size === 0) return;
  typeIndex.set(alias[1], fields);
  aliasOfFile.set(file.replace(/\.d\.ts$/, '.js'), alias[1]);
}

function describeType(type) {
  type = type.trim();
  let m = /^Array<(.+)>$/.exec(type);
  if (m) return { array: describeType(m[1]) };
  m = /^\{\s*\[key: string\]: (.+?);?\s*\}$/.exec(type);
  if (m) return { map: describeType(m[1]) };
  if (/^IIoK8s\w+$/.test(type) && loadTypeIndex().has(type)) return { object: type };
  return null; // a primitive, a union or a free-form value: nothing more to check
}

function closest(name, candidates) {
  const distance = (a, b) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  let best = null;
  for (const c of candidates) {
    const dist = distance(name.toLowerCase(), c.toLowerCase());
    if (dist <= Math.max(1, Math.floor(name.length / 3)) && (!best || dist < best.dist)) best = { c, dist };
  }
  return best ? ` (did you mean "${best.c}"?)` : '';
}

function unknownFields(value, desc, pointer, problems) {
  if (!desc || value === null || typeof value !== 'object') return;
  if (desc.array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, desc.array, `${pointer}/${i}`, problems));
  } else if (desc.map) {
    if (!Array.isArray(value)) for (const [k, v] of Object.entries(value)) unknownFields(v, desc.map, `${pointer}/${k}`, problems);
  } else if (desc.object && !Array.isArray(value)) {
    const fields = typeIndex.get(desc.object);
    for (const [k, v] of Object.entries(value)) {
      if (!fields.has(k)) problems.push(`${pointer}/${k}: unknown field "${k}"${closest(k, fields.keys())}`);
      else unknownFields(v, describeType(fields.get(k)), `${pointer}/${k}`, problems);
    }
  }
}

function schemaProblems(obj) {
  const file = modelFile(obj.apiVersion, obj.kind);
  if (!file) return [`unknown apiVersion/kind "${obj.apiVersion}" "${obj.kind}" (not in the Kubernetes API schemas)`];
  const mod = require(file);
  const Model = mod[obj.kind];
  const problems = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    if (Array.isArray(e.errors)) {
      for (const err of e.errors) {
        const allowed = err.params?.allowedValues ? ` (${err.params.allowedValues.join(', ')})` : '';
        problems.push(`${err.instancePath || '/'}: ${err.message}${allowed}`);
      }
    } else {
      problems.push(String(e.message || e));
    }
  }
  loadTypeIndex();
  const alias = aliasOfFile.get(file);
  if (!alias) problems.push(`no type declarations found for ${obj.kind}: cannot check for unknown fields`);
  else unknownFields(obj, { object: alias }, '', problems);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Custom resources the Kubernetes schemas do not know: checked by hand, field by field.

const SERVICE_MONITOR_FIELDS = {
  spec: new Set(['selector', 'endpoints', 'namespaceSelector', 'jobLabel', 'podTargetLabels', 'targetLabels', 'sampleLimit']),
  endpoint: new Set(['port', 'targetPort', 'path', 'scheme', 'interval', 'scrapeTimeout', 'honorLabels', 'honorTimestamps', 'params', 'relabelings', 'metricRelabelings', 'tlsConfig', 'bearerTokenSecret', 'basicAuth', 'authorization', 'followRedirects', 'enableHttp2']),
};

function customResourceProblems(obj) {
  if (obj.apiVersion !== 'monitoring.coreos.com/v1' || obj.kind !== 'ServiceMonitor') return null;
  const problems = [];
  const spec = obj.spec;
  if (!spec || typeof spec !== 'object') return ['/spec: must be an object'];
  for (const k of Object.keys(spec)) if (!SERVICE_MONITOR_FIELDS.spec.has(k)) problems.push(`/spec/${k}: unknown field "${k}"${closest(k, SERVICE_MONITOR_FIELDS.spec)}`);
  if (!spec.selector?.matchLabels || !Object.keys(spec.selector.matchLabels).length) problems.push('/spec/selector/matchLabels: must select the Service by its labels');
  if (!Array.isArray(spec.endpoints) || !spec.endpoints.length) problems.push('/spec/endpoints: must list at least one endpoint');
  (spec.endpoints || []).forEach((e, i) => {
    for (const k of Object.keys(e || {})) if (!SERVICE_MONITOR_FIELDS.endpoint.has(k)) problems.push(`/spec/endpoints/${i}/${k}: unknown field "${k}"${closest(k, SERVICE_MONITOR_FIELDS.endpoint)}`);
    if (typeof e?.port !== 'string') problems.push(`/spec/endpoints/${i}/port: must be the NAME of a Service port`);
    if (typeof e?.path !== 'string' || !e.path.startsWith('/')) problems.push(`/spec/endpoints/${i}/path: must be an absolute path`);
    for (const d of ['interval', 'scrapeTimeout']) if (e?.[d] !== undefined && !/^(\d+(ms|s|m|h))+$/.test(e[d])) problems.push(`/spec/endpoints/${i}/${d}: must be a duration (30s)`);
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Settings the application reads: a ConfigMap key or env var it does not know is a typo.

let knownSettingsCache = null;

/** Environment variable names the service reads: application.yml placeholders and property paths, logback.xml, the Java code's ${...} placeholders and System.getenv. */
function knownSettings() {
  if (knownSettingsCache) return knownSettingsCache;
  const root = path.resolve(here, '..');
  const known = new Set(['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', 'TZ', 'MALLOC_ARENA_MAX']);
  const read = (p) => (existsSync(path.join(root, p)) ? readFileSync(path.join(root, p), 'utf8') : '');
  const yml = read('src/main/resources/application.yml');
  const logback = read('src/main/resources/logback.xml');
  for (const m of `${yml}\n${logback}`.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)) known.add(m[1]);
  // Micronaut also maps FOO_BAR_BAZ to the property foo.bar.baz (and foo.bar-baz).
  const stack = [];
  for (const line of yml.split('\n')) {
    const m = /^(\s*)([A-Za-z0-9-]+):/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const depth = m[1].length / 2;
    stack.length = depth;
    stack[depth] = m[2];
    known.add(stack.join('_').replace(/[-.]/g, '_').toUpperCase());
  }
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.java')) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(/getenv\("([A-Z][A-Z0-9_]*)"\)/g)) known.add(m[1]);
        // @Value("${portal.audit.checkpoint-interval:10m}") and the like, read as PORTAL_AUDIT_...
        for (const m of text.matchAll(/\$\{([A-Za-z][A-Za-z0-9._-]*)/g)) known.add(m[1].replace(/[-.]/g, '_').toUpperCase());
      }
    }
  };
  walk(path.join(root, 'src/main/java'));
  knownSettingsCache = known;
  return known;
}

// ---------------------------------------------------------------------------------------------
// Our rules for workloads.

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod']);

function podTemplate(obj) {
  const s = obj.spec || {};
  switch (obj.kind) {
    case 'Pod':
      return { spec: s, labels: obj.metadata?.labels || {} };
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return { spec: s.template?.spec || {}, labels: s.template?.metadata?.labels || {} };
    case 'CronJob':
      return { spec: s.jobTemplate?.spec?.template?.spec || {}, labels: s.jobTemplate?.spec?.template?.metadata?.labels || {} };
    default:
      return null;
  }
}

const containersOf = (pod) => [...(pod.initContainers || []), ...(pod.containers || [])];

// Graceful shutdown: after the preStop hook, in-flight requests get up to 20 s, then ~5 s to close.
const DRAIN_SECONDS = 20;
const CLOSE_SECONDS = 5;

function workloadProblems(obj) {
  const tpl = podTemplate(obj);
  if (!tpl) return [];
  const problems = [];
  const pod = tpl.spec;
  const podSec = pod.securityContext || {};
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[flag] === true) problems.push(`pod: ${flag} must not be true`);
  const volumes = new Set((pod.volumes || []).map((v) => v.name));
  const all = [
    ...(pod.initContainers || []).map((c) => ({ c, init: true })),
    ...(pod.containers || []).map((c) => ({ c, init: false })),
  ];
  if (!(pod.containers || []).length) problems.push('pod: no containers');
  const known = knownSettings();
  for (const { c, init } of all) {
    const where = `container "${c.name}"`;
    const sec = c.securityContext || {};
    const res = c.resources || {};
    for (const kind of ['limits', 'requests'])
      for (const r of ['cpu', 'memory'])
        if (res[kind]?.[r] === undefined) problems.push(`${where}: no resources.${kind}.${r}`);
    // Sidecars (init containers with restartPolicy Always) run for the pod's life and need probes too.
    const needsProbes = LONG_RUNNING.has(obj.kind) && (!init || c.restartPolicy === 'Always');
    if (needsProbes) {
      if (!c.readinessProbe) problems.push(`${where}: no readinessProbe`);
      if (!c.livenessProbe) problems.push(`${where}: no livenessProbe`);
      if (!c.startupProbe) problems.push(`${where}: no startupProbe (liveness would kill a slow start)`);
    }
    const runAsNonRoot = sec.runAsNonRoot ?? podSec.runAsNonRoot;
    if (runAsNonRoot !== true) problems.push(`${where}: securityContext.runAsNonRoot must be true (container or pod)`);
    const runAsUser = sec.runAsUser ?? podSec.runAsUser;
    if (runAsUser === 0) problems.push(`${where}: runAsUser must not be 0 (root)`);
    if (sec.readOnlyRootFilesystem !== true) problems.push(`${where}: securityContext.readOnlyRootFilesystem must be true`);
    if (sec.allowPrivilegeEscalation !== false) problems.push(`${where}: securityContext.allowPrivilegeEscalation must be false`);
    if (sec.privileged === true) problems.push(`${where}: securityContext.privileged must not be true`);
    if (!(sec.capabilities?.drop || []).includes('ALL')) problems.push(`${where}: securityContext.capabilities.drop must include ALL`);
    if ((sec.capabilities?.add || []).length) problems.push(`${where}: securityContext.capabilities.add must be empty`);
    const seccomp = (sec.seccompProfile ?? podSec.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where}: seccompProfile.type must be RuntimeDefault or Localhost (container or pod)`);
    if (typeof c.image === 'string' && (!/[:@]/.test(c.image.split('/').pop()) || c.image.endsWith(':latest')))
      problems.push(`${where}: image "${c.image}" needs a fixed tag or digest, not latest`);
    // A read-only root needs somewhere to write: java.io.tmpdir.
    if (sec.readOnlyRootFilesystem === true && !(c.volumeMounts || []).some((m) => m.mountPath === '/tmp'))
      problems.push(`${where}: read-only root file system but no volume mounted at /tmp (java.io.tmpdir)`);
    const ports = new Set((c.ports || []).map((p) => p.name).filter(Boolean));
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port ?? c[probe]?.grpc?.port;
      if (typeof port === 'string' && !/^\d+$/.test(port) && !ports.has(port))
        problems.push(`${where}: ${probe} uses port "${port}", which the container does not name`);
    }
    for (const m of c.volumeMounts || [])
      if (!volumes.has(m.name)) problems.push(`${where}: volumeMount "${m.name}" has no volume of that name`);
    const names = new Set();
    for (const e of c.env || []) {
      if (names.has(e.name)) problems.push(`${where}: env ${e.name} is set twice`);
      names.add(e.name);
      if (!known.has(e.name)) problems.push(`${where}: env ${e.name} is not a setting the application reads (application.yml, logback.xml, the Java code)${closest(e.name, known)}`);
    }
    const preStop = c.lifecycle?.preStop?.sleep?.seconds;
    if (!init && LONG_RUNNING.has(obj.kind) && typeof preStop === 'number') {
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      const need = preStop + DRAIN_SECONDS + CLOSE_SECONDS;
      if (grace < need)
        problems.push(`${where}: terminationGracePeriodSeconds ${grace} is less than preStop ${preStop} s + ${DRAIN_SECONDS} s of draining + ${CLOSE_SECONDS} s to close = ${need} s`);
    }
  }
  if (obj.kind === 'Deployment' && (obj.spec?.replicas ?? 1) > 1) {
    const keys = (pod.topologySpreadConstraints || []).map((t) => t.topologyKey);
    for (const key of ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'])
      if (!keys.includes(key)) problems.push(`pod: ${obj.spec.replicas} replicas but no topologySpreadConstraints on ${key}`);
    for (const t of pod.topologySpreadConstraints || [])
      if (!selects(t.labelSelector?.matchLabels, tpl.labels)) problems.push(`pod: topologySpreadConstraints on ${t.topologyKey} does not select the pods' own labels`);
  }
  if (obj.kind === 'Job') {
    if (obj.spec?.backoffLimit === undefined) problems.push('Job: no backoffLimit (the default retries six times)');
    if (obj.spec?.activeDeadlineSeconds === undefined) problems.push('Job: no activeDeadlineSeconds (a hung run would hold its lock for ever)');
  }
  return problems;
}

function secretProblems(obj, file) {
  if (obj.kind !== 'Secret') return [];
  if (!/\.template\.ya?ml$/.test(file))
    return [`a Secret may only be committed as a template (*.template.yaml) with REPLACE_ME placeholders`];
  const problems = [];
  if (obj.data && Object.keys(obj.data).length) problems.push('a Secret template must use stringData, not base64 data (placeholders must be readable)');
  for (const [k, v] of Object.entries(obj.stringData || {}))
    if (!String(v).includes('REPLACE_ME')) problems.push(`stringData.${k} is not a REPLACE_ME placeholder: never commit a real secret`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy: default deny, ingress only from named namespaces, egress only where allowed.

const ALLOWED_EGRESS_PORTS = new Map([
  [53, 'DNS'],
  [3306, 'MySQL'],
  [6446, 'MySQL Router (read-write)'],
  [587, 'SMTP submission'],
  [25, 'SMTP relay'],
  [443, 'HTTPS (GOV.UK Notify)'],
]);
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];

function networkPolicyProblems(obj) {
  if (obj.kind !== 'NetworkPolicy') return [];
  const problems = [];
  const spec = obj.spec || {};
  const types = spec.policyTypes || [];
  if (spec.egress && !types.includes('Egress')) problems.push('egress rules without "Egress" in policyTypes are ignored');
  if (spec.ingress && !types.includes('Ingress')) problems.push('ingress rules without "Ingress" in policyTypes are ignored');
  (spec.ingress || []).forEach((rule, i) => {
    const where = `ingress rule ${i + 1}`;
    if (!(rule.from || []).length) problems.push(`${where}: no "from": admits every source`);
    if (!(rule.ports || []).length) problems.push(`${where}: no "ports": admits every port`);
    for (const peer of rule.from || []) {
      if (peer.ipBlock) problems.push(`${where}: ipBlock source: admit the ingress controller or Prometheus by namespace and pod labels`);
      else if (!peer.namespaceSelector?.matchLabels || !Object.keys(peer.namespaceSelector.matchLabels).length)
        problems.push(`${where}: a source without namespaceSelector.matchLabels (an empty selector is every namespace)`);
      else if (!peer.podSelector?.matchLabels || !Object.keys(peer.podSelector.matchLabels).length)
        problems.push(`${where}: a source without podSelector.matchLabels admits every pod of its namespace`);
    }
  });
  (spec.egress || []).forEach((rule, i) => {
    const where = `egress rule ${i + 1}`;
    if (!(rule.to || []).length) problems.push(`${where}: no "to": allows every destination`);
    if (!(rule.ports || []).length) problems.push(`${where}: no "ports": allows every port`);
    const ports = (rule.ports || []).map((p) => p.port);
    for (const p of ports) {
      if (typeof p !== 'number') problems.push(`${where}: port ${JSON.stringify(p)}: name egress ports by number`);
      else if (!ALLOWED_EGRESS_PORTS.has(p)) problems.push(`${where}: port ${p} is not an allowed egress port (${[...ALLOWED_EGRESS_PORTS].map(([n, w]) => `${n} ${w}`).join(', ')})`);
      if (rule.ports.find((x) => x.port === p)?.endPort !== undefined) problems.push(`${where}: port ranges (endPort) are not allowed`);
    }
    for (const peer of rule.to || []) {
      const cidr = peer.ipBlock?.cidr;
      if (!cidr) {
        if (peer.namespaceSelector && !Object.keys(peer.namespaceSelector.matchLabels || {}).length)
          problems.push(`${where}: a destination namespaceSelector without matchLabels is every namespace`);
        continue;
      }
      const prefix = Number(cidr.split('/')[1]);
      if (prefix === 0) {
        const except = peer.ipBlock.except || [];
        const missing = PRIVATE_RANGES.filter((r) => !except.includes(r));
        if (missing.length) problems.push(`${where}: ${cidr} without excepting ${missing.join(', ')} (private ranges and the metadata service)`);
        if (ports.some((p) => p !== 443)) problems.push(`${where}: ${cidr} is allowed only for HTTPS (443), not ${ports.filter((p) => p !== 443).join(', ')}`);
      } else if (prefix < 24 && ports.some((p) => p !== 53)) {
        problems.push(`${where}: ${cidr} is a wide range for ${ports.join(', ')}: name the database or relay's own address`);
      }
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Across objects.

const selects = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Secret and ConfigMap names a workload refers to, with the keys it takes from each. */
function references(pod) {
  const refs = [];
  for (const v of pod.volumes || []) {
    if (v.configMap) refs.push({ kind: 'ConfigMap', name: v.configMap.name, keys: (v.configMap.items || []).map((i) => i.key), optional: v.configMap.optional, how: `volume ${v.name}` });
    if (v.secret) refs.push({ kind: 'Secret', name: v.secret.secretName, keys: (v.secret.items || []).map((i) => i.key), optional: v.secret.optional, how: `volume ${v.name}` });
  }
  for (const c of containersOf(pod)) {
    for (const e of c.envFrom || []) {
      if (e.configMapRef) refs.push({ kind: 'ConfigMap', name: e.configMapRef.name, keys: [], optional: e.configMapRef.optional, envFrom: true, how: `envFrom of ${c.name}` });
      if (e.secretRef) refs.push({ kind: 'Secret', name: e.secretRef.name, keys: [], optional: e.secretRef.optional, envFrom: true, how: `envFrom of ${c.name}` });
    }
    for (const e of c.env || []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const sk = e.valueFrom?.secretKeyRef;
      if (cm) refs.push({ kind: 'ConfigMap', name: cm.name, keys: [cm.key], optional: cm.optional, how: `env ${e.name} of ${c.name}` });
      if (sk) refs.push({ kind: 'Secret', name: sk.name, keys: [sk.key], optional: sk.optional, how: `env ${e.name} of ${c.name}` });
    }
  }
  return refs;
}

const imageRepo = (image) => (typeof image === 'string' ? image.replace(/@.*$/, '').replace(/:[^:/]+$/, '') : '');

function crossProblems(objects) {
  const out = []; // [item, problem]
  const workloads = objects.filter((o) => podTemplate(o.obj));
  const byKind = (kind) => objects.filter((o) => o.obj.kind === kind);
  const find = (kind, name) => objects.find((o) => o.obj.kind === kind && o.obj.metadata?.name === name)?.obj;
  const serviceAccounts = new Set(byKind('ServiceAccount').map((o) => o.obj.metadata?.name));
  const deployments = byKind('Deployment');
  const seen = new Map();
  const matchLabels = (sel) => workloads.filter((w) => selects(sel, podTemplate(w.obj).labels));
  for (const item of objects) {
    const { obj } = item;
    const key = `${obj.apiVersion?.split('/').slice(0, -1).join('/')}|${obj.kind}|${obj.metadata?.namespace || ''}|${obj.metadata?.name}`;
    if (seen.has(key)) out.push([item, `defined twice (also in ${seen.get(key)})`]);
    else seen.set(key, item.file);
    switch (obj.kind) {
      case 'Service': {
        const sel = obj.spec?.selector;
        if (sel && obj.spec?.type !== 'ExternalName') {
          const targets = matchLabels(sel);
          if (!targets.length) out.push([item, `selector ${JSON.stringify(sel)} selects no workload's pods`]);
          for (const p of obj.spec?.ports || []) {
            if (typeof p.targetPort !== 'string') continue;
            for (const t of targets) {
              const names = (podTemplate(t.obj).spec.containers || []).flatMap((c) => (c.ports || []).map((cp) => cp.name));
              if (!names.includes(p.targetPort)) out.push([item, `targetPort "${p.targetPort}" is not a port name of ${t.obj.kind}/${t.obj.metadata?.name}`]);
            }
          }
        }
        break;
      }
      case 'ServiceMonitor': {
        const services = byKind('Service').filter((s) => selects(obj.spec?.selector?.matchLabels, s.obj.metadata?.labels));
        if (!services.length) out.push([item, `selector selects no Service (by the Service's own labels)`]);
        for (const e of obj.spec?.endpoints || [])
          for (const s of services)
            if (!(s.obj.spec?.ports || []).some((p) => p.name === e.port)) out.push([item, `endpoint port "${e.port}" is not a port name of Service/${s.obj.metadata?.name}`]);
        break;
      }
      case 'PodDisruptionBudget': {
        const selected = matchLabels(obj.spec?.selector?.matchLabels);
        if (!selected.length) out.push([item, `selector selects no workload's pods`]);
        else if (!selected.some((w) => w.obj.kind === 'Deployment')) out.push([item, `selector selects no Deployment's pods (only ${selected.map((w) => w.id).join(', ')})`]);
        for (const w of selected.filter((s) => s.obj.kind === 'Deployment')) {
          const replicas = w.obj.spec?.replicas ?? 1;
          const { minAvailable, maxUnavailable } = obj.spec || {};
          if (maxUnavailable === 0 || maxUnavailable === '0%' || (typeof minAvailable === 'number' && minAvailable >= replicas) || minAvailable === '100%')
            out.push([item, `blocks every voluntary eviction of ${w.id} (${replicas} replicas): node drains would hang`]);
          if (replicas < 2) out.push([item, `${w.id} has ${replicas} replica: a disruption budget cannot keep it serving`]);
        }
        break;
      }
      case 'NetworkPolicy':
        if (!matchLabels(obj.spec?.podSelector?.matchLabels).length) out.push([item, `podSelector selects no workload's pods`]);
        break;
      case 'HorizontalPodAutoscaler': {
        const ref = obj.spec?.scaleTargetRef || {};
        const target = find(ref.kind, ref.name);
        if (!target) {
          out.push([item, `scaleTargetRef ${ref.kind}/${ref.name} is not defined here`]);
          break;
        }
        const min = obj.spec?.minReplicas ?? 1;
        const max = obj.spec?.maxReplicas;
        if (min > max) out.push([item, 'minReplicas is greater than maxReplicas']);
        const replicas = target.spec?.replicas ?? 1;
        if (replicas < min || replicas > max) out.push([item, `${ref.kind}/${ref.name} has replicas ${replicas}, outside minReplicas ${min} .. maxReplicas ${max}`]);
        for (const m of obj.spec?.metrics || []) {
          const r = m.resource?.name;
          if (m.type !== 'Resource' || m.resource?.target?.type !== 'Utilization') continue;
          for (const c of podTemplate(target)?.spec?.containers || [])
            if (c.resources?.requests?.[r] === undefined) out.push([item, `scales on ${r} utilization but container "${c.name}" of ${ref.kind}/${ref.name} has no ${r} request`]);
        }
        break;
      }
      default:
    }
    const tpl = podTemplate(obj);
    if (!tpl) continue;
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(obj.kind) && !selects(obj.spec?.selector?.matchLabels, tpl.labels))
      out.push([item, 'spec.selector.matchLabels does not match the pod template labels']);
    const pod = tpl.spec;
    const sa = pod.serviceAccountName;
    if (sa && sa !== 'default' && !serviceAccounts.has(sa)) out.push([item, `serviceAccountName "${sa}" is not defined here`]);
    // Every Secret and ConfigMap referred to is defined (Secrets as templates), with every key taken
    // from it, optional or not: a template is the list of what the cluster's Secret must hold.
    const known = knownSettings();
    for (const ref of references(pod)) {
      const def = find(ref.kind, ref.name);
      if (!def) {
        if (ref.kind === 'Secret' || !ref.optional) out.push([item, `${ref.how} refers to ${ref.kind} "${ref.name}", which is not defined here${ref.kind === 'Secret' ? ' (as a template)' : ''}`]);
        continue;
      }
      const keys = { ...(def.stringData || {}), ...(def.data || {}) };
      for (const k of ref.keys) if (!(k in keys)) out.push([item, `${ref.how}: ${ref.kind} "${ref.name}" has no key "${k}"`]);
      if (ref.envFrom)
        for (const k of Object.keys(keys))
          if (!known.has(k)) out.push([item, `${ref.how}: ${ref.kind} "${ref.name}" key ${k} is not a setting the application reads${closest(k, known)}`]);
    }
    // Every workload's pods are under a default-deny policy for both directions.
    const policies = byKind('NetworkPolicy').filter((p) => selects(p.obj.spec?.podSelector?.matchLabels, tpl.labels));
    for (const dir of ['Ingress', 'Egress'])
      if (!policies.some((p) => (p.obj.spec?.policyTypes || []).includes(dir)))
        out.push([item, `no NetworkPolicy with policyType ${dir} selects its pods (all ${dir.toLowerCase()} would be allowed)`]);
    // A Job (the migration) runs the release's image with the release's configuration.
    if (obj.kind === 'Job') {
      const deploymentImages = deployments.flatMap((d) => containersOf(podTemplate(d.obj).spec).map((c) => c.image));
      for (const c of containersOf(pod)) {
        const same = deploymentImages.filter((i) => imageRepo(i) === imageRepo(c.image));
        if (!same.length) out.push([item, `container "${c.name}" runs ${c.image}, not the image of any Deployment`]);
        else if (!same.includes(c.image)) out.push([item, `container "${c.name}" runs ${c.image}, which differs in tag or digest from the Deployment's ${same[0]}: it would migrate for another release`]);
      }
      const deploymentRefs = deployments.flatMap((d) => references(podTemplate(d.obj).spec));
      for (const ref of references(pod)) {
        if (!deploymentRefs.some((r) => r.kind === ref.kind && r.name === ref.name))
          out.push([item, `${ref.how} refers to ${ref.kind} "${ref.name}", which no Deployment uses: the Job must run with the release's own configuration`]);
      }
      for (const r of deploymentRefs.filter((x) => x.envFrom && x.kind === 'ConfigMap'))
        if (!references(pod).some((x) => x.envFrom && x.name === r.name)) out.push([item, `does not take ConfigMap "${r.name}" (envFrom) as the Deployment does: it would see another database URL`]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// kustomization.yaml, and the subset of kustomize this repository uses, rendered offline:
// resources (files and folders with a kustomization), namespace, images, and patches
// (strategic merge or JSON 6902, inline or from a file, with a kind/name target). Any other field
// fails the check rather than being ignored: render with `kubectl kustomize` and extend this file.

const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'resources', 'components', 'namespace', 'namePrefix', 'nameSuffix',
  'labels', 'commonLabels', 'commonAnnotations', 'images', 'replicas', 'patches', 'patchesStrategicMerge',
  'patchesJson6902', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'replacements', 'vars',
  'configurations', 'crds', 'generators', 'transformers', 'validators', 'openapi', 'helmCharts',
  'helmGlobals', 'buildMetadata', 'sortOptions',
]);
const RENDERED_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'namespace', 'images', 'patches']);
const NOT_NAMESPACED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);
const isOptionalFile = (f) => /\.(template|optional)\.ya?ml$/.test(f);

function kustomizationProblems(k, fileNames, isBase, dirNames = []) {
  const problems = [];
  if (!k || typeof k !== 'object' || Array.isArray(k)) return ['not a YAML mapping'];
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1') problems.push('apiVersion must be kustomize.config.k8s.io/v1beta1');
  if (k.kind !== 'Kustomization') problems.push('kind must be Kustomization');
  for (const key of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(key)) problems.push(`unknown field "${key}"${closest(key, KUSTOMIZATION_FIELDS)}`);
    else if (!RENDERED_FIELDS.has(key)) problems.push(`field "${key}" is not rendered by validate-k8s.mjs's offline kustomize (it supports ${[...RENDERED_FIELDS].slice(3).join(', ')}): extend it before using this field`);
  }
  const resources = k.resources || [];
  if (!Array.isArray(resources)) return [...problems, 'resources must be a list'];
  for (const r of resources) if (isOptionalFile(r)) problems.push(`resources: "${r}" is a template or optional file and must not be applied`);
  if (isBase) {
    for (const r of resources) if (!/\//.test(r) && !fileNames.includes(r) && !dirNames.includes(r)) problems.push(`resources: "${r}" is not a manifest file or folder in this folder`);
    for (const f of fileNames)
      if (!/^kustomization\.ya?ml$/.test(f) && !isOptionalFile(f) && !resources.includes(f))
        problems.push(`"${f}" is not listed in resources (list it, or name it *.template.yaml or *.optional.yaml if it must not be applied)`);
  }
  for (const img of k.images || []) if (!img?.name) problems.push('images: an entry has no name');
  return problems;
}

const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** The strategic-merge key of a list field, as the Kubernetes API declares it (patchMergeKey). */
function mergeKey(field, items) {
  const keys = { containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', env: 'name', imagePullSecrets: 'name', volumeMounts: 'mountPath', topologySpreadConstraints: 'topologyKey', tolerations: 'key' };
  if (field === 'ports') return items.every((i) => i && 'containerPort' in i) ? 'containerPort' : 'port';
  return keys[field];
}

function strategicMerge(target, patch, field) {
  if (Array.isArray(patch)) {
    const key = mergeKey(field, patch);
    if (!key || !Array.isArray(target)) return clone(patch.filter((p) => p?.$patch !== 'delete'));
    const result = clone(target);
    for (const item of patch) {
      const i = result.findIndex((t) => t?.[key] === item?.[key]);
      if (item?.$patch === 'delete') {
        if (i >= 0) result.splice(i, 1);
      } else if (i >= 0) result[i] = strategicMerge(result[i], item, null);
      else result.push(clone(item));
    }
    return result;
  }
  if (patch === null || typeof patch !== 'object') return clone(patch);
  const result = target && typeof target === 'object' && !Array.isArray(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (v === null) delete result[k];
    else result[k] = strategicMerge(result[k], v, k);
  }
  return result;
}

function jsonPatch(doc, ops) {
  const result = clone(doc);
  const parse = (p) => {
    if (typeof p !== 'string' || !p.startsWith('/')) throw new Error(`path ${JSON.stringify(p)} is not a JSON pointer`);
    return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  };
  const parentOf = (parts, p) => {
    let node = result;
    for (const part of parts.slice(0, -1)) {
      if (node === null || typeof node !== 'object' || !(part in node)) throw new Error(`path ${p} does not exist (no "${part}")`);
      node = node[part];
    }
    return node;
  };
  for (const op of ops) {
    const parts = parse(op.path);
    const last = parts[parts.length - 1];
    const parent = parentOf(parts, op.path);
    const exists = parent !== null && typeof parent === 'object' && (Array.isArray(parent) ? Number(last) < parent.length : last in parent);
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, clone(op.value));
        else parent[last] = clone(op.value);
        break;
      case 'replace':
        if (!exists) throw new Error(`replace: path ${op.path} does not exist`);
        parent[last] = clone(op.value);
        break;
      case 'remove':
        if (!exists) throw new Error(`remove: path ${op.path} does not exist`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'test':
        if (!exists || JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw new Error(`test: ${op.path} is not ${JSON.stringify(op.value)}`);
        break;
      default:
        throw new Error(`op ${JSON.stringify(op.op)} is not supported (add, replace, remove, test)`);
    }
  }
  return result;
}

function parseYaml(text, where, problems) {
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: true });
  const out = [];
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    for (const e of [...doc.errors, ...doc.warnings]) problems.push(`${where} (document ${i + 1}): YAML: ${e.message.split('\n')[0].replace(/:$/, '')}`);
    if (doc.errors.length) continue;
    const obj = doc.toJS({ maxAliasCount: 100 });
    if (obj !== null && obj !== undefined) out.push(obj);
  }
  return out;
}

const targetMatches = (t, obj) =>
  (!t.kind || t.kind === obj.kind) &&
  (!t.name || t.name === obj.metadata?.name) &&
  (!t.namespace || t.namespace === obj.metadata?.namespace) &&
  (!t.group || t.group === (obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '')) &&
  (!t.version || t.version === obj.apiVersion.split('/').pop());

/** kustomize build, for the subset above: dir -> { objects: [{ file, obj }], problems }. */
function render(fs, dir, seen = new Set()) {
  const problems = [];
  const kfile = ['kustomization.yaml', 'kustomization.yml'].map((f) => path.join(dir, f)).find((f) => fs.isFile(f));
  if (!kfile) return { objects: [], problems: [`${dir || '.'}: no kustomization.yaml`] };
  if (seen.has(kfile)) return { objects: [], problems: [`${kfile}: resources form a cycle`] };
  seen.add(kfile);
  const [k] = parseYaml(fs.read(kfile), kfile, problems);
  if (!k) return { objects: [], problems };
  const fileNames = fs.list(dir).filter((f) => /\.ya?ml$/.test(f));
  for (const p of kustomizationProblems(k, fileNames, false)) problems.push(`${kfile}: ${p}`);
  let objects = [];
  for (const r of k.resources || []) {
    const full = path.normalize(path.join(dir, r));
    const inside = (a, b) => !path.relative(a, b).startsWith('..') && !path.isAbsolute(path.relative(a, b));
    if (fs.isDir(full) && full !== path.normalize(dir) && inside(full, dir)) {
      problems.push(`${kfile}: resources: "${r}" contains this kustomization's own folder: kustomize refuses it (cycle detected); keep the base in a folder of its own`);
    } else if (fs.isDir(full)) {
      const sub = render(fs, full, seen);
      problems.push(...sub.problems);
      objects.push(...sub.objects);
    } else if (fs.isFile(full)) {
      for (const obj of parseYaml(fs.read(full), full, problems)) objects.push({ file: full, obj });
    } else problems.push(`${kfile}: resources: "${r}" is neither a file nor a folder`);
  }
  for (const [i, p] of (k.patches || []).entries()) {
    const where = `${kfile}: patches[${i}]`;
    let text = p?.patch;
    if (p?.path) {
      const full = path.join(dir, p.path);
      if (!fs.isFile(full)) {
        problems.push(`${where}: path "${p.path}" does not exist`);
        continue;
      }
      text = fs.read(full);
    }
    if (typeof text !== 'string') {
      problems.push(`${where}: needs "patch" or "path"`);
      continue;
    }
    const [body] = parseYaml(text, where, problems);
    if (!body) continue;
    if (p.target && Object.keys(p.target).some((key) => !['kind', 'name', 'namespace', 'group', 'version'].includes(key)))
      problems.push(`${where}: target ${JSON.stringify(p.target)}: only kind, name, namespace, group and version are supported`);
    const json6902 = Array.isArray(body);
    const target = p.target || (json6902 ? null : { kind: body.kind, name: body.metadata?.name });
    if (!target) {
      problems.push(`${where}: a JSON 6902 patch needs a target`);
      continue;
    }
    const hits = objects.filter((o) => targetMatches(target, o.obj));
    if (!hits.length) problems.push(`${where}: target ${JSON.stringify(target)} matches no object`);
    for (const hit of hits) {
      try {
        hit.obj = json6902 ? jsonPatch(hit.obj, body) : strategicMerge(hit.obj, body, null);
      } catch (e) {
        problems.push(`${where}: ${hit.obj.kind}/${hit.obj.metadata?.name}: ${e.message}`);
      }
    }
  }
  if (k.namespace)
    for (const o of objects) if (!NOT_NAMESPACED.has(o.obj.kind)) o.obj = { ...o.obj, metadata: { ...o.obj.metadata, namespace: k.namespace } };
  for (const img of k.images || []) {
    for (const o of objects) {
      const tpl = podTemplate(o.obj);
      if (!tpl) continue;
      for (const c of containersOf(tpl.spec)) {
        if (imageRepo(c.image) !== img.name) continue;
        const repo = img.newName || img.name;
        c.image = img.digest ? `${repo}@${img.digest}` : `${repo}:${img.newTag || (c.image.match(/:([^:/@]+)$/) || [])[1] || 'latest'}`;
      }
    }
  }
  objects = objects.map((o) => ({ file: o.file, obj: o.obj }));
  seen.delete(kfile);
  return { objects, problems };
}

// ---------------------------------------------------------------------------------------------
// Checks on a set of objects: each object on its own, then across them.

function objectProblems(obj, file) {
  if (typeof obj !== 'object' || Array.isArray(obj)) return ['not a Kubernetes object (a YAML mapping with apiVersion and kind)'];
  const found = [...(customResourceProblems(obj) ?? schemaProblems(obj)), ...workloadProblems(obj), ...secretProblems(obj, file), ...networkPolicyProblems(obj)];
  if (!obj.metadata?.name) found.push('metadata.name is missing');
  return found;
}

function checkObjects(items, label, problems, lines) {
  const objects = items.map(({ file, obj, known }) => {
    const id = `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? '?'}`;
    const found = known ? [] : objectProblems(obj, file);
    for (const p of found) problems.push(`${label(file)}: ${id}: ${p}`);
    return { file, obj, id, known, ok: found.length === 0 };
  });
  for (const [item, p] of crossProblems(objects.filter((o) => o.obj && typeof o.obj === 'object'))) {
    problems.push(`${label(item.file)}: ${item.id}: ${p}`);
    item.ok = false;
  }
  for (const item of objects) if (item.ok && !item.known) lines.push(`ok  ${label(item.file)}  ${item.id} (${item.obj.apiVersion})`);
}

/**
 * The whole tree: every file of the folder as written (templates and optional files included),
 * then the base as kustomize renders it, then every overlays/NAME. fs: isFile, isDir, read, list.
 */
function validateTree(fs, root) {
  const problems = [];
  const lines = [];
  const raw = [];
  // The files as written: the root's and its base folder's (overlays are checked as rendered).
  const folders = [root, ...(fs.isDir(path.join(root, 'base')) ? [path.join(root, 'base')] : [])];
  const rel = (p) => path.relative(root, p) || '.';
  for (const folder of folders) {
    const entries = fs.list(folder).sort();
    const names = entries.filter((f) => /\.ya?ml$/.test(f));
    const dirNames = entries.filter((f) => fs.isDir(path.join(folder, f)));
    for (const name of names) {
      const full = path.join(folder, name);
      const shown = rel(full);
      const before = problems.length;
      const objs = parseYaml(fs.read(full), shown, problems);
      if (!objs.length && problems.length === before) problems.push(`${shown}: no Kubernetes objects in this file`);
      if (/^kustomization\.ya?ml$/.test(name)) {
        for (const k of objs) {
          const found = kustomizationProblems(k, names, true, dirNames);
          for (const p of found) problems.push(`${shown}: Kustomization: ${p}`);
          if (!found.length) lines.push(`ok  ${shown}  Kustomization (${(k.resources || []).length} resources)`);
        }
        continue;
      }
      for (const obj of objs) raw.push({ file: shown, obj });
    }
  }
  checkObjects(raw, (f) => f, problems, lines);
  // Secrets exist in the cluster only: the templates stand for them in every rendered set.
  const templates = raw.filter((r) => r.obj?.kind === 'Secret' && /\.template\.ya?ml$/.test(r.file)).map((r) => ({ ...r, known: true }));
  const sets = [];
  if (fs.isFile(path.join(root, 'kustomization.yaml'))) sets.push(root);
  else if (folders.length > 1 && fs.isFile(path.join(folders[1], 'kustomization.yaml'))) sets.push(folders[1]);
  const overlays = path.join(root, 'overlays');
  if (fs.isDir(overlays)) for (const o of fs.list(overlays).sort()) if (fs.isDir(path.join(overlays, o))) sets.push(path.join(overlays, o));
  const rendered = {};
  for (const dir of sets) {
    const { objects, problems: renderProblems } = render(fs, dir);
    rendered[rel(dir)] = objects;
    const strip = (p) => (root ? p.split(root + path.sep).join('') : p);
    for (const p of renderProblems) problems.push(`kustomize ${rel(dir)}: ${strip(p)}`);
    if (!objects.length) continue;
    const before = lines.length;
    checkObjects([...objects, ...templates], (f) => `kustomize ${rel(dir)} [${rel(f)}]`, problems, lines);
    lines.splice(before, lines.length - before, `ok  kustomize ${rel(dir)}: ${lines.length - before} of ${objects.length} rendered object(s) valid`);
  }
  return { lines, problems, sets: sets.map(rel), rendered };
}

// ---------------------------------------------------------------------------------------------
// Where kubectl is installed (it renders offline, no cluster needed), the renderer above is
// compared with the real kustomize: same objects, field for field. Without kubectl, the comparison
// is skipped with a note; the checks above do not depend on it.

function kubectlRender(dir) {
  const run = spawnSync(process.env.KUBECTL || 'kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60000 });
  if (run.error) return { missing: true };
  if (run.status !== 0) return { error: (run.stderr || '').trim().split('\n').pop() };
  const problems = [];
  const objects = parseYaml(run.stdout, 'kubectl kustomize', problems);
  return problems.length ? { error: problems.join('; ') } : { objects };
}

const canonical = (v) =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v;

function firstDifference(a, b, at = '') {
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${at}/${k}`);
      if (d) return d;
    }
  }
  return `${at || '/'}: ours ${JSON.stringify(a)?.slice(0, 80)}, kustomize's ${JSON.stringify(b)?.slice(0, 80)}`;
}

/** Problems where our rendering of dir differs from kubectl kustomize's; null when kubectl is missing. */
function compareWithKubectl(dir, ours) {
  const theirs = kubectlRender(dir);
  if (theirs.missing) return null;
  if (theirs.error) return [`kubectl kustomize failed: ${theirs.error}`];
  const key = (o) => `${o.kind}/${o.metadata?.namespace || ''}/${o.metadata?.name}`;
  const mine = new Map(ours.map((o) => [key(o.obj), o.obj]));
  const problems = [];
  for (const t of theirs.objects) {
    if (!mine.has(key(t))) problems.push(`kubectl kustomize renders ${key(t)}, ours does not`);
    else {
      const d = firstDifference(mine.get(key(t)), t);
      if (d) problems.push(`${key(t)} differs from kubectl kustomize at ${d}`);
      mine.delete(key(t));
    }
  }
  for (const k of mine.keys()) problems.push(`ours renders ${k}, kubectl kustomize does not`);
  return problems;
}

const realFs = {
  isFile: (p) => existsSync(p) && statSync(p).isFile(),
  isDir: (p) => existsSync(p) && statSync(p).isDirectory(),
  read: (p) => readFileSync(p, 'utf8'),
  list: (p) => readdirSync(p),
};

/** An in-memory folder for the self-test: { 'relative/path.yaml': text }. */
function memFs(files) {
  const norm = (p) => path.normalize(p).replace(/^\.\/?$/, '').replace(/\/$/, '');
  const keys = Object.keys(files).map(norm);
  const text = Object.fromEntries(Object.entries(files).map(([k, v]) => [norm(k), v]));
  const prefix = (p) => (norm(p) ? `${norm(p)}/` : '');
  return {
    isFile: (p) => norm(p) in text,
    isDir: (p) => keys.some((k) => k.startsWith(prefix(p))),
    read: (p) => text[norm(p)],
    list: (p) => [...new Set(keys.filter((k) => k.startsWith(prefix(p))).map((k) => k.slice(prefix(p).length).split('/')[0]))],
  };
}

/** One folder's files, as the earlier self-test cases give them: [{ name, text }]. */
const validateFiles = (files) => validateTree(memFs(Object.fromEntries(files.map((f) => [f.name, f.text]))), '');

// ---------------------------------------------------------------------------------------------
// --self-test: a small valid tree (base, overlay, templates), then broken copies of it that must be
// rejected, each for its own reason, and rendered overlays that must come out as kustomize would.

const SECURE = { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const IMAGE = 'registry.example.gov.uk/selftest';

function goodTree() {
  const labels = { app: 'selftest', component: 'server' };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'selftest' },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 40,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
            maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels },
          })),
          containers: [
            {
              name: 'app',
              image: `${IMAGE}:1.0.0`,
              ports: [{ name: 'http', containerPort: 8080 }],
              envFrom: [{ configMapRef: { name: 'selftest-config' } }],
              env: [
                { name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=50' },
                { name: 'DATASOURCES_DEFAULT_PASSWORD', valueFrom: { secretKeyRef: { name: 'selftest-secrets', key: 'DATASOURCES_DEFAULT_PASSWORD' } } },
              ],
              resources: { requests: { cpu: '500m', memory: '384Mi' }, limits: { cpu: '2', memory: '512Mi' } },
              startupProbe: { httpGet: { path: '/health/liveness', port: 'http' } },
              readinessProbe: { httpGet: { path: '/health/readiness', port: 'http' } },
              livenessProbe: { httpGet: { path: '/health/liveness', port: 'http' } },
              lifecycle: { preStop: { sleep: { seconds: 10 } } },
              securityContext: { ...SECURE },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'selftest-migrate' },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'selftest', component: 'migration' } },
        spec: {
          restartPolicy: 'Never',
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'migrate',
              image: `${IMAGE}:1.0.0`,
              args: ['--migrate'],
              envFrom: [{ configMapRef: { name: 'selftest-config' } }],
              env: [{ name: 'DATASOURCES_DEFAULT_PASSWORD', valueFrom: { secretKeyRef: { name: 'selftest-secrets', key: 'MIGRATION_DATABASE_PASSWORD' } } }],
              resources: { requests: { cpu: '250m', memory: '384Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              securityContext: { ...SECURE },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  const base = {
    'deployment.yaml': deployment,
    'job.yaml': job,
    'configmap.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'selftest-config' }, data: { PORTAL_DB_POOL_SIZE: '10', PORTAL_ISSUER: 'https://portal.example.gov.uk' } },
    'secret.template.yaml': {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'selftest-secrets' },
      stringData: { DATASOURCES_DEFAULT_PASSWORD: 'REPLACE_ME', MIGRATION_DATABASE_PASSWORD: 'REPLACE_ME' },
    },
    'service.yaml': {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'selftest', labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 8080, targetPort: 'http' }] },
    },
    'servicemonitor.optional.yaml': {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'selftest' },
      spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'metrics', path: '/prometheus', interval: '30s' }] },
    },
    'pdb.yaml': { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'selftest' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
    'hpa.yaml': {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'selftest' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'selftest' }, minReplicas: 2, maxReplicas: 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    'networkpolicy.yaml': {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'selftest' },
      spec: {
        podSelector: { matchLabels: { app: 'selftest' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        }],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
          { to: [{ ipBlock: { cidr: '192.0.2.10/32' } }], ports: [{ protocol: 'TCP', port: 3306 }] },
          { to: [{ ipBlock: { cidr: '192.0.2.25/32' } }], ports: [{ protocol: 'TCP', port: 587 }] },
        ],
      },
    },
    'kustomization.yaml': {
      apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: 'selftest',
      resources: ['configmap.yaml', 'deployment.yaml', 'hpa.yaml', 'job.yaml', 'networkpolicy.yaml', 'pdb.yaml', 'service.yaml'],
      images: [{ name: IMAGE, newTag: '1.2.0' }],
    },
  };
  return {
    ...Object.fromEntries(Object.entries(base).map(([k, v]) => [`base/${k}`, v])),
    'kustomization.yaml': { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['base'] },
    'overlays/small/kustomization.yaml': {
      apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['../../base'],
      patches: [
        { target: { kind: 'Deployment', name: 'selftest' }, patch: '- op: replace\n  path: /spec/replicas\n  value: 3\n' },
        { target: { kind: 'HorizontalPodAutoscaler', name: 'selftest' }, patch: '- op: replace\n  path: /spec/minReplicas\n  value: 3\n- op: replace\n  path: /spec/maxReplicas\n  value: 6\n' },
        { path: 'resources.yaml' },
        { target: { kind: 'ConfigMap', name: 'selftest-config' }, patch: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: selftest-config\ndata:\n  PORTAL_DB_POOL_SIZE: "8"\n' },
      ],
    },
    'overlays/small/resources.yaml': {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'selftest' },
      spec: { template: { spec: { containers: [{ name: 'app', resources: { limits: { cpu: '1' } } }] } } },
    },
  };
}

const treeFiles = (tree) => Object.fromEntries(Object.entries(tree).map(([name, obj]) => [name, typeof obj === 'string' ? obj : stringify(obj)]));

function selfTest() {
  const container = (d) => d.spec.template.spec.containers[0];
  // A broken copy of the whole tree: mutate(tree) changes it.
  const brokenTree = (mutate) => {
    const tree = clone(goodTree());
    mutate(tree);
    return treeFiles(tree);
  };
  const broken = (mutate) => brokenTree((t) => mutate(t['base/deployment.yaml']));
  const asList = (files) => Object.entries(files).map(([name, text]) => ({ name, text }));
  const np = (t) => t['base/networkpolicy.yaml'].spec;
  const job = (t) => t['base/job.yaml'];
  const overlay = (t) => t['overlays/small/kustomization.yaml'];
  const cases = [
    // The Kubernetes schemas, unknown fields and YAML.
    ['replicas is not an integer', broken((d) => (d.spec.replicas = 'three')), '/spec/replicas: must be integer'],
    ['selector is missing', broken((d) => delete d.spec.selector), 'must have required property selector'],
    ['memory limit is not a quantity', broken((d) => (container(d).resources.limits.memory = '1Gq')), 'must match format "quantity"'],
    ['a port protocol is not TCP, UDP or SCTP', broken((d) => (container(d).ports[0].protocol = 'HTTP')), '/protocol: must be equal to one of the allowed values'],
    ['a field is misspelt', broken((d) => { container(d).readinesProbe = container(d).readinessProbe; delete container(d).readinessProbe; }), 'unknown field "readinesProbe" (did you mean "readinessProbe"?)'],
    ['apiVersion does not exist', broken((d) => (d.apiVersion = 'apps/v2')), 'unknown apiVersion/kind'],
    ['a ConfigMap value is a number', { 'configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  PORT: 8080\n' }, '/data/PORT: must be string'],
    ['a YAML key appears twice', { 'service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  name: t\nspec:\n  ports: [{port: 80}]\n' }, 'YAML: Map keys must be unique'],
    // Every container: resources, probes, securityContext.
    ['a container has no resource limits', broken((d) => delete container(d).resources.limits), 'no resources.limits.memory'],
    ['an init container has no resources', broken((d) => (d.spec.template.spec.initContainers = [{ ...clone(container(d)), name: 'wait', resources: undefined, ports: undefined, startupProbe: undefined, readinessProbe: undefined, livenessProbe: undefined, lifecycle: undefined }])), 'container "wait": no resources.limits.cpu'],
    ['the Job\'s container has no memory request', brokenTree((t) => delete container(job(t)).resources.requests.memory), 'container "migrate": no resources.requests.memory'],
    ['a container has no liveness probe', broken((d) => delete container(d).livenessProbe), 'no livenessProbe'],
    ['a container has no readiness probe', broken((d) => delete container(d).readinessProbe), 'no readinessProbe'],
    ['a container has no startup probe', broken((d) => delete container(d).startupProbe), 'no startupProbe'],
    ['nothing says runAsNonRoot', broken((d) => delete d.spec.template.spec.securityContext.runAsNonRoot), 'runAsNonRoot must be true'],
    ['the root file system is writable', broken((d) => (container(d).securityContext.readOnlyRootFilesystem = false)), 'readOnlyRootFilesystem must be true'],
    ['a read-only root without /tmp', broken((d) => (container(d).volumeMounts = [])), 'no volume mounted at /tmp'],
    ['capabilities are not dropped', broken((d) => delete container(d).securityContext.capabilities), 'capabilities.drop must include ALL'],
    ['the Job may escalate privileges', brokenTree((t) => (container(job(t)).securityContext.allowPrivilegeEscalation = true)), 'allowPrivilegeEscalation must be false'],
    ['no seccomp profile', broken((d) => delete d.spec.template.spec.securityContext.seccompProfile), 'seccompProfile.type must be RuntimeDefault'],
    ['a probe names a port the container lacks', broken((d) => (container(d).livenessProbe.httpGet.port = 'admin')), 'uses port "admin"'],
    ['the selector does not match the pod labels', broken((d) => (d.spec.selector.matchLabels.app = 'other')), 'does not match the pod template labels'],
    ['the grace period is shorter than preStop + draining', broken((d) => (d.spec.template.spec.terminationGracePeriodSeconds = 20)), 'terminationGracePeriodSeconds 20 is less than preStop 10 s'],
    ['replicas are not spread over zones', broken((d) => d.spec.template.spec.topologySpreadConstraints.pop()), 'no topologySpreadConstraints on topology.kubernetes.io/zone'],
    // Secrets and settings.
    ['a real-looking Secret outside a template', { 'secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n' }, 'only be committed as a template'],
    ['a Secret template with a real value', { 'secret.template.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n' }, 'is not a REPLACE_ME placeholder'],
    ['an optional secret key missing from the template', broken((d) => container(d).env.push({ name: 'PORTAL_SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'selftest-secrets', key: 'PORTAL_SMTP_PASSWORD', optional: true } } })), 'Secret "selftest-secrets" has no key "PORTAL_SMTP_PASSWORD"'],
    ['a Secret with no template', broken((d) => (container(d).env[1].valueFrom.secretKeyRef.name = 'elsewhere')), 'refers to Secret "elsewhere", which is not defined here (as a template)'],
    ['an env var the application does not read', broken((d) => container(d).env.push({ name: 'PORTAL_DB_POOLSIZE', value: '10' })), 'env PORTAL_DB_POOLSIZE is not a setting the application reads (application.yml, logback.xml, the Java code) (did you mean "PORTAL_DB_POOL_SIZE"?)'],
    ['a ConfigMap key the application does not read', brokenTree((t) => (t['base/configmap.yaml'].data.PORTAL_ISUER = 'x')), 'key PORTAL_ISUER is not a setting the application reads'],
    ['a volume refers to a missing ConfigMap', broken((d) => { d.spec.template.spec.volumes.push({ name: 'v', configMap: { name: 'missing' } }); container(d).volumeMounts.push({ name: 'v', mountPath: '/v' }); }), 'refers to ConfigMap "missing"'],
    // NetworkPolicy.
    ['egress to the whole internet', brokenTree((t) => np(t).egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] })), '0.0.0.0/0 without excepting 10.0.0.0/8'],
    ['egress to a port not allowed', brokenTree((t) => (np(t).egress[1].ports[0].port = 8443)), 'port 8443 is not an allowed egress port'],
    ['an egress rule without ports', brokenTree((t) => delete np(t).egress[1].ports), 'no "ports": allows every port'],
    ['an egress rule without destination', brokenTree((t) => delete np(t).egress[1].to), 'no "to": allows every destination'],
    ['ingress from every namespace', brokenTree((t) => (np(t).ingress[0].from[0].namespaceSelector = {})), 'an empty selector is every namespace'],
    ['no default-deny for egress', brokenTree((t) => { np(t).policyTypes = ['Ingress']; delete np(t).egress; }), 'no NetworkPolicy with policyType Egress selects its pods'],
    // PodDisruptionBudget, HPA, Service, ServiceMonitor.
    ['a PDB that selects only the Job', brokenTree((t) => (t['base/pdb.yaml'].spec.selector.matchLabels = { component: 'migration' })), "selects no Deployment's pods"],
    ['a PDB that blocks every drain', brokenTree((t) => { delete t['base/pdb.yaml'].spec.maxUnavailable; t['base/pdb.yaml'].spec.minAvailable = 2; }), 'blocks every voluntary eviction'],
    ['an HPA whose target does not exist', brokenTree((t) => (t['base/hpa.yaml'].spec.scaleTargetRef.name = 'other')), 'scaleTargetRef Deployment/other is not defined here'],
    ['Deployment replicas outside the HPA range', brokenTree((t) => (t['base/hpa.yaml'].spec.minReplicas = 3)), 'outside minReplicas 3'],
    ['an HPA on CPU without a CPU request', broken((d) => delete container(d).resources.requests.cpu), 'scales on cpu utilization but container "app"'],
    ['a Service selects nothing', { ...broken(() => {}), 'service2.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: nobody}\n  ports: [{port: 80, targetPort: http}]\n' }, 'selects no workload'],
    ['a ServiceMonitor port the Service does not name', brokenTree((t) => (t['base/servicemonitor.optional.yaml'].spec.endpoints[0].port = 'prometheus')), 'endpoint port "prometheus" is not a port name of Service/selftest'],
    ['a ServiceMonitor field misspelt', brokenTree((t) => (t['base/servicemonitor.optional.yaml'].spec.endpoint = [])), 'unknown field "endpoint" (did you mean "endpoints"?)'],
    // The migration Job.
    ['the Job runs another release', brokenTree((t) => (container(job(t)).image = `${IMAGE}:0.9.0`)), 'differs in tag or digest'],
    ['the Job runs another image', brokenTree((t) => (container(job(t)).image = 'registry.example.gov.uk/other:1.0.0')), 'not the image of any Deployment'],
    ['the Job uses a Secret the Deployment does not', brokenTree((t) => { container(job(t)).env[0].valueFrom.secretKeyRef.name = 'other-secrets'; t['other.template.yaml'] = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other-secrets' }, stringData: { MIGRATION_DATABASE_PASSWORD: 'REPLACE_ME' } }; }), 'which no Deployment uses'],
    ['the Job lacks the Deployment\'s ConfigMap', brokenTree((t) => delete container(job(t)).envFrom), 'does not take ConfigMap "selftest-config"'],
    ['the Job retries for ever', brokenTree((t) => delete job(t).spec.backoffLimit), 'no backoffLimit'],
    // kustomization.yaml and the overlays, rendered.
    ['kustomization misses a manifest', { ...broken(() => {}), 'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [configmap.yaml]\n' }, '"deployment.yaml" is not listed in resources'],
    ['kustomization applies an optional file', brokenTree((t) => t['base/kustomization.yaml'].resources.push('servicemonitor.optional.yaml')), '"servicemonitor.optional.yaml" is a template or optional file'],
    ['an overlay uses a field the renderer lacks', brokenTree((t) => (overlay(t).commonLabels = { a: 'b' })), 'field "commonLabels" is not rendered'],
    ['an overlay patch replaces a path that does not exist', brokenTree((t) => (overlay(t).patches[0].patch = '- op: replace\n  path: /spec/replica\n  value: 3\n')), 'replace: path /spec/replica does not exist'],
    ['an overlay patch targets nothing', brokenTree((t) => (overlay(t).patches[1].target.name = 'other')), 'matches no object'],
    ['an overlay patch file is missing', brokenTree((t) => (overlay(t).patches[2].path = 'missing.yaml')), 'path "missing.yaml" does not exist'],
    ['an overlay breaks the schema', brokenTree((t) => (overlay(t).patches[0].patch = '- op: replace\n  path: /spec/replicas\n  value: three\n')), 'kustomize overlays/small [base/deployment.yaml]: Deployment/selftest: /spec/replicas: must be integer'],
    ['an overlay removes a CPU request', brokenTree((t) => (t['overlays/small/resources.yaml'].spec.template.spec.containers[0].resources.requests = { cpu: null })), 'kustomize overlays/small [base/deployment.yaml]: Deployment/selftest: container "app": no resources.requests.cpu'],
    ['an overlay whose base folder contains it', brokenTree((t) => (overlay(t).resources = ['../..'])), 'kustomize refuses it (cycle detected)'],
    ['an overlay puts the HPA below the Deployment', brokenTree((t) => (overlay(t).patches[1].patch = '- op: replace\n  path: /spec/maxReplicas\n  value: 2\n')), 'has replicas 3, outside minReplicas 2 .. maxReplicas 2'],
  ];
  let failed = 0;
  const check = (what, ok, detail) => {
    if (!ok) {
      failed++;
      console.error(`self-test: ${what}${detail ? `\n  ${detail}` : ''}`);
    }
  };
  const good = validateTree(memFs(treeFiles(goodTree())), '');
  check('the valid baseline tree was rejected', good.problems.length === 0, good.problems.join('\n  '));
  check('the baseline did not render the base and the overlay', JSON.stringify(good.sets) === JSON.stringify(['.', 'overlays/small']), JSON.stringify(good.sets));
  // The overlay renders as kustomize renders it.
  const { objects, problems } = render(memFs(treeFiles(goodTree())), 'overlays/small');
  const get = (kind) => objects.find((o) => o.obj.kind === kind)?.obj;
  const d = get('Deployment');
  const renderChecks = [
    ['no render problems', problems.length === 0, problems.join('; ')],
    ['JSON 6902 replace: replicas 3', d?.spec.replicas === 3],
    ['strategic merge: the CPU limit patched', container(d).resources.limits.cpu === '1'],
    ['strategic merge: the memory limit kept', container(d).resources.limits.memory === '512Mi'],
    ['strategic merge: the container merged by name, probes kept', !!container(d).readinessProbe && d.spec.template.spec.containers.length === 1],
    ['strategic merge: ConfigMap pool size 8, other keys kept', get('ConfigMap')?.data.PORTAL_DB_POOL_SIZE === '8' && get('ConfigMap')?.data.PORTAL_ISSUER === 'https://portal.example.gov.uk'],
    ['HPA min 3 max 6', get('HorizontalPodAutoscaler')?.spec.minReplicas === 3 && get('HorizontalPodAutoscaler')?.spec.maxReplicas === 6],
    ['images: the base tag on the Deployment and the Job', container(d).image === `${IMAGE}:1.2.0` && container(get('Job')).image === `${IMAGE}:1.2.0`],
    ['namespace: set on every object', objects.every((o) => o.obj.metadata.namespace === 'selftest')],
    ['templates and optional files are not rendered', !get('Secret') && !get('ServiceMonitor')],
  ];
  for (const [what, ok, detail] of renderChecks) check(`rendering overlays/small: NOT as expected: ${what}`, ok, detail);
  // The same tree through kubectl kustomize, where kubectl is installed: same rendering, and a
  // difference is noticed.
  let kubectlNote = 'kubectl not found: the renderer was not compared with kubectl kustomize';
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'validate-k8s-'));
  try {
    for (const [name, text] of Object.entries(treeFiles(goodTree()))) {
      mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
      writeFileSync(path.join(tmp, name), text);
    }
    for (const dir of ['.', 'overlays/small']) {
      const ours = render(realFs, path.join(tmp, dir)).objects;
      const diff = compareWithKubectl(path.join(tmp, dir), ours);
      if (diff === null) break;
      check(`kubectl kustomize ${dir} renders the self-test tree differently from ours`, diff.length === 0, diff.join('\n  '));
      const changed = clone(ours);
      changed.find((o) => o.obj.kind === 'Deployment').obj.spec.replicas = 5;
      const caught = compareWithKubectl(path.join(tmp, dir), changed) || [];
      check(`the comparison with kubectl kustomize ${dir} missed a changed replicas`, caught.some((p) => p.includes('/spec/replicas')), caught.join('; '));
      kubectlNote = `kubectl kustomize rendered the base and the overlay exactly as ours, and a difference was noticed`;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const [what, files, expected] of cases) {
    const { problems: found } = validateTree(memFs(Array.isArray(files) ? Object.fromEntries(asList(files).map((f) => [f.name, f.text])) : files), '');
    check(`NOT rejected as expected: ${what}`, found.some((p) => p.includes(expected)), `expected a problem containing: ${expected}\n  got: ${found.length ? found.join('\n       ') : '(no problem at all)'}`);
  }
  const total = cases.length + renderChecks.length + 2;
  if (failed) {
    console.error(`self-test: ${failed} of ${total} checks failed — the validator cannot be trusted`);
    return false;
  }
  console.log(`self-test: the valid baseline tree passed, its overlay rendered as kustomize would (${renderChecks.length} checks), and all ${cases.length} broken inputs were rejected for the expected reason; ${kubectlNote}`);
  return true;
}

// ---------------------------------------------------------------------------------------------

function main(argv) {
  let dir = path.resolve(here, '..', 'k8s');
  let runSelfTest = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--self-test') runSelfTest = true;
    else if (argv[i] === '--dir' && argv[i + 1]) dir = path.resolve(argv[++i]);
    else {
      console.error(`usage: node validate-k8s.mjs [--self-test] [--dir <manifest folder>]  (unknown argument: ${argv[i]})`);
      return 2;
    }
  }
  if (runSelfTest && !selfTest()) return 1;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`FAIL ${dir}: no such folder`);
    return 1;
  }
  if (!readdirSync(dir).some((f) => /\.ya?ml$/.test(f))) {
    console.error(`FAIL ${dir}: no *.yaml files`);
    return 1;
  }
  // Names as seen from the repository root (k8s/base/deployment.yaml), whatever the working folder.
  const fromRoot = path.relative(path.resolve(here, '..'), dir);
  const rel = fromRoot && !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot) ? fromRoot : dir;
  const { lines, problems, sets, rendered } = validateTree(realFs, dir);
  for (const set of sets) {
    const diff = compareWithKubectl(path.join(dir, set), rendered[set] || []);
    if (diff === null) {
      lines.push(`note  kubectl not found: the rendering of ${set} was not compared with kubectl kustomize`);
      continue;
    }
    for (const p of diff) problems.push(`kustomize ${set}: ${p}`);
    if (!diff.length) lines.push(`ok  kubectl kustomize ${set}: the same ${(rendered[set] || []).length} object(s), field for field`);
  }
  const strip = (s) => s.split(dir + path.sep).join('');
  for (const l of lines) console.log(strip(l).replace(/^(ok|note) {2}(kubectl kustomize |kubectl not found: the rendering of |kustomize )?/, (m, o, k) => `${o}  ${k || ''}${rel}/`));
  if (problems.length) {
    for (const p of problems) console.error(`FAIL ${rel}/${strip(p)}`);
    console.error(`${problems.length} problem(s) in ${rel}/`);
    return 1;
  }
  console.log(`${rel}/: every file valid, and ${sets.length} kustomization(s) rendered and valid (${sets.join(', ')})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
