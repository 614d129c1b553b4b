using System.CommandLine;
using System.Reflection;
using Ladybug.Cli.Commands;

namespace Ladybug.Cli;

/// <summary>
/// <c>ladybug</c>: cbadm's commands over Ladybug's MCKS-compatible REST API, plus kubeconfig download and
/// live logs over the provisioning hub. Exit code 0 on success, 1 on any failure.
/// </summary>
public static class LadybugCli
{
    public static string Version =>
        typeof(LadybugCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static RootCommand Build(CliEnvironment env)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("Ladybug CLI: multi-cloud Kubernetes clusters through the Ladybug console's MCKS-compatible API.");
        foreach (var option in options.All)
            root.Options.Add(option);
        root.Subcommands.Add(CreateCommands.Build(options, env));
        root.Subcommands.Add(GetCommands.Build(options, env));
        root.Subcommands.Add(DeleteCommands.Build(options, env));
        root.Subcommands.Add(RenewCommands.Build(options, env));
        root.Subcommands.Add(ClusterOutputCommands.Kubeconfig(options, env));
        root.Subcommands.Add(ClusterOutputCommands.Logs(options, env));
        root.Subcommands.Add(ConfigCommands.Build(options, env));
        root.Subcommands.Add(AccountCommands.Unlock(options, env));
        root.Subcommands.Add(Healthy(options, env));
        root.Subcommands.Add(VersionCommand(env));
        return root;
    }

    public static Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default) =>
        Build(env).Parse(args).InvokeAsync(new InvocationConfiguration { Output = env.Output, Error = env.Error }, cancellationToken);

    private static Command Healthy(GlobalOptions options, CliEnvironment env)
    {
        var command = new Command("healthy", "Check that the server answers");
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            run.Output.WriteLine(await run.Api().HealthyAsync(cancellationToken));
            return Invocation.Success;
        }));
        return command;
    }

    private static Command VersionCommand(CliEnvironment env)
    {
        var command = new Command("version", "Print the CLI version");
        command.SetAction(_ => env.Output.WriteLine($"ladybug CLI {Version}"));
        return command;
    }
}
