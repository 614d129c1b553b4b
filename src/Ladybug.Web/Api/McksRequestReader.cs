using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;

namespace Ladybug.Web.Api;

/// <summary>
/// Reads bodies and query values by hand instead of through typed parameter binding, so malformed input is
/// answered with an MCKS Status naming the field, never with an empty 400, a 500 or an HTML page.
/// </summary>
internal static partial class McksRequestReader
{
    private static readonly (string Type, string Words)[] TypeWords =
    [
        ("System.Int32", "a whole number"),
        ("System.Int64", "a whole number"),
        ("System.String", "a string"),
        ("System.Collections.Generic.IReadOnlyList", "a list"),
    ];

    /// <summary>The body as <typeparamref name="T"/>, or a 400 Status saying what is wrong with it and where.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        // Two passes, so that broken JSON and a well-formed value of the wrong type get different answers.
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, DocumentOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, McksResults.BadRequest(
                $"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {Readable(ex.Message)}"));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, McksResults.BadRequest($"The request body must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}."));
            try
            {
                return (document.Deserialize<T>(McksJson.Options), null);
            }
            catch (JsonException ex)
            {
                var field = McksFieldPaths.FromJsonPath(ex.Path) ?? "body";
                var reason = Readable(ex.Message);
                var errors = new ValidationErrors();
                errors.Add(field, reason);
                return (null, McksResults.Status(StatusCodes.Status400BadRequest, $"The request body is not valid: {field}: {reason}", errors.ByField));
            }
        }
    }

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = McksJson.Options.AllowTrailingCommas,
        CommentHandling = McksJson.Options.ReadCommentHandling,
    };

    /// <summary>System.Text.Json's message without its position suffix and .NET type names.</summary>
    private static string Readable(string message)
    {
        var at = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (at < 0) at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = at > 0 ? message[..at] : message;
        foreach (var (type, words) in TypeWords)
            text = text.Replace(type, words, StringComparison.Ordinal);
        text = ContractType().Replace(text, "a JSON object");
        return text.Replace("The JSON value could not be converted to", "Expected", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Ladybug\.Api\.Contracts\.\w+")]
    private static partial Regex ContractType();

    public static int ReadInt(string name, string? text, int fallback, int min, int max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        errors.Add(name, $"'{text}' is not a whole number between {min} and {max}.");
        return fallback;
    }

    public static long ReadLong(string name, string? text, long fallback, long min, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min)
            return value;
        errors.Add(name, $"'{text}' is not a whole number of at least {min}.");
        return fallback;
    }

    /// <summary>The <c>?wait=true</c> switch of the changing routes, or a 400 when it is not a yes/no value.</summary>
    public static (bool Wait, IResult? Error) ReadWait(string? text)
    {
        var errors = new ValidationErrors();
        var wait = ReadFlag("wait", text, errors);
        return errors.IsValid ? (wait, null) : (false, McksResults.Invalid(errors));
    }

    /// <summary>Y/N like cb-mcks's control-plane flag; true/false for Ladybug's own switches.</summary>
    public static bool ReadFlag(string name, string? text, ValidationErrors errors)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "n" or "no" or "false" or "0":
                return false;
            case "y" or "yes" or "true" or "1":
                return true;
            default:
                errors.Add(name, $"'{text}' is not a yes/no value: use true or false (Y or N).");
                return false;
        }
    }
}
