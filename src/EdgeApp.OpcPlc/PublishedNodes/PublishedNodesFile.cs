using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeApp.OpcPlc.Nodes;

namespace EdgeApp.OpcPlc.PublishedNodes;

/// <summary>
/// OPC Publisher's published-nodes file for everything the PLC simulates, in OPC PLC's layout:
/// <c>[{"EndpointUrl": "opc.tcp://host:50000", "UseSecurity": false, "OpcNodes": [{"Id": "nsu=...;s=StepUp",
/// "OpcPublishingInterval": 10000, "OpcSamplingInterval": 500}]}]</c>. OpcPublishingInterval is left out when it is
/// 0 or 1000 ms (OPC Publisher's default), OpcSamplingInterval when it is 0. UseSecurity is false because the server
/// offers SecurityPolicy None only.
/// </summary>
public static class PublishedNodesFile
{
    public static byte[] ToJson(string endpointUrl, IEnumerable<PublishedNode> nodes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("EndpointUrl", endpointUrl);
            json.WriteBoolean("UseSecurity", false);
            json.WriteStartArray("OpcNodes");
            foreach (var node in nodes)
            {
                json.WriteStartObject();
                json.WriteString("Id", node.Id);
                if (node.PublishingIntervalMs > 0 && node.PublishingIntervalMs != 1000)
                {
                    json.WriteNumber("OpcPublishingInterval", node.PublishingIntervalMs);
                }

                if (node.SamplingIntervalMs > 0)
                {
                    json.WriteNumber("OpcSamplingInterval", node.SamplingIntervalMs);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static string ToJsonText(string endpointUrl, IEnumerable<PublishedNode> nodes) =>
        Encoding.UTF8.GetString(ToJson(endpointUrl, nodes));

    /// <summary>The machine's first IPv4 address on an interface that is up and not loopback (for <c>--sp</c>).</summary>
    public static string LocalIpAddress()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return (address ?? IPAddress.Loopback).ToString();
    }
}
