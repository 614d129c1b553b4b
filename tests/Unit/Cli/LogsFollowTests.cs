using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Web.Api;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Cli;

/// <summary><c>ladybug logs NAME -f</c> against a hub speaking the shared protocol.</summary>
public sealed class LogsFollowTests : IDisposable
{
    private const string Password = "follow-pw";
    private static readonly string BasicHeader = $"Basic {TestConsole.BasicCredentials("admin", Password)}";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private Task<CliResult> Follow(ContractHubHost hub, string cluster, string ns = "default", string password = Password) =>
        _cli.RunAsync("logs", cluster, "-f", "-n", ns, "-s", hub.Address.ToString(), "--user", "admin", "--password", password);

    [Fact]
    public async Task StoredThenLiveLinesArePrintedOnceAndASucceededJobExitsZero()
    {
        await using var hub = await ContractHubHost.StartAsync(BasicHeader,
            new ScriptedCluster("default", "alpha", ["creating machines", "machines running"], ["kubeadm init", "joined"], JobState.Succeeded));

        var result = (await Follow(hub, "alpha")).Succeeded();

        Assert.Equal("creating machines\n[node-1] machines running\n[node-1] kubeadm init\njoined\n", result.Output.ReplaceLineEndings("\n"));
        Assert.Contains("==> phase Provisioning", result.Error);
        Assert.Contains("==> Create job Succeeded", result.Error);
    }

    [Fact]
    public async Task AFailedJobExitsOneWithItsError()
    {
        var error = $"{FailureReason.InitControlPlaneFailed}: kubeadm init exited with 1";
        await using var hub = await ContractHubHost.StartAsync(BasicHeader,
            new ScriptedCluster("team", "beta", ["creating machines"], ["preflight failed"], JobState.Failed, error));

        var result = await Follow(hub, "beta", ns: "team");

        result.Failed($"==> Create job Failed: {error}");
        Assert.Contains("preflight failed", result.Output);
    }

    [Fact]
    public async Task AJobThatEndedBeforeSubscribingPrintsTheStoredLogAndItsOutcome()
    {
        await using var hub = await ContractHubHost.StartAsync(BasicHeader,
            new ScriptedCluster("default", "old", ["line 1", "line 2", "line 3"], [], JobState.Cancelled, "Cancelled: by a user", EndedBeforeSubscribe: true));

        var result = await Follow(hub, "old");

        result.Failed("==> Create job Cancelled");
        Assert.Equal("line 1\n[node-1] line 2\nline 3\n", result.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AnUnknownClusterFailsWithTheHubsMessage()
    {
        await using var hub = await ContractHubHost.StartAsync(BasicHeader);

        (await Follow(hub, "ghost")).Failed("Cluster 'ghost' was not found in namespace 'default'.");
    }

    [Fact]
    public async Task RefusedCredentialsAreReported()
    {
        await using var hub = await ContractHubHost.StartAsync(BasicHeader);

        (await Follow(hub, "alpha", password: "wrong")).Failed("refused the credentials (401)");
    }

    [Fact]
    public async Task AnApiTokenIsSentAsABearerToken()
    {
        await using var hub = await ContractHubHost.StartAsync("Bearer lbt_follow",
            new ScriptedCluster("default", "alpha", ["stored"], ["live"], JobState.Succeeded));

        var result = (await _cli.RunAsync("logs", "alpha", "-f", "-s", hub.Address.ToString(), "--token", "lbt_follow")).Succeeded();

        Assert.Equal("stored\n[node-1] live\n", result.Output.ReplaceLineEndings("\n"));
    }
}
