namespace Ladybug.Cli;

/// <summary>
/// Everything the CLI reads from or writes to the outside world, so tests can run commands in-process
/// with their own output, environment variables and home directory.
/// </summary>
public sealed record CliEnvironment(
    TextWriter Output,
    TextWriter Error,
    TextReader Input,
    Func<string, string?> Variable,
    string HomeDirectory)
{
    public static CliEnvironment FromProcess() => new(
        Console.Out,
        Console.Error,
        Console.In,
        Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Reads a file, or standard input for "-" (like cbadm's -f -).</summary>
    public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        path == "-" ? Input.ReadToEndAsync(cancellationToken) : File.ReadAllTextAsync(path, cancellationToken);
}
