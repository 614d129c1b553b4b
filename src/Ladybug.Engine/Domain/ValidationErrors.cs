namespace Ladybug.Engine.Domain;

/// <summary>Errors keyed by field path (<c>workerPools[1].count</c>), each a sentence a person can act on.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> ByField =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        if (!list.Contains(message))
            list.Add(message);
    }

    public IReadOnlyList<string> For(string field) =>
        _errors.TryGetValue(field, out var list) ? list : [];

    public string? First(string field) =>
        _errors.TryGetValue(field, out var list) && list.Count > 0 ? list[0] : null;

    public void Merge(ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
            foreach (var message in messages)
                Add(field, message);
    }

    public override string ToString() =>
        string.Join("; ", _errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}

/// <summary>Thrown by services when a request fails validation; carries the field errors.</summary>
public sealed class ClusterValidationException(ValidationErrors errors) : Exception(errors.ToString())
{
    public ValidationErrors Errors { get; } = errors;
}
