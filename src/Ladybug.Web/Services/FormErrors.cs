using Ladybug.Engine.Domain;

namespace Ladybug.Web.Services;

/// <summary>
/// The engine validator's errors for a form, and which of them to show yet: a field's error shows once
/// the field was edited, or once its whole section was revealed (the user tried to move on or submit).
/// Field paths are the validator's (<c>workerPools[1].count</c>).
/// </summary>
public sealed class FormErrors
{
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revealed = new(StringComparer.Ordinal);

    public ValidationErrors Errors { get; private set; } = new();

    public bool IsValid => Errors.IsValid;

    public void Set(ValidationErrors errors) => Errors = errors;

    public void Touch(string path) => _touched.Add(path);

    /// <summary>Shows every error under these paths (a section's fields), edited or not.</summary>
    public void Reveal(IEnumerable<string> prefixes) => _revealed.UnionWith(prefixes);

    public bool IsVisible(string path) => _touched.Contains(path) || _revealed.Any(prefix => Covers(prefix, path));

    /// <summary>The error to show next to a field, or null.</summary>
    public string? For(string path) => IsVisible(path) ? Errors.First(path) : null;

    public bool Has(string path) => For(path) is not null;

    /// <summary>Whether any error (shown or not) lies under these paths.</summary>
    public bool AnyUnder(IEnumerable<string> prefixes) => Errors.ByField.Keys.Any(path => prefixes.Any(prefix => Covers(prefix, path)));

    /// <summary>Errors no field of the form claims, so they can be listed instead of lost.</summary>
    public IEnumerable<string> Unplaced(IEnumerable<string> fieldPaths)
    {
        var placed = fieldPaths.ToHashSet(StringComparer.Ordinal);
        return Errors.ByField.Where(e => !placed.Contains(e.Key)).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"));
    }

    public static bool Covers(string prefix, string path) =>
        path == prefix || path.StartsWith(prefix + ".", StringComparison.Ordinal) || path.StartsWith(prefix + "[", StringComparison.Ordinal);
}
