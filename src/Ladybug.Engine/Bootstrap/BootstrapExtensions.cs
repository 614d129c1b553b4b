using Ladybug.Engine.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Bootstrap;

public static class BootstrapExtensions
{
    /// <summary>
    /// SSH remote shell, script renderer, the machine, kubeadm and teardown steps and the job handlers for create,
    /// add nodes, remove node, delete, rollback and certificate renewal. Needs an <c>IInfrastructure</c>.
    /// </summary>
    public static IServiceCollection AddBootstrapJobs(this IServiceCollection services)
    {
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

        return services;
    }
}
