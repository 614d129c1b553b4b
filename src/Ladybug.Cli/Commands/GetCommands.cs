using System.CommandLine;
using Ladybug.Api.Contracts;
using Ladybug.Cli.Output;

namespace Ladybug.Cli.Commands;

/// <summary><c>get cluster [NAME]</c> and <c>get node [NAME] --cluster C</c>: a table by default, -o yaml|json for scripts.</summary>
public static class GetCommands
{
    public static Command Build(GlobalOptions options, CliEnvironment env) =>
        new("get", "Show clusters or nodes") { Cluster(options, env), Node(options, env) };

    private static Command Cluster(GlobalOptions options, CliEnvironment env)
    {
        var name = new NameInput("cluster", "One cluster; all clusters of the namespace when left out");
        var command = new Command("cluster", "List the clusters of the namespace, or show one");
        name.AddTo(command);
        command.Aliases.Add("clusters");
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var api = run.Api();
            if (name.Find(run) is { } one)
                run.Printer().Write(await api.GetClusterAsync(run.Namespace, one, cancellationToken), c => Printer.Clusters([c]));
            else
                run.Printer().Write(await api.ListClustersAsync(run.Namespace, cancellationToken), list => Printer.Clusters(list.Items));
            return Invocation.Success;
        }));
        return command;
    }

    private static Command Node(GlobalOptions options, CliEnvironment env)
    {
        var name = new NameInput("node", "One node; all nodes of the cluster when left out");
        var cluster = new Option<string>("--cluster", "-c") { Description = "The cluster", Required = true };
        var command = new Command("node", "List the nodes of a cluster, or show one") { cluster };
        name.AddTo(command);
        command.Aliases.Add("nodes");
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var api = run.Api();
            if (name.Find(run) is { } one)
                run.Printer().Write(await api.GetNodeAsync(run.Namespace, run.Get(cluster)!, one, cancellationToken), n => Printer.Nodes([n]));
            else
                run.Printer().Write(await api.ListNodesAsync(run.Namespace, run.Get(cluster)!, cancellationToken), (NodeList list) => Printer.Nodes(list.Items));
            return Invocation.Success;
        }));
        return command;
    }
}
