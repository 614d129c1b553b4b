using Ladybug.Engine.Accounts;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Certificates;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Ladybug.Engine.Watch;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine;

public static class EngineExtensions
{
    /// <summary>Persistence, secrets, events, the job log and the job runner.</summary>
    public static IHostApplicationBuilder AddLadybugEngine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LadybugOptions>().BindConfiguration(LadybugOptions.Section);
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.Section);

        var ladybug = builder.Configuration.GetSection(LadybugOptions.Section).Get<LadybugOptions>() ?? new LadybugOptions();
        DataDirectoryPermissions.CreateOwnerOnly(ladybug);
        // The key ring is what unseals every stored secret: readable by the console's user only. It is not wrapped
        // by a further key (Data Protection's "XML encryptor"): on Linux that key would sit beside it on the same disk.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(ladybug.KeysPath);
        else Directory.CreateDirectory(ladybug.KeysPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        services.AddLadybugDatabase(database, ladybug);
        // Order matters: hosted services start in registration order. The data directory and the database come
        // first; AddDataProtection registers the hosted service that loads the key ring, which on PostgreSQL reads a
        // table the migrations create (registered after them, a first start logged "relation DataProtectionKeys does
        // not exist" and "An error occurred while reading the key ring").
        services.AddHostedService<DataDirectoryPermissions>();
        services.AddHostedService<DatabaseMigrator>();
        var dataProtection = services.AddDataProtection().SetApplicationName("Ladybug");
        // Replicas on PostgreSQL share one key ring in the database, so a secret sealed on one unseals on every
        // other; whoever can read the database can then unseal, as whoever can read the key dir could before.
        if (database.Provider == DatabaseProvider.Postgres) dataProtection.PersistKeysToDbContext<PostgresLadybugDbContext>();
        else dataProtection.PersistKeysToFileSystem(new DirectoryInfo(ladybug.KeysPath));

        services.TryAddSingletonTimeProvider();
        services.AddSingleton<ISecretSealer, DataProtectionSecretSealer>();
        services.AddSingleton<IProvisioningEvents, ProvisioningEventBroadcaster>();

        services.AddSingleton<GroupCommit>();
        services.AddSingleton<BatchedJobLog>();
        services.AddSingleton<IJobLog>(sp => sp.GetRequiredService<BatchedJobLog>());
        services.AddHostedService(sp => sp.GetRequiredService<BatchedJobLog>());
        services.AddSingleton<JobLeases>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<JobRunner>());
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<JobPlans>();

        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section);
        services.AddSingleton<AccountService>();
        services.AddSingleton<ClusterService>();
        services.AddSingleton<ClusterQueries>();
        services.AddOptions<CertificateOptions>().BindConfiguration(CertificateOptions.Section);
        services.AddSingleton<CertificateExpiryView>();
        return builder;
    }

    /// <summary>
    /// The bootstrap half of the engine: the bootstrap jobs, and what runs on Provisioned clusters over the same SSH
    /// and kubeconfigs (certificate monitor, cluster watch). Needs an <c>IInfrastructure</c>. Registered here, the
    /// composition root, so that Bootstrap does not reach up into the folders that use it (docs/architecture.md).
    /// </summary>
    public static IHostApplicationBuilder AddLadybugBootstrap(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBootstrapJobs().AddCertificateMonitor().AddClusterWatch();
        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }
}
