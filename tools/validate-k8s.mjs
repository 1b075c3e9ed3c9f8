#!/usr/bin/env node
// Offline validation of the Kubernetes manifests in k8s/.
//
//   node validate-k8s.mjs [--self-test] [--dir <manifest folder>]
//
// Every document of every k8s/*.yaml (and *.yml) file is
//   1. parsed as YAML 1.1, as kubectl reads it (so `0440` is octal and an unquoted `yes` a boolean);
//      duplicate keys and syntax errors fail;
//   2. validated against the Kubernetes OpenAPI schema of its apiVersion/kind (npm
//      kubernetes-models, the Kubernetes 1.33 API, no cluster needed);
//   3. checked for unknown fields — the schemas allow them, the API server's strict field
//      validation does not, and a misspelt field (`readinesProbe`) would otherwise pass silently;
//   4. checked against our rules: every container has resource requests and limits and a
//      hardened securityContext; long-running containers have readiness and liveness probes;
//      Secrets only as *.template.yaml files with REPLACE_ME placeholders;
//   5. cross-checked: selectors select something, references (ConfigMaps, Secrets, volumes,
//      named ports, the HPA target, the ServiceAccount) exist, no kind/name twice.
// kustomization.yaml is checked for well-formedness and must list every manifest except templates.
//
// Prints one line per valid object; on any problem prints `FAIL file: Kind/name: problem` lines and
// exits 1. --self-test first feeds deliberately broken objects through the same checks and exits 1
// unless every one of them is rejected for the expected reason (proof that the checks bite).

