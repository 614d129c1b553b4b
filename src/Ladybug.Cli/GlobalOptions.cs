using System.CommandLine;

namespace Ladybug.Cli;

/// <summary>Options every command accepts (they are recursive on the root command).</summary>
public sealed class GlobalOptions
{
    public const string Yaml = "yaml";
    public const string Json = "json";
    public const string Table = "table";

    public Option<string?> Server { get; } = new("--server", "-s") { Description = "Ladybug console URL, e.g. http://localhost:1470 [env LADYBUG_SERVER]", Recursive = true };
    public Option<string?> User { get; } = new("--user") { Description = "Console user for HTTP Basic [env LADYBUG_USER]", Recursive = true };
    public Option<string?> Password { get; } = new("--password") { Description = "Its password [env LADYBUG_PASSWORD]", Recursive = true };
    public Option<string?> Token { get; } = new("--token") { Description = "API token (lbt_…) created in the console; wins over user and password [env LADYBUG_TOKEN]", Recursive = true };
    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "Namespace (default: the context's, else \"default\") [env LADYBUG_NAMESPACE]", Recursive = true };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Output format: table, yaml or json", Recursive = true };
    public Option<string?> Config { get; } = new("--config") { Description = "Config file (default ~/.ladybug/config.yaml) [env LADYBUG_CONFIG]", Recursive = true };
    public Option<string?> Context { get; } = new("--context") { Description = "Context of the config file to use instead of the current one [env LADYBUG_CONTEXT]", Recursive = true };

    public GlobalOptions() => Output.AcceptOnlyFromAmong(Table, Yaml, Json);

    public IEnumerable<Option> All => [Server, User, Password, Token, Namespace, Output, Config, Context];
}
