using Ladybug.Engine.Bootstrap;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>The join-command parser on captured-format kubeadm output of 1.18, 1.23 and a current minor.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class KubeadmJoinParserTests
{
    public static TheoryData<string, string, string, string> InitSamples => new()
    {
        // 1.18 indents the continuation lines with four spaces.
        { "kubeadm-init-v1.18.20.txt", "k3x9q2.7rmw0v1c4d8e5f6a", "sha256:5f1c2d0e8a7b6c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d", "9c1a7e4b2d8f6a3c5e7b9d1f3a5c7e9b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c" },
        // Later versions indent with a tab.
        { "kubeadm-init-v1.23.17.txt", "q8u6ol.845izym2xjgrp4ll", "sha256:dbedd3c30ca252ec5fb0d583e52c59bf328d07d76f001563c327e81646519a4a", "1c4dbef71f5e56a97af1d6b7c74b6ac7ae5eeba0a7ec4303e3ad840011843d0d" },
        { "kubeadm-init-v1.34.2.txt", "6dg4xz.zxima0m81fw7ikfg", "sha256:60108201f09d1acc5ad9f010baadb4bd4240fd9e7a44d06c18ce6fe6b8b4aa87", "3b63422672a10b4cd313bd9a32516f1cac4a240f6939a74144f5d0c666a7a1dc" },
    };

    [Theory]
    [MemberData(nameof(InitSamples))]
    public void ReadsBothJoinCommandsFromKubeadmInitOutput(string sample, string token, string hash, string certificateKey)
    {
        var commands = KubeadmJoinParser.ParseInitOutput(BootstrapFixtures.TestData(sample));

        Assert.Equal(new KubeadmJoinCommand("ladybug-api.cluster.internal:6443", token, hash, ControlPlane: true, certificateKey), commands.ControlPlane);
        Assert.Equal(new KubeadmJoinCommand("ladybug-api.cluster.internal:6443", token, hash, ControlPlane: false, null), commands.Worker);
    }

    [Theory]
    [InlineData("kubeadm-token-create-worker-v1.34.2.txt", "6dg4xz.zxima0m81fw7ikfg", false)]
    [InlineData("kubeadm-token-create-worker-v1.18.20.txt", "k3x9q2.7rmw0v1c4d8e5f6a", false)]
    [InlineData("kubeadm-token-create-control-plane-v1.23.17.txt", "q8u6ol.845izym2xjgrp4ll", true)]
    public void ReadsTheJoinCommandOfTokenCreate(string sample, string token, bool controlPlane)
    {
        var command = KubeadmJoinParser.ParseJoinCommand(BootstrapFixtures.TestData(sample));

        Assert.Equal("ladybug-api.cluster.internal:6443", command.Endpoint);
        Assert.Equal(token, command.Token);
        Assert.StartsWith("sha256:", command.DiscoveryHash);
        Assert.Equal(controlPlane, command.ControlPlane);
        Assert.Equal(controlPlane, command.CertificateKey is not null);
    }

    [Fact]
    public void CredentialsOfAWorkerCommandCarryNoCertificateKey()
    {
        var commands = KubeadmJoinParser.ParseInitOutput(BootstrapFixtures.TestData("kubeadm-init-v1.23.17.txt"));

        Assert.Null(commands.Worker.ToCredentials().CertificateKey);
        Assert.Equal(commands.ControlPlane.CertificateKey, commands.ControlPlane.ToCredentials().CertificateKey);
        Assert.Equal(3, commands.ControlPlane.ToCredentials().Secrets.Count);
    }

    [Fact]
    public void InitOutputWithoutTheSuccessLineIsRejected()
    {
        var output = BootstrapFixtures.TestData("kubeadm-init-v1.23.17.txt").Replace(KubeadmJoinParser.InitSucceededMarker, "");

        var ex = Assert.Throws<KubeadmOutputException>(() => KubeadmJoinParser.ParseInitOutput(output));
        Assert.Contains("did not report success", ex.Message);
    }

    [Fact]
    public void InitOutputWithoutUploadedCertificatesIsRejectedWithoutRepeatingSecrets()
    {
        var output = BootstrapFixtures.TestData("kubeadm-init-v1.34.2.txt");
        var controlPlaneCommandStart = output.IndexOf("  kubeadm join", StringComparison.Ordinal);
        var controlPlaneCommandEnd = output.IndexOf("Please note", StringComparison.Ordinal);
        var withoutControlPlane = output.Remove(controlPlaneCommandStart, controlPlaneCommandEnd - controlPlaneCommandStart);

        var ex = Assert.Throws<KubeadmOutputException>(() => KubeadmJoinParser.ParseInitOutput(withoutControlPlane));
        Assert.Contains("--upload-certs", ex.Message);
        Assert.DoesNotContain("6dg4xz", ex.Message);
    }

    [Fact]
    public void AMalformedTokenIsRejectedWithoutRepeatingIt()
    {
        const string output = "kubeadm join api:6443 --token NOT-A-TOKEN --discovery-token-ca-cert-hash sha256:" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";

        var ex = Assert.Throws<KubeadmOutputException>(() => KubeadmJoinParser.ParseJoinCommand(output));
        Assert.DoesNotContain("NOT-A-TOKEN", ex.Message);
    }

    [Fact]
    public void ProseThatMentionsKubeadmJoinIsNotACommand()
    {
        var output = "You can run kubeadm join later.\n" + BootstrapFixtures.TestData("kubeadm-token-create-worker-v1.34.2.txt");

        Assert.Single(KubeadmJoinParser.FindJoinCommands(output));
    }

    [Fact]
    public void TokenCreateOutputWithTwoCommandsIsAmbiguous()
    {
        var line = BootstrapFixtures.TestData("kubeadm-token-create-worker-v1.34.2.txt");

        Assert.Throws<KubeadmOutputException>(() => KubeadmJoinParser.ParseJoinCommand(line + line));
        Assert.Throws<KubeadmOutputException>(() => KubeadmJoinParser.ParseJoinCommand("[preflight] nothing here\n"));
    }

    [Fact]
    public void SecretsLadybugMakesHaveKubeadmsFormat()
    {
        var token = KubeadmSecrets.NewToken();
        var certificateKey = KubeadmSecrets.NewCertificateKey();
        var command = KubeadmJoinParser.ParseJoinCommand(
            $"kubeadm join api:6443 --token {token} --discovery-token-ca-cert-hash sha256:{new string('0', 64)} --control-plane --certificate-key {certificateKey}");

        Assert.Equal(token, command.Token);
        Assert.Equal(certificateKey, command.CertificateKey);
        Assert.NotEqual(token, KubeadmSecrets.NewToken());
        Assert.NotEqual(certificateKey, KubeadmSecrets.NewCertificateKey());
    }
}
