// node-opcua client driven by the EdgeApp interop tests: connects to an EdgeApp server, runs every step and prints
// one JSON object {ok, steps:[{name, ok, detail}], ...} on stdout. Usage: node client.js <endpointUrl> <namespaceUri>
"use strict";
const os = require("os");
const path = require("path");
const {
  OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, AttributeIds, BrowseDirection,
  NodeClass, DataType, StatusCodes, resolveNodeId, makeBrowsePath,
} = require("node-opcua");

const [endpointUrl, namespaceUri] = process.argv.slice(2);
const steps = [];
const result = { ok: false, steps, browsed: 0, variables: 0, readGood: 0 };

async function step(name, fn) {
  try {
    const detail = await fn();
    steps.push({ name, ok: true, detail: detail === undefined ? null : detail });
    return true;
  } catch (err) {
    steps.push({ name, ok: false, detail: String(err && err.message ? err.message : err) });
    return false;
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  const certificateManager = new OPCUACertificateManager({
    rootFolder: path.join(os.tmpdir(), "edgeapp-interop-client-pki"),
    automaticallyAcceptUnknownCertificate: true,
  });
  const client = OPCUAClient.create({
    applicationName: "EdgeAppInteropClient",
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    endpointMustExist: true,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    requestedSessionTimeout: 60000,
    clientCertificateManager: certificateManager,
  });
  let session;
  const connected = await step("connect", async () => { await client.connect(endpointUrl); });
  if (!connected) return;

  await step("getEndpoints", async () => {
    const endpoints = await client.getEndpoints();
    check(endpoints.length > 0, "no endpoints");
    check(endpoints.some((e) => e.securityPolicyUri === SecurityPolicy.None), "no None endpoint");
    return endpoints.map((e) => e.endpointUrl);
  });

  await step("findServers", async () => {
    const servers = await client.findServers();
    check(servers.length === 1, `expected 1 server, got ${servers.length}`);
    return servers[0].applicationUri;
  });

  if (!(await step("createSession", async () => { session = await client.createSession(); }))) {
    await client.disconnect();
    return;
  }

  let ns = -1;
  await step("readNamespaceArray", async () => {
    const namespaces = await session.readNamespaceArray();
    ns = namespaces.indexOf(namespaceUri);
    check(ns > 0, `namespace ${namespaceUri} missing from ${namespaces}`);
    return namespaces;
  });

  const variables = [];
  await step("browseObjectsRecursively", async () => {
    const seen = new Set();
    const queue = [resolveNodeId("ObjectsFolder")];
    while (queue.length > 0) {
      const nodeId = queue.shift();
      const key = nodeId.toString();
      if (seen.has(key)) continue;
      seen.add(key);
      let browse = await session.browse({
        nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: "HierarchicalReferences",
        includeSubtypes: true, nodeClassMask: 0, resultMask: 63,
      });
      check(browse.statusCode.isGood(), `browse ${key}: ${browse.statusCode.toString()}`);
      let references = browse.references || [];
      while (browse.continuationPoint && browse.continuationPoint.length > 0) {
        browse = await session.browseNext(browse.continuationPoint, false);
        check(browse.statusCode.isGood(), `browseNext ${key}: ${browse.statusCode.toString()}`);
        references = references.concat(browse.references || []);
      }
      for (const ref of references) {
        if (ref.nodeClass === NodeClass.Variable) variables.push(ref.nodeId);
        if (ref.nodeClass === NodeClass.Object || ref.nodeClass === NodeClass.Variable) queue.push(ref.nodeId);
      }
    }
    result.browsed = seen.size;
    check(variables.length > 0, "no variables found");
    return seen.size;
  });

  await step("readEveryVariable", async () => {
    const unique = [...new Map(variables.map((v) => [v.toString(), v])).values()];
    result.variables = unique.length;
    const values = await session.read(unique.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })));
    const bad = [];
    values.forEach((dv, i) => {
      // Write-only variables legitimately answer BadNotReadable.
      if (dv.statusCode.isGood()) result.readGood++;
      else if (dv.statusCode !== StatusCodes.BadNotReadable) bad.push(`${unique[i].toString()}: ${dv.statusCode.toString()}`);
    });
    check(bad.length === 0, `bad reads: ${bad.join(", ")}`);
    return result.readGood;
  });

  await step("readAttributes", async () => {
    const nodeId = `ns=${ns};s=Int32`;
    const values = await session.read([
      { nodeId, attributeId: AttributeIds.DataType }, { nodeId, attributeId: AttributeIds.BrowseName },
      { nodeId, attributeId: AttributeIds.AccessLevel }, { nodeId: `ns=${ns};s=Missing`, attributeId: AttributeIds.Value },
    ]);
    check(values[0].value.value.value === DataType.Int32, `DataType ${values[0].value.value}`);
    check(values[1].value.value.name === "Int32", `BrowseName ${values[1].value.value}`);
    check(values[3].statusCode === StatusCodes.BadNodeIdUnknown, `missing node: ${values[3].statusCode.toString()}`);
    return "ok";
  });

  await step("write", async () => {
    const nodeId = `ns=${ns};s=Counter`;
    const status = await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Int32, value: 1234 } } });
    check(status.isGood(), `write: ${status.toString()}`);
    const back = await session.read({ nodeId, attributeId: AttributeIds.Value });
    check(back.value.value === 1234, `read back ${back.value.value}`);
    const wrongType = await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.String, value: "x" } } });
    check(wrongType === StatusCodes.BadTypeMismatch, `wrong type: ${wrongType.toString()}`);
    return back.value.value;
  });

  await step("writeArray", async () => {
    const nodeId = `ns=${ns};s=DoubleArray`;
    const status = await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, arrayType: 1, value: [1.5, 2.5, 3.5] } } });
    check(status.isGood(), `write: ${status.toString()}`);
    const back = await session.read({ nodeId, attributeId: AttributeIds.Value });
    check(Array.from(back.value.value).join(",") === "1.5,2.5,3.5", `read back ${Array.from(back.value.value)}`);
    return Array.from(back.value.value);
  });

  await step("callMethod", async () => {
    const result = await session.call({
      objectId: `ns=${ns};s=Methods`, methodId: `ns=${ns};s=Add`,
      inputArguments: [{ dataType: DataType.Int32, value: 2 }, { dataType: DataType.Int32, value: 40 }],
    });
    check(result.statusCode.isGood(), `call: ${result.statusCode.toString()}`);
    check(result.outputArguments[0].value === 42, `sum ${result.outputArguments[0].value}`);
    const bad = await session.call({ objectId: `ns=${ns};s=Methods`, methodId: `ns=${ns};s=Add`, inputArguments: [] });
    check(bad.statusCode === StatusCodes.BadArgumentsMissing, `missing args: ${bad.statusCode.toString()}`);
    return result.outputArguments[0].value;
  });

  await step("readMethodArguments", async () => {
    const args = await session.getArgumentDefinition(resolveNodeId(`ns=${ns};s=Add`));
    check(args.inputArguments.length === 2 && args.outputArguments.length === 1, "argument definitions");
    return args.inputArguments.map((a) => a.name);
  });

  await step("translateBrowsePath", async () => {
    const res = await session.translateBrowsePath(makeBrowsePath("RootFolder", `/Objects/${ns}:Test/${ns}:Scalars/${ns}:Double`));
    check(res.statusCode.isGood(), `translate: ${res.statusCode.toString()}`);
    return res.targets[0].targetId.toString();
  });

  await step("registerNodes", async () => {
    const ids = await session.registerNodes([`ns=${ns};s=Double`]);
    check(ids.length === 1, "registered");
    await session.unregisterNodes(ids);
    return ids[0].toString();
  });

  await step("closeSession", async () => { await session.close(); });
  await step("disconnect", async () => { await client.disconnect(); });
}

const timer = setTimeout(() => {
  steps.push({ name: "timeout", ok: false, detail: "client script took longer than 60 s" });
  finish();
}, 60000);

function finish() {
  clearTimeout(timer);
  result.ok = steps.length > 0 && steps.every((s) => s.ok);
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

main().then(finish, (err) => { steps.push({ name: "unexpected", ok: false, detail: String(err) }); finish(); });
