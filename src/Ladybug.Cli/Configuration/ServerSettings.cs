using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;

namespace Ladybug.Cli.Configuration;

/// <summary>Where the server is, which namespace, and how to sign in: flags first, then environment variables, then the config file's context.</summary>
public sealed record ServerSettings(Uri Server, string Namespace, string? User, string? Password, string? Token)
{
    public const string DefaultServer = "http://localhost:1470";
    public const string DefaultNamespace = "default";

    public AuthenticationHeaderValue? Authorization =>
        Token is not null ? new AuthenticationHeaderValue("Bearer", Token)
        : User is not null ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")))
        : null;

    public static string ConfigPath(ParseResult parse, GlobalOptions options, CliEnvironment env) =>
        parse.GetValue(options.Config) ?? NonEmpty(env.Variable("LADYBUG_CONFIG")) ?? CliConfig.DefaultPath(env.HomeDirectory);

    public static ServerSettings Resolve(ParseResult parse, GlobalOptions options, CliEnvironment env)
    {
        var config = CliConfig.Load(ConfigPath(parse, options, env));
        var contextName = parse.GetValue(options.Context) ?? NonEmpty(env.Variable("LADYBUG_CONTEXT"));
        var context = contextName is null ? config.Current : config.Get(contextName);

        var fromFlags = new CliContext
        {
            Server = parse.GetValue(options.Server), Namespace = parse.GetValue(options.Namespace),
            User = parse.GetValue(options.User), Password = parse.GetValue(options.Password), Token = parse.GetValue(options.Token),
        };
        var fromEnvironment = new CliContext
        {
            Server = NonEmpty(env.Variable("LADYBUG_SERVER")), Namespace = NonEmpty(env.Variable("LADYBUG_NAMESPACE")),
            User = NonEmpty(env.Variable("LADYBUG_USER")), Password = env.Variable("LADYBUG_PASSWORD"), Token = NonEmpty(env.Variable("LADYBUG_TOKEN")),
        };
        CliContext[] levels = context is null ? [fromFlags, fromEnvironment] : [fromFlags, fromEnvironment, context];

        var server = ParseServer(levels.Select(l => l.Server).FirstOrDefault(s => s is not null) ?? DefaultServer);
        var ns = levels.Select(l => l.Namespace).FirstOrDefault(n => n is not null) ?? DefaultNamespace;
        // Credentials come as a set from one level, so a user given on the command line is never paired with a token from the file.
        var credentials = levels.FirstOrDefault(l => l.Token is not null || l.User is not null);
        if (credentials is null) return new ServerSettings(server, ns, null, null, null);
        if (credentials.Token is not null) return new ServerSettings(server, ns, null, null, credentials.Token);
        // A password alone on a more specific level (--password with LADYBUG_USER) goes with that user.
        var password = levels.TakeWhile(l => l != credentials).Select(l => l.Password).FirstOrDefault(p => p is not null) ?? credentials.Password
            ?? throw new CliException($"No password for user '{credentials.User}': pass --password, set LADYBUG_PASSWORD, or use an API token (--token, LADYBUG_TOKEN).");
        return new ServerSettings(server, ns, credentials.User, password, null);
    }

    private static Uri ParseServer(string text)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : $"http://{text}";
        if (Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return new Uri(uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/') + "/");
        throw new CliException($"'{text}' is not a server URL like http://localhost:1470.");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
