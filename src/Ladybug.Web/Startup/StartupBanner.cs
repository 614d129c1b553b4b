using Ladybug.Engine.Accounts;
using Ladybug.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Startup;

/// <summary>
/// Ends the start-up output with <see cref="StartupBannerText"/>'s block, once the console listens, the embedded
/// sandbox is up and the sandbox's sample cluster (when asked for) is queued, so nothing of start-up follows it.
/// Written to the terminal, not logged: on a first start it holds the administrator's password.
/// </summary>
public sealed class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    IOptions<AdminOptions> admin,
    FirstRunPassword firstRun,
    IServiceProvider services) : BackgroundService
{
    /// <summary>
    /// The console logger writes from a queue of its own: a short pause lets lines logged just before the banner reach
    /// the terminal ahead of it.
    /// </summary>
    private static readonly TimeSpan LoggerQueueSettle = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken)) return;
        var (sandboxUrl, sandboxProblem) = await SandboxAsync(stoppingToken);
        // Resolved now, not injected: the banner is one of the hosted services itself.
        if (services.GetServices<IHostedService>().OfType<SandboxDemoCluster>().FirstOrDefault()?.ExecuteTask is { } demo)
            await demo.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (stoppingToken.IsCancellationRequested) return;
        await Task.Delay(LoggerQueueSettle, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var facts = new StartupBannerFacts(ConsoleUrl(), admin.Value.User, firstRun.Take(),
            PasswordConfigured: !string.IsNullOrEmpty(admin.Value.Password), sandboxUrl, sandboxProblem);
        var block = string.Join(Environment.NewLine, StartupBannerText.Lines(facts));
        await Console.Out.WriteLineAsync(block);
        await Console.Out.FlushAsync(stoppingToken);
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return started.Task.IsCompletedSuccessfully;
    }

    private async Task<(string? Url, string? Problem)> SandboxAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<EmbeddedSandboxCloud>() is not { } sandbox) return (null, null);
        try
        {
            var address = await sandbox.ResolveAsync(stoppingToken);
            return (address.BaseUrl.ToString().TrimEnd('/'), null);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The first address the server listens on, with a wildcard host (0.0.0.0, [::], +, *) shown as localhost.</summary>
    private string ConsoleUrl()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        if (first is null) return "(no address: see Urls / --urls)";
        if (!Uri.TryCreate(first.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri)) return first;
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.ToString().TrimEnd('/');
    }
}
