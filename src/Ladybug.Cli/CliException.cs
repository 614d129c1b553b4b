namespace Ladybug.Cli;

/// <summary>A failure the user can act on; its message is printed as is and the process exits with 1.</summary>
public sealed class CliException(string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public IReadOnlyList<string> Details { get; } = details ?? [];
}
