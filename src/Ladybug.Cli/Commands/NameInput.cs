using System.CommandLine;

namespace Ladybug.Cli.Commands;

/// <summary>
/// The object a get or delete command acts on: a NAME argument, or cbadm's <c>--name NAME</c> (a root flag of cbadm,
/// cb-mcks src/grpc-api/cbadm/cmd/root.go:50 and "cluster (NAME | --name NAME)" in get.go and delete.go @v0.7.0),
/// so commands copied from cbadm run unchanged.
/// </summary>
public sealed class NameInput(string what, string argumentHelp)
{
    public Argument<string?> Argument { get; } = new("NAME") { Description = argumentHelp, Arity = ArgumentArity.ZeroOrOne };
    public Option<string?> Option { get; } = new("--name") { Description = $"The {what}, as cbadm spells it (same as NAME)" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Argument);
        command.Options.Add(Option);
    }

    /// <summary>The name given either way, or null; both ways with different names is an error.</summary>
    public string? Find(Invocation run)
    {
        var positional = run.Get(Argument);
        var flag = run.Get(Option);
        if (positional is not null && flag is not null && positional != flag)
            throw new CliException($"Two {what} names given: '{positional}' and --name '{flag}'. Give one.");
        return positional ?? flag;
    }

    public string Required(Invocation run, string usage) =>
        Find(run) ?? throw new CliException($"Name the {what}: {usage} NAME (or --name NAME, as cbadm).");
}
