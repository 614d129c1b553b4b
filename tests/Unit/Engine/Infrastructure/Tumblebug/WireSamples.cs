using System.Text.Json;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>The sample payloads in Samples/ and a comparison of JSON shapes (keys and kinds, not values).</summary>
internal static class WireSamples
{
    /// <summary>Objects whose keys are data, not schema.</summary>
    private static readonly HashSet<string> Maps = ["label"];

    public static string Text(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Engine", "Infrastructure", "Tumblebug", "Samples", name));

    public static JsonElement Json(string name) => JsonDocument.Parse(Text(name)).RootElement.Clone();

    /// <summary>
    /// Where <paramref name="actual"/> differs in shape from <paramref name="sample"/>: keys missing, keys extra,
    /// kinds that differ. A null on either side matches anything (Go writes nil slices as null).
    /// <paramref name="subset"/> allows missing keys (a client request sends only what it needs).
    /// </summary>
    public static List<string> ShapeDifferences(JsonElement sample, JsonElement actual, bool subset = false, string path = "$")
    {
        var differences = new List<string>();
        if (sample.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null)
            return differences;
        if (Kind(sample) != Kind(actual))
        {
            differences.Add($"{path}: sample has {sample.ValueKind}, actual has {actual.ValueKind}");
            return differences;
        }
        switch (sample.ValueKind)
        {
            case JsonValueKind.Object when Maps.Contains(path[(path.LastIndexOf('.') + 1)..]):
                break;
            case JsonValueKind.Object:
                var expected = sample.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var seen = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                if (!subset)
                    differences.AddRange(expected.Keys.Except(seen.Keys).Select(k => $"{path}.{k}: missing"));
                differences.AddRange(seen.Keys.Except(expected.Keys).Select(k => $"{path}.{k}: not in the sample"));
                foreach (var key in expected.Keys.Intersect(seen.Keys))
                    differences.AddRange(ShapeDifferences(expected[key], seen[key], subset, $"{path}.{key}"));
                break;
            case JsonValueKind.Array when sample.GetArrayLength() > 0 && actual.GetArrayLength() > 0:
                foreach (var (item, index) in actual.EnumerateArray().Select((e, i) => (e, i)))
                    differences.AddRange(ShapeDifferences(sample[0], item, subset, $"{path}[{index}]"));
                break;
        }
        return differences;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString(),
    };
}
