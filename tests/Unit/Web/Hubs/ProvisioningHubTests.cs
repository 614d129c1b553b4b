using Ladybug.Api.Contracts.Hub;
using System.Net;
using System.Text.Json.Serialization;
using Ladybug.Engine.Accounts;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Hubs;

/// <summary>The hub as the CLI uses it: the SignalR .NET client against the real console on a loopback port.</summary>
public sealed class ProvisioningHubTests : IAsyncLifetime
{
    private readonly TestConsole _console = new(services => services.AddScriptedCloud(TimeSpan.FromMilliseconds(10), linesPerNode: 2));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private T Get<T>() where T : notnull => _console.Services.GetRequiredService<T>();

    private HubConnection Connect(Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? auth = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(_console.BaseAddress, "hubs/provisioning"), options =>
            {
                if (auth is null) options.Headers["Authorization"] = TestConsole.BasicHeader().ToString();
                else auth(options);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();

    private async Task<ClusterView> CreateClusterAsync(string name)
    {
        var cluster = await Get<ClusterService>().CreateAsync(new ClusterSpec
        {
            Name = name,
            ControlPlane = new NodePoolSpec { Connection = "aws-ap-northeast-1", Count = 1, Spec = "medium-2c4g" },
            WorkerPools = [new NodePoolSpec { Connection = "gcp-europe-west2", Count = 1, Spec = "medium-2c4g" }],
        });
        var queries = Get<ClusterQueries>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await queries.GetAsync(cluster.Id))!.Phase != ClusterPhase.Provisioned || !(await queries.JobsAsync(cluster.Id))[0].IsFinished)
        {
            Assert.True(DateTime.UtcNow < deadline, "The scripted create did not finish.");
            await Task.Delay(50);
        }
        await Get<IJobLog>().FlushAsync();
        return (await queries.GetAsync(cluster.Id))!;
    }

    [Fact]
    public async Task LateSubscriberGetsCurrentStateThenStoredThenLiveLinesWithNoGapAndNoDuplicate()
    {
        var cluster = await CreateClusterAsync("edge");
        var log = Get<IJobLog>();
        for (var i = 0; i < 2_300; i++) log.Append(cluster.Id, null, "edge-w1-1", "stored", LogStream.Stdout, $"stored {i}");
        await log.FlushAsync();
        var storedCount = (await log.ReadAsync(cluster.Id, 0, 10_000)).Count;

        var arrivals = new List<string>();
        var sequences = new List<long>();
        await using var connection = Connect();
        connection.On<PhaseChanged>("PhaseChanged", e => { lock (arrivals) arrivals.Add(e.Message == "marker" ? $"phase:{e.Phase}:marker" : $"phase:{e.Phase}"); });
        connection.On<JobChanged>("JobChanged", e => { lock (arrivals) arrivals.Add($"job:{e.Kind}:{e.State}"); });
        connection.On<LogLinesAppended>("LogLines", e =>
        {
            lock (arrivals)
            {
                arrivals.Add("lines");
                Assert.True(e.Lines.Count <= 1_000);
                Assert.Equal(cluster.Id, e.ClusterId);
                sequences.AddRange(e.Lines.Select(l => l.Sequence));
            }
        });
        await connection.StartAsync();

        var live = Task.Run(async () =>
        {
            for (var i = 0; i < 1_500; i++)
            {
                log.Append(cluster.Id, null, null, "live", LogStream.System, $"live {i}");
                if (i % 50 == 0) await Task.Delay(2);
            }
            await log.FlushAsync();
        });
        await connection.InvokeAsync("Subscribe", "default", "edge", 0L);
        await live;

        var total = storedCount + 1_500;
        await Eventually.TrueAsync(() => { lock (arrivals) return sequences.Count >= total; }, "The hub delivering");
        // A marker published after every line: the feed and the connection keep order, so once it arrives any repeated
        // or extra line would have arrived before it.
        Get<IProvisioningEvents>().Publish(new PhaseChanged(cluster.Id, ClusterPhase.Provisioned, null, "marker"));
        await Eventually.TrueAsync(() => { lock (arrivals) return arrivals.Contains("phase:Provisioned:marker"); }, "The marker after the lines");
        lock (arrivals) arrivals.Remove("phase:Provisioned:marker");
        lock (arrivals)
        {
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), sequences);
            Assert.Equal(["phase:Provisioned", "job:Create:Succeeded"], arrivals.Take(2));
            Assert.True(arrivals.Count(a => a == "lines") >= 3, "stored lines arrive in batches of at most 1,000");
        }
    }

    [Fact]
    public async Task SubscribeAfterASequenceSendsOnlyNewerLinesAndLiveEventsOfThatCluster()
    {
        var cluster = await CreateClusterAsync("edge");
        var last = (await Get<IJobLog>().ReadAsync(cluster.Id, 0, 10_000))[^1].Sequence;
        var sequences = new List<long>();
        var nodes = new List<string>();
        await using var connection = Connect();
        connection.On<LogLinesAppended>("LogLines", e => { lock (sequences) sequences.AddRange(e.Lines.Select(l => l.Sequence)); });
        connection.On<NodeChanged>("NodeChanged", e => { lock (nodes) nodes.Add($"{e.NodeName}:{e.Status}"); });
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", "default", "edge", last - 2);

        Get<IProvisioningEvents>().Publish(new NodeChanged(cluster.Id, "edge-w1-1", NodeStatus.Deleting, null));
        Get<IProvisioningEvents>().Publish(new NodeChanged(Guid.NewGuid(), "elsewhere", NodeStatus.Failed, null));

        await Eventually.TrueAsync(() => { lock (nodes) return nodes.Count > 0; }, "The hub delivering");
        lock (sequences) Assert.Equal([last - 1, last], sequences);
        lock (nodes) Assert.Equal(["edge-w1-1:Deleting"], nodes);
    }

    [Fact]
    public async Task SubscribingToAnUnknownClusterFailsWithAReadableMessage()
    {
        await using var connection = Connect();
        await connection.StartAsync();

        var answer = await connection.InvokeAsync<SubscribeResult>("Subscribe", "default", "ghost", 0L);

        Assert.Equal(new SubscribeResult(false, "Cluster 'ghost' was not found in namespace 'default'."), answer);
    }

    [Fact]
    public async Task AnonymousNegotiateIsRejectedWith401AndABearerTokenIsAccepted()
    {
        await using var anonymous = Connect(_ => { });
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var (_, token) = await Get<AccountService>().CreateTokenAsync(TestConsole.AdminUser, "cli", CancellationToken.None);
        await using var bearer = Connect(options => options.AccessTokenProvider = () => Task.FromResult<string?>(token));
        await bearer.StartAsync();
        Assert.Equal(HubConnectionState.Connected, bearer.State);
    }
}
