using Ladybug.Api.Contracts;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Api;

/// <summary>/mcir/connections: every cloud connection of the infrastructure, for pickers and <c>ladybug get connections</c>.</summary>
public static class ConnectionsApi
{
    public static IEndpointRouteBuilder MapConnectionsApi(this IEndpointRouteBuilder mcks)
    {
        mcks.MapGet("/mcir/connections", ListAsync).WithName("ListConnections").WithTags("Connections")
            .WithSummary("List the cloud connections a node pool can name, by cloud, then region and zone")
            .WithDescription("A Ladybug addition; a connection's VM specs are listed at /mcir/connections/{connection}/specs.")
            .Produces<ConnectionList>()
            .ProducesStatus(StatusCodes.Status502BadGateway);
        return mcks;
    }

    private static async Task<IResult> ListAsync(IInfrastructure infrastructure, CancellationToken cancellationToken)
    {
        var connections = await infrastructure.ListConnectionsAsync(cancellationToken);
        var items = connections
            .OrderBy(c => c.Csp, StringComparer.Ordinal).ThenBy(c => c.Region, StringComparer.Ordinal).ThenBy(c => c.Zone, StringComparer.Ordinal)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new ConnectionItem { Name = c.Name, Csp = c.Csp, Region = c.Region, Zone = c.Zone, Location = c.Location })
            .ToList();
        return McksResults.Json(new ConnectionList { Items = items });
    }
}
