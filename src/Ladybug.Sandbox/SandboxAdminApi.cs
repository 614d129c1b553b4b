using Ladybug.Sandbox.Emulator;
using Ladybug.Sandbox.Machines;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ladybug.Sandbox;

/// <summary>
/// A VM as the admin endpoint lists it. <paramref name="SecurityGroup"/> and <paramref name="Inbound"/> are its node
/// group's security group and the inbound rules in effect ("6443/tcp from 0.0.0.0/0"); <paramref name="PrivateIp"/> is
/// its NIC's address, to which the cloud's 1:1 NAT delivers traffic sent to <paramref name="Address"/>.
/// </summary>
public sealed record SandboxMachineInfo(string Namespace, string InfraId, string NodeId, string Address, int Port, int? SshdProcessId, string Directory,
    string? PrivateIp = null, string? SecurityGroup = null, IReadOnlyList<string>? Inbound = null, bool Stopped = false);

/// <summary>What <c>POST /sandbox/clusters/{infra}/certificates</c> changed: the control planes, and when their certificates now expire.</summary>
public sealed record AgedCertificates(IReadOnlyList<string> ControlPlanes, DateTimeOffset NotAfter);

/// <summary>
/// The sandbox's own controls, outside Tumblebug's paths: faults can be changed while it runs (the E2E suite does
/// this against a running console), the calls it served can be counted, and its VMs listed. They need the emulator's
/// own Basic credentials like Tumblebug's paths do: faults and VM power are as powerful as the cloud itself, and the
/// loopback port is reachable by every local user.
/// </summary>
internal static class SandboxAdminApi
{
    public const string BasePath = "/sandbox";

    /// <summary>Before routing and body binding, so an anonymous caller learns nothing, not even that its body was malformed.</summary>
    public static IApplicationBuilder UseSandboxAdminCredentials(this IApplicationBuilder app, SandboxOptions options) =>
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(BasePath) || EmulatorCredentials.Match(http.Request, options))
            {
                await next(http);
                return;
            }
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"ladybug-sandbox\"";
            await Results.Json(new { message = "The sandbox's admin API needs the emulator's Basic credentials (Ladybug:Sandbox:User/Password)." },
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(http);
        });

    public static IEndpointRouteBuilder MapSandboxAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(BasePath);
        admin.MapGet("/faults", (SandboxControl control) => Results.Json(control.Faults));
        admin.MapPut("/faults", (SandboxFaults faults, SandboxControl control) =>
        {
            control.Faults = faults;
            return Results.Json(control.Faults);
        });
        admin.MapGet("/requests", (SandboxControl control) => Results.Json(control.Requests));
        admin.MapDelete("/requests", (SandboxControl control) =>
        {
            control.ClearRequests();
            return Results.NoContent();
        });
        admin.MapGet("/machines", (SandboxMachines machines) => Results.Json(Describe(machines)));
        // A VM powered off and on behind Tumblebug's back, as from the cloud's console: its sshd, kubelet and API
        // server stop; the cloud's status of it is left as it was.
        foreach (var (action, on) in new[] { ("stop", false), ("start", true) })
            admin.MapPost($"/machines/{{infra}}/{{node}}/{action}", async (string infra, string node, string? ns, SandboxMachines machines, CancellationToken cancellationToken) =>
                await PowerAsync(machines, infra, node, ns, on, cancellationToken)
                    ? Results.Json(Describe(machines).First(m => m.InfraId == infra && m.NodeId == node && (ns is null || m.Namespace == ns)))
                    : Results.NotFound(new { message = $"No sandbox VM {node} in Infra {infra}" }));
        // Ages a cluster's certificates: every control plane's now expires in the given days (negative: expired that long ago).
        admin.MapPost("/clusters/{infra}/certificates", async (string infra, double expiresInDays, string? ns, SandboxMachines machines, CancellationToken cancellationToken) =>
            await AgeCertificatesAsync(machines, infra, ns, DateTimeOffset.UtcNow.AddDays(expiresInDays), cancellationToken) is { } aged
                ? Results.Json(aged)
                : Results.NotFound(new { message = $"No sandbox Infra {infra}" }));
        return app;
    }

    /// <summary>
    /// The control planes whose certificates now expire at <paramref name="notAfter"/>, answered once those whose VM runs
    /// serve them (their API servers restart with them); null when the Infra has no VM.
    /// </summary>
    internal static async Task<AgedCertificates?> AgeCertificatesAsync(SandboxMachines machines, string infra, string? ns, DateTimeOffset notAfter,
        CancellationToken cancellationToken)
    {
        var vms = machines.Machines.Where(m => m.Identity.InfraId == infra && (ns is null || m.Identity.Namespace == ns)).ToList();
        if (vms.Count == 0) return null;
        var cluster = new SimulatedCluster(vms[0].Identity.ClusterDirectory);
        var nodes = vms.Select(vm => new SimulatedNode(vm.Directory, vm.Identity)).ToList();
        var aged = Simulator.Kubernetes.CertificateAgeing.Age(cluster, nodes, notAfter);
        var state = cluster.Read<Simulator.Kubernetes.KubernetesCluster>(Simulator.Kubernetes.KubernetesCluster.Document);
        var running = aged.Select(name => state.Nodes[name].Machine)
            .Select(id => vms.FirstOrDefault(vm => vm.Identity.Id == id))
            .Where(vm => vm is { StoppedAt: null });
        foreach (var vm in running)
            await KubeApi.ServedCertificateWait.UntilServedAsync(vm!.Identity.PublicIp, notAfter, TimeSpan.FromSeconds(10), cancellationToken);
        return new AgedCertificates(aged, notAfter);
    }

    internal static async Task<bool> PowerAsync(SandboxMachines machines, string infra, string node, string? ns, bool on, CancellationToken cancellationToken)
    {
        var vm = machines.Machines.FirstOrDefault(m => m.Identity.InfraId == infra && m.Identity.Id == node && (ns is null || m.Identity.Namespace == ns));
        if (vm is null) return false;
        if (on) await machines.PowerOnAsync(vm, cancellationToken);
        else await machines.StopAsync(vm);
        return true;
    }

    public static IReadOnlyList<SandboxMachineInfo> Describe(SandboxMachines machines) => machines.Machines
        .Select(vm => (Vm: vm, Net: Network(vm.Identity.ClusterDirectory).Nodes.GetValueOrDefault(vm.Identity.Id)))
        .Select(m => new SandboxMachineInfo(m.Vm.Identity.Namespace, m.Vm.Identity.InfraId, m.Vm.Identity.Id, m.Vm.Identity.PublicIp, m.Vm.Port, m.Vm.SshdProcessId, m.Vm.Directory,
            m.Vm.Identity.PrivateIp, m.Net?.SecurityGroup, m.Net?.Inbound.Select(r => r.ToString()).ToList(), m.Vm.StoppedAt is not null))
        .OrderBy(m => m.Namespace, StringComparer.Ordinal).ThenBy(m => m.InfraId, StringComparer.Ordinal).ThenBy(m => m.NodeId, StringComparer.Ordinal)
        .ToList();

    private static NetworkDocument Network(string clusterDirectory) =>
        Directory.Exists(clusterDirectory) ? new SimulatedCluster(clusterDirectory).Read<NetworkDocument>(NetworkDocument.Document) : new NetworkDocument();
}
