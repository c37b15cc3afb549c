// Validates rendered Kubernetes YAML offline.
//   node validate.mjs FILE...   (multi-document YAML, e.g. the output of `kubectl kustomize`)
// Built-in and Flux kinds are checked against the OpenAPI schemas shipped in npm `kubernetes-models` and
// `@kubernetes-models/flux-cd` (types, required fields, formats; unknown fields are not reported). Dapr kinds
// have no published schema package, so the Dapr resource specs are checked here by hand. Any other kind fails:
// nothing passes unvalidated. Prints one JSON line; exit code 1 when a document is invalid.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const modelModules = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "source.toolkit.fluxcd.io/v1": "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1",
  "kustomize.toolkit.fluxcd.io/v1": "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1",
};

const daprValidators = {
  Component: validateDaprComponent,
  Configuration: validateDaprConfiguration,
  Resiliency: validateDaprResiliency,
};

async function validate(doc) {
  if (typeof doc !== "object" || doc === null) return ["not a YAML object"];
  const { apiVersion, kind } = doc;
  if (!apiVersion || !kind) return ["apiVersion and kind are required"];
  if (!doc.metadata?.name) return ["metadata.name is required"];
  if (apiVersion === "dapr.io/v1alpha1") {
    const check = daprValidators[kind];
    return check ? check(doc) : [`unknown Dapr kind ${kind}`];
  }
  const modulePath = modelModules[apiVersion];
  if (!modulePath) return [`no schema for ${apiVersion}`];
  const module = await import(modulePath);
  const Model = module[kind];
  if (!Model) return [`no schema for ${apiVersion} ${kind}`];
  try {
    new Model(doc).validate();
    return [];
  } catch (error) {
    return [error.message];
  }
}

const isString = (v) => typeof v === "string" && v.length > 0;
const isDuration = (v) => typeof v === "string" && /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v);

function validateDaprComponent(doc) {
  const errors = [];
  const spec = doc.spec ?? {};
  if (!isString(spec.type) || !/^[a-z0-9]+\.[a-z0-9.\-]+$/i.test(spec.type)) errors.push("spec.type must be <building block>.<name>, e.g. pubsub.redis");
  if (!isString(spec.version) || !/^v\d+/.test(spec.version)) errors.push("spec.version must be v1, v2, ...");
  if (!Array.isArray(spec.metadata)) errors.push("spec.metadata must be a list");
  for (const [i, entry] of (spec.metadata ?? []).entries()) {
    if (!isString(entry?.name)) errors.push(`spec.metadata[${i}].name is required`);
    const hasValue = entry?.value !== undefined;
    const ref = entry?.secretKeyRef;
    if (hasValue === (ref !== undefined)) errors.push(`spec.metadata[${i}] needs exactly one of value and secretKeyRef`);
    if (hasValue && typeof entry.value !== "string") errors.push(`spec.metadata[${i}].value must be a string`);
    if (ref !== undefined && (!isString(ref.name) || !isString(ref.key))) errors.push(`spec.metadata[${i}].secretKeyRef needs name and key`);
  }
  if (doc.scopes !== undefined && !(Array.isArray(doc.scopes) && doc.scopes.every(isString))) errors.push("scopes must be a list of app ids");
  return errors;
}

function validateDaprConfiguration(doc) {
  const errors = [];
  const tracing = doc.spec?.tracing;
  if (tracing) {
    if (typeof tracing.samplingRate !== "string") errors.push("spec.tracing.samplingRate must be a string");
    const otel = tracing.otel;
    if (otel) {
      if (!isString(otel.endpointAddress) || otel.endpointAddress.includes("://")) errors.push("spec.tracing.otel.endpointAddress must be host:port");
      if (typeof otel.isSecure !== "boolean") errors.push("spec.tracing.otel.isSecure must be a boolean");
      if (!["grpc", "http"].includes(otel.protocol)) errors.push("spec.tracing.otel.protocol must be grpc or http");
    }
  }
  for (const key of ["metric", "mtls"]) {
    if (doc.spec?.[key] !== undefined && typeof doc.spec[key].enabled !== "boolean") errors.push(`spec.${key}.enabled must be a boolean`);
  }
  return errors;
}

function validateDaprResiliency(doc) {
  const errors = [];
  const policies = doc.spec?.policies ?? {};
  for (const [name, value] of Object.entries(policies.timeouts ?? {})) {
    if (!isDuration(value)) errors.push(`spec.policies.timeouts.${name} must be a duration`);
  }
  for (const [name, retry] of Object.entries(policies.retries ?? {})) {
    if (!["constant", "exponential"].includes(retry.policy)) errors.push(`spec.policies.retries.${name}.policy must be constant or exponential`);
    if (!Number.isInteger(retry.maxRetries)) errors.push(`spec.policies.retries.${name}.maxRetries must be an integer`);
    for (const key of ["duration", "maxInterval"]) {
      if (retry[key] !== undefined && !isDuration(retry[key])) errors.push(`spec.policies.retries.${name}.${key} must be a duration`);
    }
  }
  for (const [name, breaker] of Object.entries(policies.circuitBreakers ?? {})) {
    if (!Number.isInteger(breaker.maxRequests)) errors.push(`spec.policies.circuitBreakers.${name}.maxRequests must be an integer`);
    for (const key of ["interval", "timeout"]) {
      if (!isDuration(breaker[key])) errors.push(`spec.policies.circuitBreakers.${name}.${key} must be a duration`);
    }
    if (!isString(breaker.trip)) errors.push(`spec.policies.circuitBreakers.${name}.trip is required`);
  }
  const known = { timeout: policies.timeouts ?? {}, retry: policies.retries ?? {}, circuitBreaker: policies.circuitBreakers ?? {} };
  for (const [component, target] of Object.entries(doc.spec?.targets?.components ?? {})) {
    for (const direction of ["inbound", "outbound"]) {
      for (const [key, names] of Object.entries(known)) {
        const ref = target?.[direction]?.[key];
        if (ref !== undefined && !(ref in names)) errors.push(`spec.targets.components.${component}.${direction}.${key} names unknown policy '${ref}'`);
      }
    }
  }
  return errors;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE...");
  process.exit(2);
}

const report = { validated: 0, kinds: {}, errors: [] };
for (const file of files) {
  const docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d !== null && d !== undefined);
  for (const doc of docs) {
    const id = `${file}: ${doc?.kind ?? "?"} ${doc?.metadata?.name ?? "?"}`;
    const problems = await validate(doc);
    report.validated++;
    report.kinds[`${doc?.apiVersion}/${doc?.kind}`] = (report.kinds[`${doc?.apiVersion}/${doc?.kind}`] ?? 0) + 1;
    for (const problem of problems) report.errors.push(`${id}: ${problem}`);
  }
}

console.log(JSON.stringify(report));
process.exit(report.errors.length === 0 ? 0 : 1);
