using System.Collections.Concurrent;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Secrets;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// The far side of the cloud boundary for plan tests, until the sandbox's node simulator runs them for
/// real: machines that answer each step's script the way kubeadm and kubectl would (init prints its
/// real-format join commands with the token it was given, wait-ready its status lines, fetch-kubeconfig
/// a kubeconfig) and honour the shell's contract (redacted lines, last lines in the tail).
/// </summary>
internal sealed class ScriptedMachines : IRemoteShell
{
    public sealed record Run(string Node, string Step, RenderedScript Script, RemoteHost Host);

    private readonly ConcurrentQueue<Run> _runs = new();
    private readonly ConcurrentDictionary<(string Node, string Step), int> _failures = new();
    private readonly ConcurrentDictionary<(string Address, int Port), byte> _unreachable = new();
    private readonly ConcurrentDictionary<string, string> _hostKeys = new();

    public IReadOnlyList<Run> Runs => [.. _runs];

    public IEnumerable<string> StepsOn(string node) => _runs.Where(r => r.Node == node).Select(r => r.Step);

    /// <summary>Makes <paramref name="step"/> on <paramref name="node"/> exit 1 every time.</summary>
    public void Fail(string node, string step) => _failures[(node, step)] = 1;

    /// <summary>Nothing answers SSH at <paramref name="address"/>:<paramref name="port"/> any more: the machine moved away.</summary>
    public void Unreachable(string address, int port) => _unreachable[(address, port)] = 0;

    /// <summary>From now on <paramref name="node"/> presents another host key (rebuilt, or another machine took its address).</summary>
    public void ChangeHostKey(string node) => _hostKeys[node] = $"SHA256:{node}-other-host-key";

    private string HostKeyOf(string node) => _hostKeys.GetValueOrDefault(node, $"SHA256:{node}-host-key");

    public Task<RemoteRunResult> RunAsync(RemoteHost host, RenderedScript script, Action<RemoteOutputLine> onLine, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // As the real shell does: nobody at the address is unreachable, another host key than the pinned one is refused.
        if (_unreachable.ContainsKey((host.Address, host.Port)))
            throw new RemoteShellException(RemoteShellFailure.Unreachable, $"Could not reach {host} over SSH within 00:05:00 (60 attempts); last error: Connection refused");
        var hostKey = HostKeyOf(host.NodeName);
        if (host.PinnedHostKey is { } pinned && pinned != hostKey)
            throw new RemoteShellException(RemoteShellFailure.HostKeyChanged, $"The host key of {host} changed: it was {pinned} when first seen and is now {hostKey}.");
        _runs.Enqueue(new Run(host.NodeName, script.Step.Name, script, host));
        var failing = _failures.ContainsKey((host.NodeName, script.Step.Name));
        var stdout = failing ? FailureOutput(script) : Output(host, script);
        var redactor = new LogRedactor(script.Secrets);
        var tail = new List<string>();
        foreach (var line in stdout.TrimEnd('\n').Split('\n'))
        {
            var clean = redactor.Redact(line);
            tail.Add(clean);
            onLine(new RemoteOutputLine(failing ? LogStream.Stderr : LogStream.Stdout, clean));
        }
        return Task.FromResult(new RemoteRunResult(failing ? 1 : 0, hostKey, stdout, tail.TakeLast(20).ToList()));
    }

    private static string FailureOutput(RenderedScript script) =>
        string.Concat(Enumerable.Range(1, 24).Select(i => $"[preflight] check {i} of {script.Step.Name}\n"))
        + $"error execution phase: could not reach the API with token {script.Argument("token")}\n";

    private static string Output(RemoteHost host, RenderedScript script) => script.Step.Name switch
    {
        "kubeadm-init" => InitOutput(script.Argument("endpoint")!, script.Argument("token")!, script.Argument("certificate-key")!),
        "join-token" => $"kubeadm join ladybug-api.cluster.internal:6443 --token {script.Argument("token")} --discovery-token-ca-cert-hash {Hash}"
            + (script.Argument("certificate-key") is { } key ? $" --control-plane --certificate-key {key}" : "") + " \n",
        "wait-ready" => string.Concat(script.ArgumentValues("node").Select(n => $"node/{n} condition met\n"))
            + string.Concat(script.ArgumentValues("node").Select(n => $"{WaitReadyReport.LinePrefix}{n} v1.23.17\n")),
        "fetch-kubeconfig" => Kubeconfig,
        "overlay-addresses" => string.Concat(script.ArgumentValues("node").Select((n, i) => $"{PodNetworkReport.OverlayLinePrefix}{n} 10.244.{i}.0/24\n")),
        "pod-network" => string.Concat(script.ArgumentValues("peer").Select(p => $"{PodNetworkReport.ProbeLinePrefix}{p.Replace(',', ' ')} reachable\n")),
        _ => $"[ladybug] {script.Step.Name} done on {host.NodeName}\n",
    };

    public const string Hash = "sha256:dbedd3c30ca252ec5fb0d583e52c59bf328d07d76f001563c327e81646519a4a";

