using Ladybug.Sandbox.Machines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ladybug.Sandbox;

/// <summary>A VM as the admin endpoint lists it.</summary>
public sealed record SandboxMachineInfo(string Namespace, string InfraId, string NodeId, string Address, int Port, int? SshdProcessId, string Directory);

/// <summary>
/// The sandbox's own controls, outside Tumblebug's paths: faults can be changed while it runs (the E2E suite does
/// this against a running console), the calls it served can be counted, and its VMs listed.
/// </summary>
internal static class SandboxAdminApi
{
    public const string BasePath = "/sandbox";

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
        return app;
    }

    public static IReadOnlyList<SandboxMachineInfo> Describe(SandboxMachines machines) => machines.Machines
        .Select(vm => new SandboxMachineInfo(vm.Identity.Namespace, vm.Identity.InfraId, vm.Identity.Id, vm.Identity.PublicIp, vm.Port, vm.SshdProcessId, vm.Directory))
        .OrderBy(m => m.Namespace, StringComparer.Ordinal).ThenBy(m => m.InfraId, StringComparer.Ordinal).ThenBy(m => m.NodeId, StringComparer.Ordinal)
        .ToList();
}
