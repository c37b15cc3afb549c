// node-opcua client that cross-checks the EdgeApp OPC PLC simulator: browses Objects/OpcPlc/Telemetry/Fast (following
// continuation points), reads FastUInt1..N (in requests of at most 10,000 nodes) twice, `seconds` apart, and prints one
// JSON line {ok, namespaceIndex, browsed, nodes, good, minDelta, meanDelta, maxDelta, elapsedMs, readMs, ...}.
// Usage: node plc-reader.js <endpointUrl> <fastNodeCount> <seconds>
"use strict";
// node-opcua logs warnings on stdout (even after disconnect): send all of it to stderr, keep stdout for the result.
const writeResult = (result) => process.stdout.write(JSON.stringify(result) + "\n");
console.log = console.info = console.warn = (...args) => process.stderr.write(args.join(" ") + "\n");
const os = require("os");
const path = require("path");
const { OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, AttributeIds, BrowseDirection } = require("node-opcua");

const [endpointUrl, countText, secondsText] = process.argv.slice(2);
const count = parseInt(countText, 10);
const seconds = parseFloat(secondsText);
const plcNamespace = "http://microsoft.com/Opc/OpcPlc/";
const chunk = 10000;

async function readAll(session, nodeIds) {
  const values = [];
  for (let i = 0; i < nodeIds.length; i += chunk) {
    const part = nodeIds.slice(i, i + chunk).map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value }));
    values.push(...(await session.read(part)));
  }
  return values;
}

async function browseAll(session, nodeId) {
  let result = await session.browse({ nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: "HierarchicalReferences", includeSubtypes: true });
  let references = result.references || [];
  while (result.continuationPoint && result.continuationPoint.length > 0) {
    result = await session.browseNext(result.continuationPoint, false);
    references = references.concat(result.references || []);
  }
  return references;
}

async function main() {
  const result = { ok: false };
  const client = OPCUAClient.create({
    applicationName: "EdgeAppPlcReader",
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    requestedSessionTimeout: 120000,
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: path.join(os.tmpdir(), "edgeapp-plc-reader-pki"),
      automaticallyAcceptUnknownCertificate: true,
    }),
  });
  try {
    await client.connect(endpointUrl);
    const session = await client.createSession();
    const namespaces = await session.readNamespaceArray();
    const ns = namespaces.indexOf(plcNamespace);
    result.namespaceIndex = ns;
    if (ns < 0) throw new Error(`namespace ${plcNamespace} missing: ${namespaces}`);

    result.browsed = (await browseAll(session, `ns=${ns};s=Fast`)).length;
    const basic = await readAll(session, [`ns=${ns};s=StepUp`, `ns=${ns};s=AlternatingBoolean`, `ns=${ns};s=SpikeData`]);
    result.basic = basic.map((v) => ({ status: v.statusCode.name, type: v.value.dataType, value: v.value.value }));

    const nodeIds = [];
    for (let i = 1; i <= count; i++) nodeIds.push(`ns=${ns};s=FastUInt${i}`);
    let started = Date.now();
    const first = await readAll(session, nodeIds);
    result.readMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const second = await readAll(session, nodeIds);
    result.elapsedMs = Date.now() - started;

    let good = 0, min = Number.MAX_SAFE_INTEGER, max = 0, sum = 0;
    for (let i = 0; i < count; i++) {
      if (first[i].statusCode.isGood() && second[i].statusCode.isGood()) good++;
      const delta = second[i].value.value - first[i].value.value;
      min = Math.min(min, delta);
      max = Math.max(max, delta);
      sum += delta;
    }
    Object.assign(result, { nodes: count, good, minDelta: min, maxDelta: max, meanDelta: sum / count });
    await session.close();
    result.ok = true;
  } catch (err) {
    result.error = String(err && err.message ? err.message : err);
  } finally {
    await client.disconnect();
  }
  writeResult(result);
}

main();
