using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Secrets;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>Tokens, certificate keys, discovery hashes and private keys never survive into a log line.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class BootstrapRedactionTests
{
    [Theory]
    [InlineData("kubeadm-init-v1.18.20.txt")]
    [InlineData("kubeadm-init-v1.23.17.txt")]
    [InlineData("kubeadm-init-v1.34.2.txt")]
    public void KubeadmInitOutputLosesEverySecretLineByLine(string sample)
    {
        var output = BootstrapFixtures.TestData(sample);
        var commands = KubeadmJoinParser.ParseInitOutput(output);
        // Pattern-only (an unknown cluster) and with the cluster's known values.
        foreach (var redactor in new[] { new LogRedactor(), new LogRedactor(commands.ControlPlane.ToCredentials().Secrets) })
        {
            var redacted = string.Join('\n', output.Split('\n').Select(redactor.Redact));

            Assert.DoesNotContain(commands.Worker.Token, redacted);
            Assert.DoesNotContain(commands.Worker.DiscoveryHash["sha256:".Length..], redacted);
            Assert.DoesNotContain(commands.ControlPlane.CertificateKey!, redacted);
            Assert.Contains("Your Kubernetes control-plane has initialized successfully!", redacted);
            Assert.Contains("kubeadm join ladybug-api.cluster.internal:6443 --token [REDACTED]", redacted);
        }
    }

    [Fact]
    public void KnownSecretsAreMaskedWhereverTheyAppearEvenInShortLines()
    {
        var redactor = new LogRedactor(["Sup3rS3cret", "short"]);

        Assert.Equal("[REDACTED]", redactor.Redact("Sup3rS3cret"));
        Assert.Equal("x=[REDACTED];", redactor.Redact("x=Sup3rS3cret;"));
        // Too short to match safely by value: ordinary words would be garbled.
        Assert.Equal("a short line", redactor.Redact("a short line"));
    }

    [Fact]
    public void PrivateKeysAndKubeconfigCredentialsAreMasked()
    {
        var redactor = new LogRedactor();
        string[] lines =
        [
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            "-----END OPENSSH PRIVATE KEY-----",
            "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB",
            "after the key",
        ];

        var redacted = lines.Select(redactor.Redact).ToList();

        Assert.Equal(["[REDACTED]", "[REDACTED]", "[REDACTED]"], redacted.Take(3));
        Assert.Equal("    client-key-data: [REDACTED]", redacted[3]);
        Assert.Equal("after the key", redacted[4]);
    }

    [Fact]
    public void AFailureMessageCarriesOnlyRedactedLines()
    {
        var redactor = new LogRedactor(["abcdef.0123456789abcdef"]);
        var tail = new[] { "error execution phase preflight: couldn't validate the identity of the API Server", "kubeadm join api:6443 --token abcdef.0123456789abcdef" }
            .Select(redactor.Redact).ToList();

        var message = NodeScripts.FailureMessage(new Node { Name = "w-1" }, BootstrapStep.JoinWorker, 1, null, tail);

        Assert.Contains("Step 'join-worker' failed on node w-1 with exit code 1.", message);
        Assert.Contains("Last 2 lines:", message);
        Assert.DoesNotContain("abcdef.0123456789abcdef", message);
    }
}
