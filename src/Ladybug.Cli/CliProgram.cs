namespace Ladybug.Cli;

/// <summary>The <c>ladybug</c> executable: the real console and process environment around <see cref="LadybugCli"/>.</summary>
public static class CliProgram
{
    public static Task<int> Main(string[] args) => LadybugCli.RunAsync(args, CliEnvironment.FromProcess());
}
