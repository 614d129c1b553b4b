using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Ladybug.Cli.Configuration;

/// <summary>
/// ~/.ladybug/config.yaml: named contexts (server, namespace, credentials) and the current one, like
/// cbadm's ~/.cbadm/config.yaml. The file holds credentials, so it is written readable by its owner only.
/// </summary>
public sealed class CliConfig
{
    public string? CurrentContext { get; set; }
    public Dictionary<string, CliContext> Contexts { get; set; } = new(StringComparer.Ordinal);

    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance).IgnoreUnmatchedProperties().Build();
    private static readonly ISerializer Writer = new SerializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings(quoteYaml1_1Strings: true).Build();

    public static string DefaultPath(string home) => Path.Combine(home, ".ladybug", "config.yaml");

    public static CliConfig Load(string path)
    {
        if (!File.Exists(path)) return new CliConfig();
        try
        {
            var config = Reader.Deserialize<CliConfig?>(File.ReadAllText(path)) ?? new CliConfig();
            config.Contexts = new Dictionary<string, CliContext>(config.Contexts ?? [], StringComparer.Ordinal);
            return config;
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new CliException($"Cannot read the config file {path}: {ex.Message}");
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, ToYaml());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }

    public string ToYaml() => Writer.Serialize(this);

    public static string ToYaml(CliContext context) => Writer.Serialize(context);

    /// <summary>Not written: the file names the current context once, in current-context, without a YAML alias to it.</summary>
    [YamlIgnore]
    public CliContext? Current => CurrentContext is { } name && Contexts.TryGetValue(name, out var context) ? context : null;

    public CliContext Get(string name) =>
        Contexts.TryGetValue(name, out var context) ? context : throw new CliException($"There is no context named '{name}'. Known contexts: {Known()}.");

    private string Known() => Contexts.Count == 0 ? "none (add one with 'ladybug config add-context')" : string.Join(", ", Contexts.Keys.Order(StringComparer.Ordinal));
}

public sealed class CliContext
{
    public string? Server { get; set; }
    public string? Namespace { get; set; }
    public string? User { get; set; }
    public string? Password { get; set; }
    public string? Token { get; set; }
}
