using Ladybug.Engine.Certificates;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Watch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Bootstrap;

public static class BootstrapExtensions
{
    /// <summary>
    /// The bootstrap half of the engine: SSH remote shell, script renderer, the kubeadm plan and the job
    /// handlers for create, add nodes, remove node, delete, rollback and certificate renewal, and the certificate monitor. Needs an <c>IInfrastructure</c>.
    /// </summary>
    public static IHostApplicationBuilder AddLadybugBootstrap(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SshOptions>().BindConfiguration(SshOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SshOptions>, SshOptionsValidator>();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section);

        services.AddSingleton<IRemoteShell, SshRemoteShell>();
        services.AddSingleton<BootstrapScriptRenderer>();
        // Scoped: the runner resolves handlers in a scope per job, next to the infrastructure client.
        services.AddScoped<ClusterStateLoader>();
        services.AddScoped<NodeScripts>();
        services.AddScoped<MachineSteps>();
        services.AddScoped<ClusterProvisioner>();
        services.AddScoped<TeardownSteps>();
        services.AddScoped<IJobHandler, CreateClusterJob>();
        services.AddScoped<IJobHandler, AddNodesJob>();
        services.AddScoped<IJobHandler, RemoveNodeJob>();
        services.AddScoped<IJobHandler, DeleteClusterJob>();
        services.AddScoped<IJobHandler, RollbackJob>();
        services.AddScoped<IJobHandler, RenewCertificatesJob>();

        services.AddSingleton<IServingCertificateProbe, TlsServingCertificateProbe>();
        services.AddSingleton<CertificateChecker>();
        services.AddHostedService<CertificateMonitor>();

        // The cluster watch reads nodes over SSH when a cluster's API endpoint does not answer: it lives beside the shell.
        services.AddOptions<ClusterWatchOptions>().BindConfiguration(ClusterWatchOptions.Section);
        services.AddSingleton<ClusterWatchRecorder>();
        services.AddSingleton<SshNodeReader>();
        services.AddSingleton<ClusterWatchService>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterWatchService>());
        return builder;
    }
}
