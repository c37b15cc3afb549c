using System.Text.Json.Serialization;

namespace EdgeApp.Messaging;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MessagingJsonContext : JsonSerializerContext;
