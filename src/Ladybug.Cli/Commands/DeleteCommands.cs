using System.CommandLine;
using Ladybug.Cli.Api;

namespace Ladybug.Cli.Commands;

/// <summary><c>delete cluster NAME</c> and <c>delete node NAME --cluster C</c>.</summary>
public static class DeleteCommands
{
    public static Command Build(GlobalOptions options, CliEnvironment env) =>
        new("delete", "Delete a cluster, or remove a worker node") { Cluster(options, env), Node(options, env) };

    private static Option<bool> WaitOption() => new("--wait") { Description = "Return only when the machines are gone" };

    private static Command Cluster(GlobalOptions options, CliEnvironment env)
    {
        var name = new NameInput("cluster", "The cluster");
        var wait = WaitOption();
        var command = new Command("cluster", "Delete a cluster and its machines") { wait };
        name.AddTo(command);
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var waiting = run.Get(wait);
            var cluster = name.Required(run, "ladybug delete cluster");
            var response = await run.Api(waiting).DeleteClusterAsync(run.Namespace, cluster, waiting ? true : null, cancellationToken);
            run.Output.WriteLine(LadybugApiClient.Content(response).Message);
            return CreateCommands.StillRunning(run, waiting, response.StatusCode, cluster);
        }));
        return command;
    }

    private static Command Node(GlobalOptions options, CliEnvironment env)
    {
        var name = new NameInput("node", "The worker node");
        var cluster = new Option<string>("--cluster", "-c") { Description = "The cluster", Required = true };
        var wait = WaitOption();
        var command = new Command("node", "Drain and remove a worker node, then delete its machine") { cluster, wait };
        name.AddTo(command);
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var waiting = run.Get(wait);
            var clusterName = run.Get(cluster)!;
            var response = await run.Api(waiting).RemoveNodeAsync(run.Namespace, clusterName, name.Required(run, "ladybug delete node -c CLUSTER"), waiting ? true : null, cancellationToken);
            run.Output.WriteLine(LadybugApiClient.Content(response).Message);
            return CreateCommands.StillRunning(run, waiting, response.StatusCode, clusterName);
        }));
        return command;
    }
}
