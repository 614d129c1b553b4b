using System.CommandLine;
using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Cli.Api;
using Ladybug.Cli.Output;
using Table = Ladybug.Cli.Output.Table;

namespace Ladybug.Cli.Commands;

/// <summary><c>create cluster</c> and <c>create node</c>, from flags like cbadm's or from a file (-f).</summary>
public static class CreateCommands
{
    public static Command Build(GlobalOptions options, CliEnvironment env) =>
        new("create", "Create a cluster, or add worker nodes to one") { Cluster(options, env), Node(options, env) };

    private static Option<string?> FileOption() => new("--file", "-f") { Description = "Request body as YAML or JSON with MCKS field names; - reads standard input" };

    private static Option<bool> WaitOption() => new("--wait") { Description = "Return only when the job has ended (the server holds the request)" };

    private static Command Cluster(GlobalOptions options, CliEnvironment env)
    {
        var name = new Option<string?>("--name") { Description = "Cluster name" };
        var file = FileOption();
        var wait = WaitOption();
        var cpConnection = new Option<string?>("--control-plane-connection") { Description = "Cloud connection of the control plane" };
        var cpSpec = new Option<string?>("--control-plane-spec") { Description = "VM spec of the control-plane nodes" };
        var cpCount = new Option<int?>("--control-plane-count") { Description = "Control-plane nodes: 1, 3 or 5 (default 1)", CustomParser = WholeNumbers.One };
        var workers = new WorkerPoolOptions();
        var version = new Option<string?>("--version") { Description = "Kubernetes version, e.g. 1.23.17, or a minor such as 1.18 for its newest patch the console supports (default: the console's newest, as in its wizard)" };
        var cni = new Option<string?>("--cni") { Description = "kilo (default) or canal" };
        var loadBalancer = new Option<string?>("--loadbalancer") { Description = "haproxy (the default and only choice; a cloud NLB is not offered)" };
        var podCidr = new Option<string?>("--pod-cidr") { Description = "Default 10.244.0.0/16" };
        var serviceCidr = new Option<string?>("--service-cidr") { Description = "Default 10.96.0.0/12" };
        var dnsDomain = new Option<string?>("--service-dns-domain") { Description = "Default cluster.local" };
        var description = new Option<string?>("--description");
        var label = new Option<string?>("--label");

        var command = new Command("cluster", "Create a cluster: answers at once with the cluster Pending (or, with --wait, when it is Provisioned)")
        {
            name, file, cpConnection, cpSpec, cpCount, version, cni, loadBalancer, podCidr, serviceCidr, dnsDomain, description, label, wait,
        };
        workers.AddTo(command);
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var path = run.Get(file);
            var request = path is null ? new ClusterRequest() : await RequestFiles.ReadAsync<ClusterRequest>(env, path, cancellationToken);
            var kubernetes = request.Config?.Kubernetes ?? new KubernetesConfig();
            var controlPlane = request.ControlPlane is { Count: > 0 } given ? given[0] : new NodeSetRequest { Count = 1 };
            request = request with
            {
                Name = run.Get(name) ?? request.Name,
                Description = run.Get(description) ?? request.Description,
                Label = run.Get(label) ?? request.Label,
                Config = (request.Config ?? new ClusterConfig()) with
                {
                    Kubernetes = kubernetes with
                    {
                        Version = run.Get(version) ?? kubernetes.Version,
                        NetworkCni = run.Get(cni) ?? kubernetes.NetworkCni,
                        LoadBalancer = run.Get(loadBalancer) ?? kubernetes.LoadBalancer,
                        PodCidr = run.Get(podCidr) ?? kubernetes.PodCidr,
                        ServiceCidr = run.Get(serviceCidr) ?? kubernetes.ServiceCidr,
                        ServiceDnsDomain = run.Get(dnsDomain) ?? kubernetes.ServiceDnsDomain,
                    },
                },
                ControlPlane = path is not null && run.Get(cpConnection) is null && run.Get(cpSpec) is null && run.Get(cpCount) is null
                    ? request.ControlPlane
                    : [controlPlane with
                    {
                        Connection = run.Get(cpConnection) ?? controlPlane.Connection,
                        Spec = run.Get(cpSpec) ?? controlPlane.Spec,
                        Count = run.Get(cpCount) ?? controlPlane.Count,
                    }],
                Worker = workers.Given(run) || path is null ? workers.Build(run) : request.Worker,
            };
            if (string.IsNullOrWhiteSpace(request.Name))
                throw new CliException("Name the cluster with --name (or a name in the file given with -f).");

            var waiting = run.Get(wait);
            var response = await run.Api(waiting).CreateClusterAsync(run.Namespace, request, waiting ? true : null, cancellationToken);
            var cluster = LadybugApiClient.Content(response);
            return Report(run, cluster, c => Printer.Clusters([c]), waiting, response.StatusCode, cluster.Name,
                waiting ? $"Cluster '{cluster.Name}' is {cluster.Status.Phase}." : $"Cluster '{cluster.Name}' accepted: {cluster.Status.Phase}. Follow it with: ladybug logs {cluster.Name} -f");
        }));
        return command;
    }

    private static Command Node(GlobalOptions options, CliEnvironment env)
    {
        var cluster = new Option<string>("--cluster", "-c") { Description = "The cluster to add worker nodes to", Required = true };
        var file = FileOption();
        var wait = WaitOption();
        var workers = new WorkerPoolOptions();
        var command = new Command("node", "Add worker pools to a Provisioned cluster") { cluster, file, wait };
        workers.AddTo(command);
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var path = run.Get(file);
            var request = path is null ? new NodeRequest() : await RequestFiles.ReadAsync<NodeRequest>(env, path, cancellationToken);
            if (workers.Given(run) || path is null)
                request = request with { Worker = workers.Build(run) };

            var waiting = run.Get(wait);
            var name = run.Get(cluster)!;
            var response = await run.Api(waiting).AddNodesAsync(run.Namespace, name, request, waiting ? true : null, cancellationToken);
            var nodes = LadybugApiClient.Content(response);
            return Report(run, nodes, n => Printer.Nodes(n.Items), waiting, response.StatusCode, name,
                waiting ? $"Cluster '{name}' now has {nodes.Items.Count} nodes." : $"Nodes accepted for cluster '{name}'. Follow it with: ladybug logs {name} -f");
        }));
        return command;
    }

    /// <summary>The resource when -o is given, else a sentence; with --wait, a timed-out wait is a failure.</summary>
    private static int Report<T>(Invocation run, T value, Func<T, Table> table, bool waiting, HttpStatusCode? status, string cluster, string message)
    {
        if (run.OutputRequested) run.Printer().Write(value, table);
        else run.Output.WriteLine(message);
        return StillRunning(run, waiting, status, cluster);
    }

    /// <summary>With --wait, a 202 means the server's wait limit passed before the job ended: not a success yet.</summary>
    public static int StillRunning(Invocation run, bool waiting, HttpStatusCode? status, string cluster)
    {
        if (!waiting || status != HttpStatusCode.Accepted) return Invocation.Success;
        run.Env.Error.WriteLine($"Error: the job is still running after the server's wait limit. Follow it with: ladybug logs {cluster} -f");
        return Invocation.Failure;
    }
}
