using System.CommandLine.Parsing;
using System.Globalization;

namespace Ladybug.Cli.Commands;

/// <summary>
/// Parsers for node counts: a mistyped value is answered with a sentence naming the option, where System.CommandLine's
/// own message names a .NET type ("as expected type 'System.Nullable`1[System.Int32]'").
/// </summary>
public static class WholeNumbers
{
    public static int? One(ArgumentResult result) => result.Tokens.Count == 0 ? null : Parse(result, result.Tokens[^1].Value);

    public static int[] Many(ArgumentResult result) =>
        [.. result.Tokens.Select(token => Parse(result, token.Value)).OfType<int>()];

    private static int? Parse(ArgumentResult result, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        var option = result.Parent is OptionResult given ? given.Option.Name : "This option";
        result.AddError($"{option} takes a whole number of nodes such as 3, not '{text}'.");
        return null;
    }
}