    public const string Kubeconfig = """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJMk1URXlOakF3TURBd01Gb1hEVE0yTVRFeU5EQXdNREF3TUZvd0ZURVRNQkVHQTFVRQo=
            server: https://ladybug-api.cluster.internal:6443
          name: cb-cluster
        contexts:
        - context:
            cluster: cb-cluster
            user: kubernetes-admin
          name: kubernetes-admin@cb-cluster
        current-context: kubernetes-admin@cb-cluster
        kind: Config
        users:
        - name: kubernetes-admin
          user:
            client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURJVENDQWdtZ0F3SUJBZ0lJYQ==
            client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBeQ==

        """;

    /// <summary>The 1.23 sample with the values this init was given, as a real kubeadm prints them back.</summary>
    private static string InitOutput(string endpoint, string token, string certificateKey) =>
        BootstrapFixtures.TestData("kubeadm-init-v1.23.17.txt")
            .Replace("q8u6ol.845izym2xjgrp4ll", token)
            .Replace("1c4dbef71f5e56a97af1d6b7c74b6ac7ae5eeba0a7ec4303e3ad840011843d0d", certificateKey)
            .Replace("ladybug-api.cluster.internal:6443", endpoint);
}

/// <summary>An infrastructure that hands out machines at once and remembers what was deleted.</summary>
internal sealed class InstantInfrastructure : IInfrastructure
{
    private readonly ConcurrentDictionary<string, Machine> _machines = new();
    private int _address = 10;

    public ConcurrentQueue<string> DeletedGroups { get; } = new();
    public ConcurrentQueue<string> DeletedMachines { get; } = new();

    /// <summary>While set, reading a group's machines fails as a broker that is down does.</summary>
    public bool MachinesUnreadable { get; set; }

    /// <summary>While set, deleting a whole group fails and its machines stay (Tumblebug answering 500 while VMs terminate).</summary>
    public bool DeleteAllFails { get; set; }

    /// <summary>The machine answers at another public IP and SSH port from now on (stopped and started again, say).</summary>
    public void Move(string machineId, string publicIp, int sshPort) =>
        _machines[machineId] = _machines[machineId] with { PublicIp = publicIp, SshPort = sshPort };

    public static readonly CloudConnection Aws = new("aws-ap-northeast-1", "aws", "ap-northeast-1", "ap-northeast-1a", "Tokyo", 35.68, 139.69);
    public static readonly CloudConnection Gcp = new("gcp-europe-west2", "gcp", "europe-west2", "europe-west2-b", "London", 51.5, -0.12);
    public static readonly CloudConnection Azure = new("azure-koreacentral", "azure", "koreacentral", "", "Seoul", 37.56, 126.97);

    public Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new InfrastructureHealth(true, "instant", true, null));

    public Task<IReadOnlyList<CloudConnection>> ListConnectionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CloudConnection>>([Aws, Gcp, Azure]);

    public Task<IReadOnlyList<MachineSpec>> ListSpecsAsync(string connection, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MachineSpec>>([new("small", "small", connection, 1, 1, 0.01), new("medium", "medium", connection, 2, 4, 0.05)]);

    public Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools, ClusterFirewall firewall,
        CreateCallRecord createCall, IProgress<string>? progress, CancellationToken cancellationToken) =>
        AddMachinesAsync(ns, groupId, pools, firewall, progress, cancellationToken);

    public Task<IReadOnlyList<Machine>> AddMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools, ClusterFirewall firewall, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var made = new List<Machine>();
        foreach (var pool in pools)
        {
            var connection = new[] { Aws, Gcp, Azure }.Single(c => c.Name == pool.Connection);
            for (var i = 1; i <= pool.Count; i++)
            {
                var id = $"{pool.PoolName}-{i}";
                var address = Interlocked.Increment(ref _address);
                made.Add(_machines.GetOrAdd(id, _ => new Machine(id, pool.PoolName, connection.Name, connection.Csp, connection.Region, connection.Zone,
                    connection.Latitude, connection.Longitude, "Running", $"127.0.4.{address}", $"10.0.0.{address}", 22, "cb-user",
                    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n", pool.Spec)));
            }
            progress?.Report($"{pool.PoolName}: {pool.Count} running");
        }
        return Task.FromResult<IReadOnlyList<Machine>>(made);
    }

    public Task<IReadOnlyList<Machine>> GetMachinesAsync(string ns, string groupId, CancellationToken cancellationToken) =>
        MachinesUnreadable
            ? throw new InfrastructureException("Tumblebug at http://127.0.0.1:1323 refused the connection.")
            : Task.FromResult<IReadOnlyList<Machine>>([.. _machines.Values]);

    public Task DeleteMachineAsync(string ns, string groupId, string machineId, CancellationToken cancellationToken)
    {
        _machines.TryRemove(machineId, out _);
        DeletedMachines.Enqueue(machineId);
        return Task.CompletedTask;
    }

    public Task DeleteAllAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        if (DeleteAllFails) throw new InfrastructureException($"Deleting {ns}/{groupId} failed: Tumblebug answered 500.");
        _machines.Clear();
        DeletedGroups.Enqueue($"{ns}/{groupId}");
        return Task.CompletedTask;
    }
}
