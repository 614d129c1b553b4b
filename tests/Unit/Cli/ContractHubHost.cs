using System.Net;
using System.Text.Json.Serialization;
using Ladybug.Api.Contracts.Hub;
using Ladybug.Engine.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>What the scripted hub knows about one cluster: its stored log, what happens live, and how its job ends.</summary>
public sealed record ScriptedCluster(string Namespace, string Name, IReadOnlyList<string> Stored, IReadOnlyList<string> Live, JobState End, string? Error = null, bool EndedBeforeSubscribe = false)
{
    public Guid Id { get; } = Guid.NewGuid();
    public Guid JobId { get; } = Guid.NewGuid();

    public IReadOnlyList<LogLineMessage> Lines(int from, IReadOnlyList<string> texts) =>
        [.. texts.Select((text, i) => new LogLineMessage(from + i, DateTimeOffset.UtcNow, i % 2 == 0 ? null : "node-1", "bootstrap", nameof(LogStream.Stdout), text))];
}

/// <summary>
/// A stand-in for the console's provisioning hub that follows docs/HUB-PROTOCOL.md to the letter, with the
/// contract's messages (Ladybug.Api.Contracts.Hub) as payloads: the CLI's side of that contract is tested here, apart from the
/// web console's implementation of the other side. It answers 401 unless the expected Authorization is sent.
/// </summary>
public sealed class ContractHubHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ContractHubHost(WebApplication app) => _app = app;

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public static async Task<ContractHubHost> StartAsync(string expectedAuthorization, params ScriptedCluster[] clusters)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton<IReadOnlyList<ScriptedCluster>>(clusters);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != expectedAuthorization)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        app.MapHub<ContractHub>("/hubs/provisioning");
        await app.StartAsync();
        return new ContractHubHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed class ContractHub(IReadOnlyList<ScriptedCluster> clusters, IHubContext<ContractHub> hub) : Hub
{
    public async Task<SubscribeResult> Subscribe(string ns, string clusterName, long afterSequence)
    {
        var cluster = clusters.FirstOrDefault(c => c.Namespace == ns && c.Name == clusterName);
        if (cluster is null) return new SubscribeResult(false, $"Cluster '{clusterName}' was not found in namespace '{ns}'.");
        // Current state first, then the stored lines, as the protocol says.
        await Clients.Caller.SendAsync(HubMethods.PhaseChanged, new PhaseChangedMessage(cluster.Id, nameof(ClusterPhase.Provisioning), null, null));
        var state = cluster.EndedBeforeSubscribe ? cluster.End : JobState.Running;
        await Clients.Caller.SendAsync(HubMethods.JobChanged, new JobChangedMessage(cluster.Id, cluster.JobId, nameof(JobKind.Create), state.ToString(), "bootstrap", cluster.EndedBeforeSubscribe ? cluster.Error : null));
        var stored = cluster.Lines(1, cluster.Stored).Where(l => l.Sequence > afterSequence).ToList();
        if (stored.Count > 0)
            await Clients.Caller.SendAsync(HubMethods.LogLines, new LogLinesMessage(cluster.Id, stored));
        if (cluster.EndedBeforeSubscribe) return SubscribeResult.Done;

        var caller = hub.Clients.Client(Context.ConnectionId);
        _ = Task.Run(async () =>
        {
            await Task.Delay(50);
            // The first live batch repeats the last stored line: a subscriber must print it once.
            var live = cluster.Lines(cluster.Stored.Count, [.. cluster.Stored.TakeLast(1), .. cluster.Live]);
            await caller.SendAsync(HubMethods.LogLines, new LogLinesMessage(cluster.Id, live));
            await caller.SendAsync(HubMethods.JobChanged, new JobChangedMessage(cluster.Id, Guid.NewGuid(), nameof(JobKind.Rollback), nameof(JobState.Queued), null, null));
            await caller.SendAsync(HubMethods.JobChanged, new JobChangedMessage(cluster.Id, cluster.JobId, nameof(JobKind.Create), cluster.End.ToString(), "bootstrap", cluster.Error));
        });
        return SubscribeResult.Done;
    }
}
