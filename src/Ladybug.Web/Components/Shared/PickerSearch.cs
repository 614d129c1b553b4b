namespace Ladybug.Web.Components.Shared;

/// <summary>The wizard pickers' search: words separated by spaces or commas, each found (case-insensitively) in some field.</summary>
public static class PickerSearch
{
    public static string[] Words(string? text) =>
        (text ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool Matches(string[] words, params string?[] fields) =>
        words.All(word => fields.Any(field => field?.Contains(word, StringComparison.OrdinalIgnoreCase) == true));
}