import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
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
    }
    const runAsNonRoot = sec.runAsNonRoot ?? podSec.runAsNonRoot;
    if (runAsNonRoot !== true) problems.push(`${where}: securityContext.runAsNonRoot must be true (container or pod)`);
    const runAsUser = sec.runAsUser ?? podSec.runAsUser;
    if (runAsUser === 0) problems.push(`${where}: runAsUser must not be 0 (root)`);
    if (sec.readOnlyRootFilesystem !== true) problems.push(`${where}: securityContext.readOnlyRootFilesystem must be true`);
    if (sec.allowPrivilegeEscalation !== false) problems.push(`${where}: securityContext.allowPrivilegeEscalation must be false`);
    if (sec.privileged === true) problems.push(`${where}: securityContext.privileged must not be true`);
    if (!(sec.capabilities?.drop || []).includes('ALL')) problems.push(`${where}: securityContext.capabilities.drop must include ALL`);
    const seccomp = (sec.seccompProfile ?? podSec.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where}: seccompProfile.type must be RuntimeDefault or Localhost (container or pod)`);
    if (typeof c.image === 'string' && (!/[:@]/.test(c.image.split('/').pop()) || c.image.endsWith(':latest')))
      problems.push(`${where}: image "${c.image}" needs a fixed tag or digest, not latest`);
    const ports = new Set((c.ports || []).map((p) => p.name).filter(Boolean));
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port ?? c[probe]?.grpc?.port;
      if (typeof port === 'string' && !/^\d+$/.test(port) && !ports.has(port))
        problems.push(`${where}: ${probe} uses port "${port}", which the container does not name`);
    }
    for (const m of c.volumeMounts || [])
      if (!volumes.has(m.name)) problems.push(`${where}: volumeMount "${m.name}" has no volume of that name`);
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
// Across objects.

const selects = (selector, labels) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

function crossProblems(objects) {
  const out = []; // [item, problem]
  const workloads = objects.filter((o) => podTemplate(o.obj));
  const named = (kind) => new Set(objects.filter((o) => o.obj.kind === kind).map((o) => o.obj.metadata?.name));
  const configMaps = named('ConfigMap');
  const secrets = named('Secret');
  const serviceAccounts = named('ServiceAccount');
  const seen = new Map();
  for (const item of objects) {
    const { obj } = item;
    const key = `${obj.apiVersion?.split('/').slice(0, -1).join('/')}|${obj.kind}|${obj.metadata?.namespace || ''}|${obj.metadata?.name}`;
    if (seen.has(key)) out.push([item, `defined twice (also in ${seen.get(key)})`]);
    else seen.set(key, item.file);
    const matchLabels = (sel) => workloads.filter((w) => selects(sel, podTemplate(w.obj).labels));
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
      case 'PodDisruptionBudget':
        if (!matchLabels(obj.spec?.selector?.matchLabels).length) out.push([item, `selector selects no workload's pods`]);
        break;
      case 'NetworkPolicy':
        if (!matchLabels(obj.spec?.podSelector?.matchLabels).length) out.push([item, `podSelector selects no workload's pods`]);
        break;
      case 'HorizontalPodAutoscaler': {
        const ref = obj.spec?.scaleTargetRef || {};
        if (!objects.some((o) => o.obj.kind === ref.kind && o.obj.metadata?.name === ref.name))
          out.push([item, `scaleTargetRef ${ref.kind}/${ref.name} is not defined here`]);
        if ((obj.spec?.minReplicas ?? 1) > obj.spec?.maxReplicas) out.push([item, 'minReplicas is greater than maxReplicas']);
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
    const need = (set, kind, name, optional) => {
      if (!optional && name && !set.has(name)) out.push([item, `refers to ${kind} "${name}", which is not defined here`]);
    };
    for (const v of pod.volumes || []) {
      if (v.configMap) need(configMaps, 'ConfigMap', v.configMap.name, v.configMap.optional);
      if (v.secret) need(secrets, 'Secret', v.secret.secretName, v.secret.optional);
    }
    for (const c of [...(pod.initContainers || []), ...(pod.containers || [])]) {
      for (const e of c.envFrom || []) {
        if (e.configMapRef) need(configMaps, 'ConfigMap', e.configMapRef.name, e.configMapRef.optional);
        if (e.secretRef) need(secrets, 'Secret', e.secretRef.name, e.secretRef.optional);
      }
      for (const e of c.env || []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sk = e.valueFrom?.secretKeyRef;
        if (cm) need(configMaps, 'ConfigMap', cm.name, cm.optional);
        if (sk) need(secrets, 'Secret', sk.name, sk.optional);
        if (sk && !sk.optional) {
          const def = objects.find((o) => o.obj.kind === 'Secret' && o.obj.metadata?.name === sk.name)?.obj;
          if (def && !(sk.key in { ...(def.stringData || {}), ...(def.data || {}) }))
            out.push([item, `env ${e.name}: Secret "${sk.name}" has no key "${sk.key}"`]);
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// kustomization.yaml

const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'resources', 'components', 'namespace', 'namePrefix', 'nameSuffix',
  'labels', 'commonLabels', 'commonAnnotations', 'images', 'replicas', 'patches', 'patchesStrategicMerge',
  'patchesJson6902', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'replacements', 'vars',
  'configurations', 'crds', 'generators', 'transformers', 'validators', 'openapi', 'helmCharts',
  'helmGlobals', 'buildMetadata', 'sortOptions',
]);

function kustomizationProblems(k, fileNames) {
  const problems = [];
  if (!k || typeof k !== 'object' || Array.isArray(k)) return ['not a YAML mapping'];
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1') problems.push('apiVersion must be kustomize.config.k8s.io/v1beta1');
  if (k.kind !== 'Kustomization') problems.push('kind must be Kustomization');
  for (const key of Object.keys(k)) if (!KUSTOMIZATION_FIELDS.has(key)) problems.push(`unknown field "${key}"${closest(key, KUSTOMIZATION_FIELDS)}`);
  const resources = k.resources || [];
  if (!Array.isArray(resources)) return [...problems, 'resources must be a list'];
  for (const r of resources) {
    if (!fileNames.includes(r)) problems.push(`resources: "${r}" is not a manifest file in this folder`);
    if (/\.template\.ya?ml$/.test(r)) problems.push(`resources: "${r}" is a template and must not be applied`);
  }
  for (const f of fileNames)
    if (!/^kustomization\.ya?ml$/.test(f) && !/\.template\.ya?ml$/.test(f) && !resources.includes(f))
      problems.push(`"${f}" is not listed in resources (list it, or name it *.template.yaml if it must not be applied)`);
  for (const img of k.images || []) if (!img?.name) problems.push('images: an entry has no name');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// One run over a set of files: [{ name, text }] -> { lines, problems }.

function validateFiles(files) {
  const problems = [];
  const lines = [];
  const objects = [];
  const fileNames = files.map((f) => f.name);
  for (const { name, text } of files) {
    const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: true });
    const list = Array.isArray(docs) ? docs : [docs];
    let count = 0;
    let parseFailed = false;
    list.forEach((doc, index) => {
      const where = `${name} (document ${index + 1})`;
      for (const e of [...doc.errors, ...doc.warnings]) {
        problems.push(`${where}: YAML: ${e.message.split('\n')[0].replace(/:$/, '')}`);
        parseFailed = true;
      }
      if (doc.errors.length) return;
      const obj = doc.toJS({ maxAliasCount: 100 });
      if (obj === null || obj === undefined) return; // an empty document between ---
      count++;
      if (/^kustomization\.ya?ml$/.test(name)) {
        const found = kustomizationProblems(obj, fileNames);
        for (const p of found) problems.push(`${name}: Kustomization: ${p}`);
        if (!found.length) lines.push(`ok  ${name}  Kustomization (${(obj.resources || []).length} resources)`);
        return;
      }
      if (typeof obj !== 'object' || Array.isArray(obj)) {
        problems.push(`${where}: not a Kubernetes object (a YAML mapping with apiVersion and kind)`);
        return;
      }
      const id = `${obj.kind ?? '?'}/${obj.metadata?.name ?? '?'}`;
      const found = [...schemaProblems(obj), ...workloadProblems(obj), ...secretProblems(obj, name)];
      if (!obj.metadata?.name) found.push('metadata.name is missing');
      for (const p of found) problems.push(`${name}: ${id}: ${p}`);
      objects.push({ file: name, obj, id, ok: found.length === 0 });
    });
    if (count === 0 && !parseFailed) problems.push(`${name}: no Kubernetes objects in this file`);
  }
  const cross = crossProblems(objects);
  for (const [item, p] of cross) {
    problems.push(`${item.file}: ${item.id}: ${p}`);
    item.ok = false;
  }
  for (const item of objects) if (item.ok) lines.push(`ok  ${item.file}  ${item.id} (${item.obj.apiVersion})`);
  return { lines, problems };
}

// ---------------------------------------------------------------------------------------------
// --self-test: broken objects that must be rejected, each for its own reason.

function goodDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'selftest' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'selftest' } },
      template: {
        metadata: { labels: { app: 'selftest' } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'app',
              image: 'registry.example.gov.uk/selftest:1.0.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/health/readiness', port: 'http' } },
              livenessProbe: { httpGet: { path: '/health/liveness', port: 'http' } },
              securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

