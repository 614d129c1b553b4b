using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>The real client, registered as the console registers it, pointed at a sandbox with test-sized waits.</summary>
internal sealed class TumblebugTestClient : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TumblebugTestClient(ServiceProvider services) => _services = services;

    public IInfrastructure Infrastructure => _services.GetRequiredService<IInfrastructure>();
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static TumblebugTestClient For(SandboxCloud cloud, IDictionary<string, string?>? settings = null, TimeProvider? time = null) =>
        For(cloud.TumblebugUrl.AbsoluteUri, cloud.User, cloud.Password, settings, time);

    public static TumblebugTestClient For(string url, string user, string password, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var values = new Dictionary<string, string?>
        {
            [$"{TumblebugOptions.Section}:Url"] = url,
            [$"{TumblebugOptions.Section}:User"] = user,
            [$"{TumblebugOptions.Section}:Password"] = password,
            [$"{TumblebugOptions.Section}:RequestTimeout"] = "00:00:10",
            [$"{TumblebugOptions.Section}:CreationTimeout"] = "00:01:00",
            [$"{TumblebugOptions.Section}:PollInterval"] = "00:00:00.05",
            [$"{TumblebugOptions.Section}:MaxPollInterval"] = "00:00:00.2",
            [$"{TumblebugOptions.Section}:RetryDelay"] = "00:00:00.01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[$"{TumblebugOptions.Section}:{key}"] = value;
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddLogging();
        if (time is not null) builder.Services.AddSingleton(time);
        builder.AddTumblebugInfrastructure();
        return new TumblebugTestClient(builder.Services.BuildServiceProvider(validateScopes: true));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Collects progress lines as they are reported (Progress&lt;T&gt; would post them later).</summary>
internal sealed class ProgressLog : IProgress<string>
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public void Report(string value)
    {
        lock (_lines) _lines.Add(value);
    }
}
