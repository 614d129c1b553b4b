using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Sandbox;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Infrastructure;

/// <summary>
/// The sandbox cloud as part of the console: started on a free loopback port with the console, stopped (with every
/// VM) with it, and the Tumblebug endpoint the client uses meanwhile. Requests made before it is up wait for it.
/// </summary>
public sealed class EmbeddedSandboxCloud(IOptions<SandboxOptions> options, ILoggerFactory loggers) : IHostedService, ITumblebugEndpoint, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<EmbeddedSandboxCloud>();
    private readonly TaskCompletionSource<TumblebugAddress> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SandboxCloud? _cloud;

    /// <summary>The running sandbox (null before start and after stop), for its faults and VMs.</summary>
    public SandboxCloud? Cloud => _cloud;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _cloud = await SandboxCloud.StartAsync(options.Value, loggers, cancellationToken);
            _logger.LogInformation("Sandbox cloud: Tumblebug emulator at {Url}, VMs under {StateDir}. Set {Setting} to use a real Tumblebug.",
                _cloud.TumblebugUrl, _cloud.StateDirectory, $"{TumblebugOptions.Section}:Url");
            _address.TrySetResult(new TumblebugAddress(_cloud.TumblebugUrl, _cloud.User, _cloud.Password, IsSandbox: true));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The console stays up without a cloud: health and every cloud call report why.
            _logger.LogError(ex, "The embedded sandbox cloud could not start");
            _address.TrySetException(new InfrastructureException($"The embedded sandbox cloud could not start: {ex.Message}"));
        }
    }

    public ValueTask<TumblebugAddress> ResolveAsync(CancellationToken cancellationToken) => new(_address.Task.WaitAsync(cancellationToken));

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        var cloud = Interlocked.Exchange(ref _cloud, null);
        if (cloud is not null) await cloud.DisposeAsync();
    }
}
