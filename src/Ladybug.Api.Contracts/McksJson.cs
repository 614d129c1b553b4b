using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ladybug.Api.Contracts;

/// <summary>How the MCKS-compatible API reads and writes JSON; the server and the CLI share it so they cannot drift.</summary>
public static class McksJson
{
    /// <summary>
    /// camelCase names, case-insensitive reading (cb-mcks's Go binding was too), numbers accepted as strings
    /// (YAML files and old scripts send "3"), comments and trailing commas tolerated, nulls left out.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            // Descriptions and labels in Korean (cb-mcks's users) stay readable instead of \uXXXX escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
