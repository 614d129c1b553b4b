using System.Text.Json;
using System.Text.Json.Nodes;
using Ladybug.Api.Contracts;
using YamlDotNet.Serialization;

namespace Ladybug.Cli.Commands;

/// <summary>Request bodies from -f: a JSON or YAML file with MCKS's field names, or standard input for "-".</summary>
public static class RequestFiles
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public static async Task<T> ReadAsync<T>(CliEnvironment env, string path, CancellationToken cancellationToken) where T : class
    {
        string text;
        try
        {
            text = await env.ReadFileAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read {path}: {ex.Message}");
        }
        try
        {
            var node = text.TrimStart().StartsWith('{') ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) : FromYaml(text);
            return node.Deserialize<T>(McksJson.Options) ?? throw new CliException($"{Name(path)} is empty.");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{Name(path)} is not a valid request: {ex.Message}");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new CliException($"{Name(path)} is not valid YAML: {ex.Message}");
        }
    }

    private static string Name(string path) => path == "-" ? "Standard input" : path;

    /// <summary>YAML scalars arrive as strings; the API's JSON options read numbers from strings.</summary>
    private static JsonNode? FromYaml(string text) => ToNode(Yaml.Deserialize<object?>(text));

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key.ToString() ?? "", ToNode(e.Value)))),
        IList<object?> list => new JsonArray([.. list.Select(ToNode)]),
        _ => JsonValue.Create(value.ToString()),
    };
}
