using System.Text.Json.Serialization;
using Ladybug.Web.Hubs;

namespace Ladybug.Web.Extensions;

public static class HubExtensions
{
    /// <summary>SignalR with camelCase JSON and enums as strings (docs/HUB-PROTOCOL.md).</summary>
    public static IHostApplicationBuilder AddProvisioningHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton<HubFeeds>();
        return builder;
    }

    /// <summary>The hub needs a signed-in user like everything else; an anonymous negotiate answers 401.</summary>
    public static WebApplication MapProvisioningHub(this WebApplication app)
    {
        app.MapHub<ProvisioningHub>(ProvisioningHub.Path).RequireAuthorization();
        return app;
    }
}
