// node-opcua server for the EdgeApp interop tests and the read-loop benchmark.
// Usage: node server.js <port> [variableCount] [changeIntervalMs] [each|shared]. With a change interval, every bench
// variable s=V0.. gets a new value (the same increasing number for all) each interval: "each" (the default) calls
// setValueFromSource with a new value per variable, as applications usually do; "shared" passes one Variant instance
// to all of them (node-opcua's cheapest way). Prints {"ready":true,"endpointUrl":...,"namespaceUri":...} once
// listening; exits when stdin closes (the parent process ended) or on SIGTERM.
"use strict";
const os = require("os");
const path = require("path");
const {
  OPCUAServer, OPCUACertificateManager, Variant, DataType, StatusCodes, MessageSecurityMode, SecurityPolicy, resolveNodeId,
} = require("node-opcua");

const port = Number(process.argv[2] || 4841);
const variableCount = Number(process.argv[3] || 0);
const changeIntervalMs = Number(process.argv[4] || 0);
const changeMode = process.argv[5] || "each";
const namespaceUri = "urn:edgeapp:interop:node-opcua";

async function main() {
  const pki = path.join(os.tmpdir(), "edgeapp-interop-server-pki");
  const server = new OPCUAServer({
    port,
    resourcePath: "/UA/Interop",
    securityModes: [MessageSecurityMode.None],
    securityPolicies: [SecurityPolicy.None],
    allowAnonymous: true,
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true }),
    buildInfo: { productName: "EdgeAppInteropPeer", softwareVersion: "1.0.0" },
    serverCapabilities: { maxSessions: 20, operationLimits: { maxNodesPerRead: 10000, maxNodesPerBrowse: 10000 } },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  const ns = addressSpace.registerNamespace(namespaceUri);
  const folder = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Interop", nodeId: "s=Interop" });

  const scalars = {
    Boolean: [DataType.Boolean, true], SByte: [DataType.SByte, -8], Byte: [DataType.Byte, 200],
    Int16: [DataType.Int16, -1600], UInt16: [DataType.UInt16, 1600], Int32: [DataType.Int32, -32],
    UInt32: [DataType.UInt32, 32], Int64: [DataType.Int64, [0xffffffff, 0xfffffff0]], UInt64: [DataType.UInt64, [0, 64]],
    Float: [DataType.Float, 1.5], Double: [DataType.Double, 3.25], String: [DataType.String, "Hot水"],
    DateTime: [DataType.DateTime, new Date(Date.UTC(2024, 4, 6, 7, 8, 9))],
    Guid: [DataType.Guid, "72962B91-FA75-4AE6-8D28-B404DC7DAF63"], ByteString: [DataType.ByteString, Buffer.from([1, 2, 3])],
    LocalizedText: [DataType.LocalizedText, { locale: "en", text: "text" }], QualifiedName: [DataType.QualifiedName, { namespaceIndex: 1, name: "q" }],
    NodeId: [DataType.NodeId, resolveNodeId("ns=1;s=x")], StatusCode: [DataType.StatusCode, StatusCodes.BadNodeIdUnknown],
  };
  for (const [name, [dataType, value]] of Object.entries(scalars)) {
    ns.addVariable({ componentOf: folder, browseName: name, nodeId: `s=${name}`, dataType, value: { dataType, arrayType: 0, value } });
  }

  let counter = 0;
  ns.addVariable({
    componentOf: folder, browseName: "Counter", nodeId: "s=Counter", dataType: "Int32",
    accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite",
    value: {
      get: () => new Variant({ dataType: DataType.Int32, value: counter }),
      set: (variant) => { counter = variant.value; return StatusCodes.Good; },
    },
  });
  ns.addVariable({
    componentOf: folder, browseName: "DoubleArray", nodeId: "s=DoubleArray", dataType: "Double", valueRank: 1,
    accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite",
    value: { dataType: DataType.Double, arrayType: 1, value: [1, 2, 3] },
  });

  const methods = ns.addObject({ componentOf: folder, browseName: "Methods", nodeId: "s=Methods" });
  const add = ns.addMethod(methods, {
    browseName: "Add", nodeId: "s=Add",
    inputArguments: [{ name: "a", dataType: DataType.Int32 }, { name: "b", dataType: DataType.Int32 }],
    outputArguments: [{ name: "sum", dataType: DataType.Int32 }],
  });
  add.bindMethod((inputs, context, callback) => callback(null, {
    statusCode: StatusCodes.Good,
    outputArguments: [{ dataType: DataType.Int32, value: inputs[0].value + inputs[1].value }],
  }));

  const benchVariables = [];
  if (variableCount > 0) {
    const bench = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Bench", nodeId: "s=Bench" });
    for (let i = 0; i < variableCount; i++) {
      benchVariables.push(ns.addVariable({ componentOf: bench, browseName: `V${i}`, nodeId: `s=V${i}`, dataType: "Double", value: { dataType: DataType.Double, value: i } }));
    }
  }

  if (changeIntervalMs > 0 && benchVariables.length > 0) {
    let round = 0;
    setInterval(() => {
      round++;
      if (changeMode === "shared") {
        const value = new Variant({ dataType: DataType.Double, value: round });
        for (const variable of benchVariables) variable.setValueFromSource(value, StatusCodes.Good);
      } else {
        for (const variable of benchVariables) variable.setValueFromSource({ dataType: DataType.Double, value: round });
      }
    }, changeIntervalMs);
  }

  await server.start();
  const endpointUrl = `opc.tcp://127.0.0.1:${port}/UA/Interop`;
  process.stdout.write(JSON.stringify({ ready: true, endpointUrl, namespaceUri }) + "\n");

  const stop = async () => { await server.shutdown(0); process.exit(0); };
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ ready: false, error: String(err && err.stack ? err.stack : err) }) + "\n");
  process.exit(1);
});
