using System.Text.RegularExpressions;

namespace Ladybug.Web.Components.Pages.Account;

/// <summary>
/// The command that signs the ladybug CLI in with a new token: <c>ladybug config add-context NAME --server URL --token TOKEN</c>
/// (src/Ladybug.Cli/Commands/ConfigCommands.cs), so later commands need no flags.
/// </summary>
public static partial class ApiTokenCliLine
{
    /// <summary>The context name when the token's name is not one plain shell word.</summary>
    public const string DefaultContext = "ladybug";

    /// <param name="consoleBaseUri">The console as the browser reaches it (NavigationManager.BaseUri, with its path base).</param>
    public static string For(string consoleBaseUri, string? tokenName, string token)
    {
        var context = tokenName is not null && ShellWord().IsMatch(tokenName) ? tokenName : DefaultContext;
        return $"ladybug config add-context {context} --server {consoleBaseUri.TrimEnd('/')} --token {token}";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex ShellWord();
}
