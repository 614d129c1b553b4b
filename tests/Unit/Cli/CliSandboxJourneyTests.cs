using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>
/// Issue 6's CLI journey with nothing faked: the ladybug CLI against the console on a loopback port, which runs
/// the embedded sandbox cloud (sshd VMs, node simulator) and the real kubeadm bootstrap over SSH.
/// create → logs -f → kubeconfig → delete, the way a person at a terminal would run it.
/// </summary>
public sealed class CliSandboxJourneyTests : IDisposable
{
    private readonly TestConsole _console = new(settings: new Dictionary<string, string?>
    {
        ["Ladybug:Sandbox:VmCreateDelay"] = "00:00:00.200",
        ["Ladybug:Sandbox:InitializationDelay"] = "00:00:00",
        ["Ladybug:Sandbox:StepLatency"] = "00:00:00.010",
        ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
        ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
        ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
    });

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task CreateFollowTheLogFetchTheKubeconfigAndDeleteOnTheSandbox()
    {
        using var cli = CliHarness.SignedInTo(_console);

        var created = (await cli.RunAsync("create", "cluster", "--name", "journey",
            "--control-plane-connection", "aws-ap-northeast-1", "--control-plane-spec", "t3.medium",
            "--worker-connection", "gcp-europe-west2", "--worker-spec", "e2-medium",
            "--worker-connection", "azure-koreacentral", "--worker-spec", "Standard_B2s")).Succeeded();
        var followed = (await cli.RunAsync("logs", "journey", "-f")).Succeeded();
        var nodes = (await cli.RunAsync("get", "node", "--cluster", "journey")).Succeeded();
        var kubeconfig = (await cli.RunAsync("kubeconfig", "journey")).Succeeded();
        var deleted = (await cli.RunAsync("delete", "cluster", "journey", "--wait")).Succeeded();

        Assert.Contains("journey", created.Output);
        // The follow saw the whole job, from the machines to the kubeadm output on the nodes, and its end.
        Assert.Contains("Your Kubernetes control-plane has initialized successfully!", followed.Output);
        Assert.Contains("This node has joined the cluster:", followed.Output);
        Assert.Contains("==> Create job Succeeded", followed.Error);
        Assert.DoesNotContain("PRIVATE KEY", followed.Output);
        foreach (var node in new[] { "cp-1", "w1-1", "w2-1" })
            Assert.Contains(node, nodes.Output);
        Assert.Contains("Ready", nodes.Output);
        // A real admin kubeconfig: the leader's API endpoint on its sandbox (loopback) address, a CA and a client certificate.
        Assert.Contains("apiVersion: v1", kubeconfig.Output);
        Assert.Matches(@"server: https://127\.\d+\.\d+\.\d+:6443", kubeconfig.Output);
        Assert.Contains("certificate-authority-data:", kubeconfig.Output);
        Assert.Contains("client-certificate-data:", kubeconfig.Output);
        Assert.Contains("Cluster 'journey' has been deleted", deleted.Output);
        (await cli.RunAsync("get", "cluster", "journey")).Failed("was not found");
    }
}
