using System.CommandLine;
using Ladybug.Api.Contracts;
using Ladybug.Cli.Output;

namespace Ladybug.Cli.Commands;

/// <summary>
/// <c>get cluster [NAME]</c>, <c>get node [NAME] --cluster C</c>, <c>get connections</c> and <c>get specs --connection X</c>
/// (the names a create asks for): a table by default, -o yaml|json for scripts.
/// </summary>
public static class GetCommands
{
    public static Command Build(GlobalOptions options, CliEnvironment env) =>
        new("get", "Show clusters, nodes, cloud connections or VM specs") { Cluster(options, env), Node(options, env), Connections(options, env), Specs(options, env) };

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

    private static Command Connections(GlobalOptions options, CliEnvironment env)
    {
        var command = new Command("connections", "List the cloud connections a pool can name (--control-plane-connection, --worker-connection)");
        command.Aliases.Add("connection");
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            run.Printer().Write(await run.Api().ListConnectionsAsync(cancellationToken), list => Printer.Connections(list.Items));
            return Invocation.Success;
        }));
        return command;
    }

    private static Command Specs(GlobalOptions options, CliEnvironment env)
    {
        var connection = new Option<string>("--connection") { Description = "The cloud connection (see 'ladybug get connections')", Required = true };
        var controlPlane = new Option<bool>("--control-plane") { Description = "Only specs a control plane can use (2 vCPU and 2 GiB or more)" };
        var command = new Command("specs", "List the VM specs of a cloud connection (--control-plane-spec, --worker-spec), smallest first") { connection, controlPlane };
        command.Aliases.Add("spec");
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var specs = await run.Api().ListSpecsAsync(run.Get(connection)!, run.Get(controlPlane) ? "Y" : null, cancellationToken);
            run.Printer().Write(specs, list => Printer.Specs(list.Items));
            return Invocation.Success;
        }));
        return command;
    }
}