function selfTest() {
  const container = (d) => d.spec.template.spec.containers[0];
  const broken = (mutate) => {
    const d = goodDeployment();
    mutate(d);
    return [{ name: 'deployment.yaml', text: stringify(d) }];
  };
  const cases = [
    ['replicas is not an integer', broken((d) => (d.spec.replicas = 'three')), '/spec/replicas: must be integer'],
    ['selector is missing', broken((d) => delete d.spec.selector), 'must have required property selector'],
    ['memory limit is not a quantity', broken((d) => (container(d).resources.limits.memory = '1Gq')), 'must match format "quantity"'],
    ['a port protocol is not TCP, UDP or SCTP', broken((d) => (container(d).ports[0].protocol = 'HTTP')), '/protocol: must be equal to one of the allowed values'],
    ['a field is misspelt', broken((d) => { container(d).readinesProbe = container(d).readinessProbe; delete container(d).readinessProbe; }), 'unknown field "readinesProbe" (did you mean "readinessProbe"?)'],
    ['a container has no resource limits', broken((d) => delete container(d).resources.limits), 'no resources.limits.memory'],
    ['a container has no liveness probe', broken((d) => delete container(d).livenessProbe), 'no livenessProbe'],
    ['a container has no readiness probe', broken((d) => delete container(d).readinessProbe), 'no readinessProbe'],
    ['nothing says runAsNonRoot', broken((d) => delete d.spec.template.spec.securityContext.runAsNonRoot), 'runAsNonRoot must be true'],
    ['the root file system is writable', broken((d) => (container(d).securityContext.readOnlyRootFilesystem = false)), 'readOnlyRootFilesystem must be true'],
    ['capabilities are not dropped', broken((d) => delete container(d).securityContext.capabilities), 'capabilities.drop must include ALL'],
    ['a probe names a port the container lacks', broken((d) => (container(d).livenessProbe.httpGet.port = 'admin')), 'uses port "admin"'],
    ['the selector does not match the pod labels', broken((d) => (d.spec.selector.matchLabels.app = 'other')), 'does not match the pod template labels'],
    ['apiVersion does not exist', broken((d) => (d.apiVersion = 'apps/v2')), 'unknown apiVersion/kind'],
    ['a ConfigMap value is a number', [{ name: 'configmap.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  PORT: 8080\n' }], '/data/PORT: must be string'],
    ['a YAML key appears twice', [{ name: 'service.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  name: t\nspec:\n  ports: [{port: 80}]\n' }], 'YAML: Map keys must be unique'],
    ['a real-looking Secret outside a template', [{ name: 'secret.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n' }], 'only be committed as a template'],
    ['a Secret template with a real value', [{ name: 'secret.template.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n' }], 'is not a REPLACE_ME placeholder'],
    ['a Service selects nothing', [...broken(() => {}), { name: 'service.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: nobody}\n  ports: [{port: 80, targetPort: http}]\n' }], 'selects no workload'],
    ['a volume refers to a missing ConfigMap', broken((d) => { d.spec.template.spec.volumes = [{ name: 'v', configMap: { name: 'missing' } }]; container(d).volumeMounts = [{ name: 'v', mountPath: '/v' }]; }), 'refers to ConfigMap "missing"'],
    ['kustomization misses a manifest', [...broken(() => {}), { name: 'kustomization.yaml', text: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [missing.yaml]\n' }], '"deployment.yaml" is not listed in resources'],
  ];
  let failed = 0;
  const good = validateFiles(broken(() => {}));
  if (good.problems.length) {
    failed++;
    console.error(`self-test: the valid baseline Deployment was rejected:\n  ${good.problems.join('\n  ')}`);
  }
  for (const [what, files, expected] of cases) {
    const { problems } = validateFiles(files);
    if (!problems.some((p) => p.includes(expected))) {
      failed++;
      console.error(`self-test: NOT rejected as expected: ${what}\n  expected a problem containing: ${expected}\n  got: ${problems.length ? problems.join('\n       ') : '(no problem at all)'}`);
    }
  }
  if (failed) {
    console.error(`self-test: ${failed} of ${cases.length + 1} checks failed — the validator cannot be trusted`);
    return false;
  }
  console.log(`self-test: the valid baseline passed and all ${cases.length} broken inputs were rejected for the expected reason`);
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
  const names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (!names.length) {
    console.error(`FAIL ${dir}: no *.yaml files`);
    return 1;
  }
  // Names as seen from the repository root (k8s/deployment.yaml), whatever the working folder.
  const fromRoot = path.relative(path.resolve(here, '..'), dir);
  const rel = fromRoot && !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot) ? fromRoot : dir;
  const files = names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
  const { lines, problems } = validateFiles(files);
  for (const l of lines) console.log(l.replace(/^ok {2}/, `ok  ${rel}/`));
  if (problems.length) {
    for (const p of problems) console.error(`FAIL ${rel}/${p}`);
    console.error(`${problems.length} problem(s) in ${rel}/`);
    return 1;
  }
  console.log(`${lines.length} object(s) in ${names.length} file(s) under ${rel}/ are valid`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
