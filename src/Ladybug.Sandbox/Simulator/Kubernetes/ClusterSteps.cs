namespace Ladybug.Sandbox.Simulator.Kubernetes;

// The kubectl steps the engine runs on the leader for the whole cluster: label, wait-ready, fetch-kubeconfig, drain-delete-node.

/// <summary><c>label</c>: topology labels and CNI annotations of every given node (name,csp,region,zone,public-ip).</summary>
internal sealed class LabelStep : KubernetesStep
{
    public const string CspLabel = "topology.cloud-barista.github.io/csp";
    public const string RegionLabel = "topology.kubernetes.io/region";
    public const string ZoneLabel = "topology.kubernetes.io/zone";

    public override string Name => "label";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var cni = args.OneOf("cni", "canal", "kilo");
        var entries = args.List("node").Select(Parse).ToList();
        var cluster = RequireAdmin(context);
        if (cluster.Cni is { } installed && installed != cni)
            throw new NodeStepFailure($"--cni={cni} but the cluster's pod network is {installed}");
        foreach (var entry in entries.Where(e => !cluster.Nodes.ContainsKey(e.Name)))
            throw new NodeStepFailure($"Error from server (NotFound): nodes \"{entry.Name}\" not found", 1, verbatim: true);

        var lines = new List<string>();
        var restarts = new List<string>();
        UpdateCluster(context, c =>
        {
            var nodes = new Dictionary<string, KubeNode>(c.Nodes, StringComparer.Ordinal);
            foreach (var (name, csp, region, zone, ip) in entries)
            {
                var node = nodes.GetValueOrDefault(name)
                    ?? throw new NodeStepFailure($"Error from server (NotFound): nodes \"{name}\" not found", 1, verbatim: true);
                var labels = new SortedDictionary<string, string>(node.Labels, StringComparer.Ordinal)
                {
                    [CspLabel] = csp, [RegionLabel] = region, [ZoneLabel] = zone,
                };
                var annotations = new SortedDictionary<string, string>(node.Annotations, StringComparer.Ordinal);
                if (cni == "kilo")
                {
                    annotations["kilo.squat.ai/location"] = name;
                    annotations["kilo.squat.ai/persistent-keepalive"] = "25";
                    annotations["kilo.squat.ai/force-endpoint"] = $"{ip}:51820";
                }
                else if (annotations.GetValueOrDefault("flannel.alpha.coreos.com/public-ip-overwrite") != ip)
                {
                    annotations["flannel.alpha.coreos.com/public-ip-overwrite"] = ip;
                    restarts.Add(name);
                }
                nodes[name] = node with { Labels = labels, Annotations = annotations };
                lines.Add(Log($"{name}: csp={csp} region={region} zone={zone} public-ip={ip}"));
            }
            return c with { Nodes = nodes };
        });
        lines.AddRange(restarts.Select(name => $"pod \"canal-{PodSuffix(name)}\" deleted"));
        await context.WorkAsync(lines);
        return 0;
    }

    private static (string Name, string Csp, string Region, string Zone, string Ip) Parse(string value)
    {
        var parts = value.Split(',');
        if (parts.Length != 5)
            throw new NodeStepFailure($"--node={value} is not name,csp,region,zone,public-ip");
        foreach (var label in parts[1..4].Where(p => !LabelValuePattern().IsMatch(p) || p.Length > 63))
            throw new NodeStepFailure($"The Node \"{parts[0]}\" is invalid: metadata.labels: Invalid value: \"{label}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'", 1, verbatim: true);
        return (parts[0], parts[1], parts[2], parts[3], StepArguments.CheckIpv4("node", parts[4]));
    }
}

