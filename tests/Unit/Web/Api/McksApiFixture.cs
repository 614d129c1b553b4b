using System.Net;
using System.Net.Http.Json;
using System.Text;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Support;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>The test classes that only read or add clusters share one console; each test keeps to its own namespace.</summary>
[CollectionDefinition(Name)]
public sealed class McksApiCollection : ICollectionFixture<McksApiFixture>
{
    public const string Name = "MCKS API on one console";
}

/// <summary>
/// A console for API and CLI tests: the cloud is a <see cref="FakeCloud"/>, the provisioning handlers are
/// <see cref="ScriptedJobs"/>. Tests keep apart by using their own namespace.
/// </summary>
public sealed class McksApiFixture : IDisposable
{
    /// <summary>Sizes with the names, CPUs, memory and prices of real AWS instance types, for the spec filters.</summary>
    public static readonly IReadOnlyList<MachineSize> AwsSizes =
    [
        new("t3.micro", 1, 1, 0.0104), new("t3.small", 1, 2, 0.0208), new("t3.medium", 2, 4, 0.0416),
        new("c5.xlarge", 4, 8, 0.17), new("m5.4xlarge", 16, 64, 0.768),
    ];

    public ScriptedJobs Jobs { get; } = new();

    public TestConsole Console { get; }

    public IServiceProvider Services => Console.Services;

    public HttpClient Admin { get; }

    public McksApiFixture()
    {
        Console = StartConsole(Jobs);
        Admin = Console.CreateAdminClient();
    }

    /// <summary>
    /// A console whose jobs do what <paramref name="jobs"/> says. The cluster-spec check against the cloud is
    /// left out: MCKS's sample bodies name the original's connections, which no fake cloud offers.
    /// </summary>
    public static TestConsole StartConsole(ScriptedJobs jobs, TimeSpan? waitTimeout = null)
    {
        var console = new TestConsole(
            services =>
            {
                services.AddScriptedJobs(jobs).AddFakeCloud(new FakeCloud { Sizes = AwsSizes });
                services.RemoveAll<IClusterSpecCheck>();
            },
            new Dictionary<string, string?>
            {
                ["Ladybug:Api:WaitTimeout"] = (waitTimeout ?? TimeSpan.FromMinutes(1)).ToString(),
                // Scripted jobs of one test may wait for a release that never comes; they must not hold every slot.
                ["Ladybug:Engine:MaxConcurrentJobs"] = "256",
            });
        _ = console.BaseAddress;
        return console;
    }

    public static string NewNamespace() => $"ns-{Guid.NewGuid():N}"[..20];

    public void Dispose()
    {
        Admin.Dispose();
        Console.Dispose();
    }
}

public static class McksResponses
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, McksJson.Options)!;
    }

    /// <summary>An MCKS Status whose code equals the HTTP status.</summary>
    public static async Task<ApiStatus> ReadStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var status = await response.ReadAsync<ApiStatus>(expected);
        Assert.Equal("Status", status.Kind);
        Assert.Equal((int)expected, status.Code);
        Assert.False(string.IsNullOrWhiteSpace(status.Message));
        return status;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body) =>
        client.PostAsJsonAsync(path, body, McksJson.Options);
}
