// node-opcua client that subscribes to <count> variables s=<prefix>0.. of an OPC UA server and counts the data
// change notifications it receives, per second, for <seconds>. Used by the interop tests and the throughput benchmark.
// Usage: node subscribe.js <endpointUrl> <namespaceUri> <count> <seconds> <samplingMs> <publishingMs> [prefix]
// Prints {"event":"subscribed",...} once monitoring, then one JSON result line at the end. It keeps reconnecting
// (node-opcua's own reconnection) if the server goes away, so tests can restart the server underneath it.
"use strict";
const os = require("os");
const path = require("path");
const {
  OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, AttributeIds, TimestampsToReturn,
} = require("node-opcua");

const [endpointUrl, namespaceUri, countText, secondsText, samplingText, publishingText, prefixArg] = process.argv.slice(2);
const count = Number(countText);
const seconds = Number(secondsText);
const samplingMs = Number(samplingText);
const publishingMs = Number(publishingText);
const prefix = prefixArg || "V";

const started = Date.now();
const perSecond = new Array(Math.ceil(seconds) + 1).fill(0);
const result = { ok: false, count, seconds, perSecond, total: 0, reconnections: 0, restored: 0, subscribedAtMs: null, errors: [] };

function emit(obj) { process.stdout.write(JSON.stringify(obj) + "\n"); }

async function main() {
  const client = OPCUAClient.create({
    applicationName: "EdgeAppInteropSubscriber",
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    endpointMustExist: false,
    keepSessionAlive: true,
    requestedSessionTimeout: 20000,
    connectionStrategy: { maxRetry: 1000, initialDelay: 100, maxDelay: 1000 },
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: path.join(os.tmpdir(), "edgeapp-interop-subscriber-pki"),
      automaticallyAcceptUnknownCertificate: true,
    }),
  });
  client.on("connection_lost", () => { result.reconnections++; });
  client.on("after_reconnection", () => { result.restored++; });

  await client.connect(endpointUrl);
  const session = await client.createSession();
  const namespaces = await session.readNamespaceArray();
  const ns = namespaces.indexOf(namespaceUri);
  if (ns < 0) throw new Error(`namespace ${namespaceUri} missing from ${namespaces}`);

  const subscription = await session.createSubscription2({
    requestedPublishingInterval: publishingMs,
    requestedLifetimeCount: 600,
    requestedMaxKeepAliveCount: 10,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    priority: 1,
  });
  const items = [];
  for (let i = 0; i < count; i++) items.push({ nodeId: `ns=${ns};s=${prefix}${i}`, attributeId: AttributeIds.Value });
  const group = await subscription.monitorItems(items, { samplingInterval: samplingMs, queueSize: 1, discardOldest: true }, TimestampsToReturn.Both);
  group.on("changed", () => {
    const second = Math.floor((Date.now() - started) / 1000);
    if (second < perSecond.length) perSecond[second]++;
    result.total++;
  });
  result.subscribedAtMs = Date.now() - started;
  emit({ event: "subscribed", atMs: result.subscribedAtMs, revisedPublishingInterval: subscription.publishingInterval });

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000 - (Date.now() - started))));
  try {
    await subscription.terminate();
    await session.close();
  } catch (err) {
    result.errors.push(`closing: ${err.message}`);
  }
  await client.disconnect();
  result.ok = true;
}

const guard = setTimeout(() => { result.errors.push("timeout"); finish(); }, (seconds + 60) * 1000);

function finish() {
  clearTimeout(guard);
  emit(result);
  process.exit(0);
}

main().then(finish, (err) => { result.errors.push(String(err && err.stack ? err.stack : err)); finish(); });
