using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Ladybug.Web.Api;

/// <summary>/mcks/mcir/connections/{connection}/specs: the VM specs of one connection, filtered like cb-mcks.</summary>
public static class SpecsApi
{
    /// <summary>cb-mcks's filter defaults: a control plane needs 2 vCPU and 2 GiB, anything else 1; the ceiling is 99999.</summary>
    public const int ControlPlaneMinimum = 2;
    public const int WorkerMinimum = 1;
    public const int Maximum = 99999;

    public static IEndpointRouteBuilder MapSpecsApi(this IEndpointRouteBuilder mcks)
    {
        mcks.MapGet("/mcir/connections/{connection}/specs", ListAsync).WithName("ListSpecs").WithTags("Specs")
            .WithSummary("List the VM specs of a cloud connection, filtered by vCPU and memory (GiB)")
            .WithDescription("control-plane=Y raises the default minimums to 2 vCPU and 2 GiB (else 1); maximums default to 99999.")
            .Produces<SpecList>()
            .ProducesStatus(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway);
        return mcks;
    }

    // Strings, not ints: a bad value is answered with a Status naming the parameter, not an empty 400.
    private static async Task<IResult> ListAsync(string connection, IInfrastructure infrastructure,
        [FromQuery(Name = "control-plane")] string? controlPlane, [FromQuery(Name = "cpu-min")] string? cpuMin, [FromQuery(Name = "cpu-max")] string? cpuMax,
        [FromQuery(Name = "memory-min")] string? memoryMin, [FromQuery(Name = "memory-max")] string? memoryMax, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var minimum = McksRequestReader.ReadFlag("control-plane", controlPlane, errors) ? ControlPlaneMinimum : WorkerMinimum;
        var cpus = (Min: McksRequestReader.ReadInt("cpu-min", cpuMin, minimum, 0, Maximum, errors),
                    Max: McksRequestReader.ReadInt("cpu-max", cpuMax, Maximum, 0, Maximum, errors));
        var memory = (Min: McksRequestReader.ReadInt("memory-min", memoryMin, minimum, 0, Maximum, errors),
                      Max: McksRequestReader.ReadInt("memory-max", memoryMax, Maximum, 0, Maximum, errors));
        if (cpus.Min > cpus.Max) errors.Add("cpu-min", $"cpu-min ({cpus.Min}) is larger than cpu-max ({cpus.Max}).");
        if (memory.Min > memory.Max) errors.Add("memory-min", $"memory-min ({memory.Min}) is larger than memory-max ({memory.Max}).");
        if (!errors.IsValid) return McksResults.Invalid(errors);

        var specs = await infrastructure.ListSpecsAsync(connection, cancellationToken);
        var items = specs
            .Where(s => s.VCpu >= cpus.Min && s.VCpu <= cpus.Max && s.MemoryGiB >= memory.Min && s.MemoryGiB <= memory.Max)
            .OrderBy(s => s.VCpu).ThenBy(s => s.MemoryGiB).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(McksResourceMapper.ToResource).ToList();
        return McksResults.Json(new SpecList { ConnectionName = connection, Items = items });
    }
}
