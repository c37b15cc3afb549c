using System.Text.Json;

namespace EdgeApp.Tests.Faults;

/// <summary>Reads JSON Lines sink files the way a consumer downstream would, tolerating a torn last line.</summary>
internal static class SinkFiles
{
    public static (List<JsonElement> Records, int TornLines) Read(string directory)
    {
        var records = new List<JsonElement>();
        var torn = 0;
        if (!Directory.Exists(directory))
        {
            return (records, torn);
        }

        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                try
                {
                    records.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
                catch (JsonException)
                {
                    torn++;
                }
            }
        }

        return (records, torn);
    }

    public static HashSet<string> Ids(string directory) =>
        Read(directory).Records.Select(r => r.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
}
