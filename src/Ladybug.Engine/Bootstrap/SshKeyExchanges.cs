using Microsoft.Extensions.Options;
using Renci.SshNet;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// The order in which the engine offers SSH key exchanges (<see cref="SshOptions.PreferredKeyExchanges"/> first, then
/// SSH.NET's others in its own order, so no server that SSH.NET can talk to is refused).
/// </summary>
internal static class SshKeyExchanges
{
    /// <summary>Every key exchange SSH.NET implements, in its default order.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. new ConnectionInfo("localhost", "root", new NoneAuthenticationMethod("root")).KeyExchangeAlgorithms.Keys];

    /// <summary>The names in a comma-separated preference that SSH.NET does not implement.</summary>
    public static IReadOnlyList<string> Unknown(string preferred) => [.. Parse(preferred).Where(name => !Known.Contains(name, StringComparer.Ordinal))];

    /// <summary>Puts the preferred key exchanges first (negotiation picks the client's first one the server offers).</summary>
    public static void Prefer(ConnectionInfo connection, string preferred)
    {
        var algorithms = connection.KeyExchangeAlgorithms;
        var first = Parse(preferred).Where(algorithms.ContainsKey).ToList();
        var ordered = first.Concat(algorithms.Keys.Except(first, StringComparer.Ordinal)).Select(name => (name, algorithms[name])).ToList();
        algorithms.Clear();
        foreach (var (name, create) in ordered) algorithms.Add(name, create);
    }

    private static IEnumerable<string> Parse(string preferred) =>
        preferred.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal);
}

/// <summary>A misspelt key exchange would silently fall back to SSH.NET's order: refuse it at start-up instead.</summary>
internal sealed class SshOptionsValidator : IValidateOptions<SshOptions>
{
    public ValidateOptionsResult Validate(string? name, SshOptions options) =>
        SshKeyExchanges.Unknown(options.PreferredKeyExchanges) is { Count: > 0 } unknown
            ? ValidateOptionsResult.Fail($"{SshOptions.Section}:{nameof(SshOptions.PreferredKeyExchanges)}: SSH.NET does not implement " +
                $"{string.Join(", ", unknown)}; it knows {string.Join(", ", SshKeyExchanges.Known)}.")
            : ValidateOptionsResult.Success;
}
