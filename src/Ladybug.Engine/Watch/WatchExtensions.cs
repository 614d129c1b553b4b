using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Engine.Watch;

public static class WatchExtensions
{
    /// <summary>One watch per Provisioned cluster; it reads nodes over SSH when a cluster's API endpoint does not answer.</summary>
    public static IServiceCollection AddClusterWatch(this IServiceCollection services)
    {
        services.AddOptions<ClusterWatchOptions>().BindConfiguration(ClusterWatchOptions.Section);
        services.AddSingleton<ClusterWatchRecorder>();
        services.AddSingleton<SshNodeReader>();
        services.AddSingleton<ClusterWatchService>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterWatchService>());
        return services;
    }
}