/// <summary><c>wait-ready</c>: every given node Ready, then one <c>ladybug-node: name version</c> line each.</summary>
internal sealed class WaitReadyStep : KubernetesStep
{
    public override string Name => "wait-ready";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var timeout = args.Seconds("timeout-seconds");
        var names = args.List("node");
        var cluster = RequireAdmin(context);
        foreach (var name in names.Where(n => !cluster.Nodes.ContainsKey(n)))
            throw new NodeStepFailure($"Error from server (NotFound): nodes \"{name}\" not found", 1, verbatim: true);
        var notReady = names.Where(n => !cluster.IsReady(cluster.Nodes[n])).ToList();
        if (notReady.Count > 0)
        {
            // Nothing changes while a simulated node waits: say at once what the real wait would say at its end.
            await context.Out.WriteLineAsync(string.Join('\n', names.Except(notReady).Select(n => $"node/{n} condition met")));
            await context.Error.WriteLineAsync(string.Join('\n', notReady.Select(n => $"error: timed out waiting for the condition on nodes/{n}")));
            foreach (var line in NodeTable.Wide(cluster, cluster.Nodes.Values))
                await context.Error.WriteLineAsync(line);
            throw new NodeStepFailure($"not every node was Ready within {timeout}s");
        }
        await context.WorkAsync(
        [
            .. names.Select(n => $"node/{n} condition met"),
            .. names.Select(n => $"ladybug-node: {n} {cluster.Nodes[n].KubeletVersion}"),
        ]);
        return 0;
    }
}

/// <summary><c>fetch-kubeconfig</c>: prints admin.conf (never logged by the engine).</summary>
internal sealed class FetchKubeconfigStep : KubernetesStep
{
    public override string Name => "fetch-kubeconfig";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        RequireAdmin(context);
        await context.Out.WriteAsync(context.Node.ReadFile(AdminKubeconfig));
        return 0;
    }
}

/// <summary><c>drain-delete-node</c>: drain, remove a control plane's etcd member, delete the Node; a node already gone is fine.</summary>
internal sealed class DrainDeleteNodeStep : KubernetesStep
{
    public override string Name => "drain-delete-node";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var role = args.OneOf("role", ControlPlane, Worker);
        var flag = args.OneOf("delete-data-flag", "--delete-local-data", "--delete-emptydir-data");
        var timeout = args.Seconds("timeout-seconds");
        var cluster = RequireAdmin(context);
        var expectedFlag = MinorOf(cluster.Version) < 20 ? "--delete-local-data" : "--delete-emptydir-data";
        if (flag != expectedFlag)
            throw new NodeStepFailure($"error: unknown flag: {flag}\nSee 'kubectl drain --help' for usage.", 1, verbatim: true);

        var lines = new List<string>();
        if (!cluster.Nodes.TryGetValue(name, out var node))
        {
            lines.Add(Log($"{name} is not part of the cluster (any more)"));
        }
        else
        {
            if (node.Role != role)
                throw new NodeStepFailure($"--role={role} but {name} is a {node.Role}");
            lines.Add($"node/{name} cordoned");
            lines.Add($"WARNING: ignoring DaemonSet-managed Pods: kube-system/{cluster.Cni ?? "canal"}-{PodSuffix(name)}, kube-system/kube-proxy-{PodSuffix("proxy" + name)}");
            if (role == Worker)
                lines.Add($"evicting pod kube-system/coredns-{PodSuffix("dns" + name)}");
            lines.Add($"node/{name} drained (timeout {timeout}s)");
        }
        if (role == ControlPlane)
        {
            var here = NodeState(context).NodeName;
            var others = cluster.EtcdMembers.Where(m => m.Name != name).ToList();
            if (name == here || others.Count == 0)
                throw new NodeStepFailure($"no other etcd member is running; refusing to remove {name}'s member");
            var member = cluster.EtcdMembers.FirstOrDefault(m => m.Name == name);
            lines.Add(member is null
                ? Log($"{name} has no etcd member (any more)")
                : $"Member {member.Id} removed from cluster {PodSuffix(cluster.Name)}{PodSuffix(cluster.Endpoint)}c0ffee");
            if (member is not null) lines.Add(Log($"etcd member {member.Id} of {name} removed"));
        }
        lines.Add(node is null ? $"node \"{name}\" not found (ignored)" : $"node \"{name}\" deleted");
        lines.Add(Log($"{name} removed from the cluster"));
        await context.WorkAsync(lines);
        UpdateCluster(context, c => c with
        {
            Nodes = new(c.Nodes.Where(p => p.Key != name).ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal),
            EtcdMembers = role == ControlPlane ? [.. c.EtcdMembers.Where(m => m.Name != name)] : c.EtcdMembers,
        });
        return 0;
    }
}
