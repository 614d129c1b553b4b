using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox;
using Ladybug.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Extensions;

public static class InfrastructureExtensions
{
    /// <summary>
    /// Machines come from the Tumblebug at Ladybug:Tumblebug:Url; without one, from the embedded sandbox cloud,
    /// started in-process on a free loopback port (its VMs live under {DataDir}/sandbox unless Ladybug:Sandbox:StateDir says otherwise).
    /// </summary>
    public static IHostApplicationBuilder AddLadybugInfrastructure(this IHostApplicationBuilder builder)
    {
        var tumblebug = builder.Configuration.GetSection(TumblebugOptions.Section).Get<TumblebugOptions>() ?? new TumblebugOptions();
        if (tumblebug.UsesSandbox)
        {
            builder.Services.AddOptions<SandboxOptions>()
                .BindConfiguration(SandboxOptions.Section)
                .PostConfigure<IOptions<LadybugOptions>>((sandbox, ladybug) =>
                {
                    if (string.IsNullOrWhiteSpace(sandbox.StateDir))
                        sandbox.StateDir = Path.Combine(Path.GetFullPath(ladybug.Value.DataDir), "sandbox");
                });
            builder.Services.AddSingleton<EmbeddedSandboxCloud>();
            builder.Services.AddSingleton<ITumblebugEndpoint>(sp => sp.GetRequiredService<EmbeddedSandboxCloud>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSandboxCloud>());
            if (builder.Configuration.GetValue<bool>(SandboxDemoCluster.Setting))
                builder.Services.AddHostedService<SandboxDemoCluster>();
        }
        builder.AddTumblebugInfrastructure();
        return builder;
    }
}
