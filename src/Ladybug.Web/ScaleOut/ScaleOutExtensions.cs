using Ladybug.Engine.Events;
using StackExchange.Redis;

namespace Ladybug.Web.ScaleOut;

public static class ScaleOutExtensions
{
    /// <summary>
    /// With <c>Ladybug:SignalR:Redis</c> set: the SignalR Redis backplane (hub groups and connections span the replicas)
    /// and the engine's events shared through Redis (<see cref="ReplicatedProvisioningEvents"/>), so a watcher on any
    /// replica sees live the jobs that run on every replica. Without it, nothing changes. Call after AddLadybugEngine.
    /// </summary>
    public static IHostApplicationBuilder AddLadybugScaleOut(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ScaleOutOptions>().BindConfiguration(ScaleOutOptions.Section);
        var options = builder.Configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>() ?? new ScaleOutOptions();
        if (string.IsNullOrWhiteSpace(options.Redis)) return builder;

        services.AddSignalR().AddStackExchangeRedis(options.Redis, redis =>
        {
            redis.Configuration.ChannelPrefix = RedisChannel.Literal($"{options.ChannelPrefix}:signalr");
            // A replica starts (and serves its own clients) while Redis is down, and reconnects when it is back.
            redis.Configuration.AbortOnConnectFail = false;
        });

        var local = services.LastOrDefault(d => d.ServiceType == typeof(IProvisioningEvents) && d.ImplementationType is not null)
            ?? throw new InvalidOperationException($"{nameof(AddLadybugScaleOut)} must follow AddLadybugEngine.");
        services.Remove(local);
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var configuration = ConfigurationOptions.Parse(options.Redis);
            configuration.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(configuration);
        });
        services.AddSingleton(sp => new ReplicatedProvisioningEvents(
            (IProvisioningEvents)ActivatorUtilities.CreateInstance(sp, local.ImplementationType!),
            sp.GetRequiredService<IConnectionMultiplexer>(),
            RedisChannel.Literal($"{options.ChannelPrefix}:events"),
            // Per process, not the lease name: it only tells a replica its own messages apart, and must never be shared.
            $"{Environment.MachineName}-{Guid.NewGuid():N}",
            sp.GetRequiredService<ILogger<ReplicatedProvisioningEvents>>()));
        services.AddSingleton<IProvisioningEvents>(sp => sp.GetRequiredService<ReplicatedProvisioningEvents>());
        services.AddHostedService<ProvisioningEventRelay>();
        return builder;
    }
}
