using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Secrets;
using Microsoft.Extensions.Options;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>One sshd shared by the tests of a class (making keys and starting sshd is the slow part).</summary>
public sealed class SshServerFixture : IAsyncLifetime
{
    public TestSshServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestSshServer.CreateAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The SSH remote shell against a real sshd on loopback.</summary>
public sealed class SshRemoteShellTests(SshServerFixture fixture) : IClassFixture<SshServerFixture>
{
    private readonly TestSshServer _server = fixture.Server;

    private static SshRemoteShell Shell(TimeSpan? connectWindow = null) => new(Options.Create(new SshOptions
    {
        ConnectWindow = connectWindow ?? TimeSpan.FromSeconds(20),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RetryDelay = TimeSpan.FromMilliseconds(200),
        CommandTimeout = TimeSpan.FromSeconds(60),
    }), TimeProvider.System);

    private RemoteHost Host(string? pinned = null, TestSshServer? server = null)
    {
        var s = server ?? _server;
        return new RemoteHost("node-1", "127.0.0.1", s.Port, s.User, s.ClientPrivateKey, pinned);
    }

    private static RenderedScript Script(string body, IReadOnlyList<ScriptArgument>? args = null, IReadOnlyList<string>? secrets = null, TimeSpan? timeout = null) =>
        new(BootstrapStep.Prepare, "#!/usr/bin/env bash\n" + BootstrapStep.Prepare.Marker + "\n" + body + "\n", args ?? [], secrets ?? []) { Timeout = timeout };

    [Fact]
    public async Task RunsScriptFromStdinWithArgumentsAndTagsEachStream()
    {
        var lines = new List<RemoteOutputLine>();
        var result = await Shell().RunAsync(Host(), Script("""
            echo "args: $*"
            echo "to stderr" >&2
            exit 3
            """, [new("node-name", "c-1"), new("label", "a b")]), lines.Add, CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(new RemoteOutputLine(LogStream.Stdout, "args: --node-name=c-1 --label=a b"), lines);
        Assert.Contains(new RemoteOutputLine(LogStream.Stderr, "to stderr"), lines);
        // Each stream keeps its order; between the two streams SSH.NET gives no ordering guarantee.
        Assert.Equal(["args: --node-name=c-1 --label=a b", "to stderr"], result.Tail.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StreamsEachLineWhileTheScriptIsStillRunning()
    {
        // The script can only finish after the engine has seen its first line: proof of streaming without timing.
        var signal = Path.Combine(_server.Directory, "seen-first-line-" + Guid.NewGuid().ToString("N"));
        var lines = new List<RemoteOutputLine>();
        var result = await Shell().RunAsync(Host(), Script($$"""
            echo first
            for _ in $(seq 1 400); do [ -f {{signal}} ] && break; sleep 0.05; done
            [ -f {{signal}} ] && echo second
            """), line =>
            {
                lines.Add(line);
                if (line.Text == "first") File.WriteAllText(signal, "");
            }, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["first", "second"], lines.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Text));
    }

    [Fact]
    public async Task RedactsKnownAndPatternSecretsBeforeTheCallerSeesAnyLine()
    {
        const string token = "abcdef.0123456789abcdef";
        const string certificateKey = "f8902e114ef118304e561c3ecd4d0b543adc226b7a07f675f56564185ffe0c07";
        const string custom = "s3cret-value-known-to-the-cluster";
        var lines = new List<RemoteOutputLine>();
        var result = await Shell().RunAsync(Host(), Script($"""
            echo "kubeadm join api:6443 --token {token} --discovery-token-ca-cert-hash sha256:{new string('a', 64)}"
            echo "--control-plane --certificate-key {certificateKey}"
            echo "password is {custom}" >&2
            printf -- '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n'
            exit 1
            """, secrets: [custom]), lines.Add, CancellationToken.None);

        var shown = string.Join('\n', lines.Select(l => l.Text)) + string.Join('\n', result.Tail);
        Assert.DoesNotContain(token, shown);
        Assert.DoesNotContain(certificateKey, shown);
        Assert.DoesNotContain(new string('a', 64), shown);
        Assert.DoesNotContain(custom, shown);
        Assert.DoesNotContain("MIIEowIBAAKCAQEA", shown);
        Assert.Contains(LogRedactor.Mask, shown);
        // The raw stdout stays available to parsers (never logged).
        Assert.Contains(token, result.Stdout);
    }

    [Fact]
    public async Task PinsTheHostKeyOnFirstConnectAndAcceptsItAfterwards()
    {
        var first = await Shell().RunAsync(Host(), Script("true"), _ => { }, CancellationToken.None);
        Assert.Equal(_server.HostKeyFingerprint, first.HostKeyFingerprint);

        var second = await Shell().RunAsync(Host(pinned: first.HostKeyFingerprint), Script("true"), _ => { }, CancellationToken.None);
        Assert.Equal(0, second.ExitCode);
    }

    [Fact]
    public async Task KeepsTheConnectionForTheNextStepOnTheSameMachine()
    {
        var shell = Shell();
        var first = await shell.RunAsync(Host(), Script("echo \"$SSH_CONNECTION\""), _ => { }, CancellationToken.None);
        var second = await shell.RunAsync(Host(pinned: first.HostKeyFingerprint), Script("echo \"$SSH_CONNECTION\""), _ => { }, CancellationToken.None);

        // SSH_CONNECTION names the client's port: the same port is the same TCP connection.
        Assert.Equal(first.Stdout, second.Stdout);
        var fresh = await Shell().RunAsync(Host(), Script("echo \"$SSH_CONNECTION\""), _ => { }, CancellationToken.None);
        Assert.NotEqual(first.Stdout, fresh.Stdout);
    }

    [Fact]
    public async Task ConnectsAfreshWhenTheKeptConnectionDiedWhileIdle()
    {
        await using var rebooting = await TestSshServer.CreateAsync();
        var shell = Shell();
        var before = await shell.RunAsync(Host(server: rebooting), Script("echo \"$SSH_CONNECTION\""), _ => { }, CancellationToken.None);
        await rebooting.StopAsync();
        await rebooting.StartAsync();

        var after = await shell.RunAsync(Host(server: rebooting), Script("echo \"$SSH_CONNECTION\""), _ => { }, CancellationToken.None);

        Assert.Equal(0, after.ExitCode);
        Assert.NotEqual(before.Stdout, after.Stdout);
    }

    [Fact]
    public async Task RefusesAChangedHostKeyWithAClearMessage()
    {
        const string pinned = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var ex = await Assert.ThrowsAsync<RemoteShellException>(() =>
            Shell().RunAsync(Host(pinned), Script("echo should-not-run"), _ => { }, CancellationToken.None));

        Assert.Equal(RemoteShellFailure.HostKeyChanged, ex.Failure);
        Assert.Contains("node-1", ex.Message);
        Assert.Contains(pinned, ex.Message);
        Assert.Contains(_server.HostKeyFingerprint, ex.Message);
    }

    [Fact]
    public async Task KeepsTryingWhileTheMachineBoots()
    {
        await using var booting = await TestSshServer.CreateAsync(start: false);
        var notes = new System.Collections.Concurrent.ConcurrentQueue<RemoteOutputLine>();
        var run = Shell().RunAsync(Host(server: booting), Script("echo up"), notes.Enqueue, CancellationToken.None);
        // sshd comes up only after the shell has failed at least once and said it is retrying.
        while (!notes.Any(n => n.Stream == LogStream.System) && !run.IsCompleted)
            await Task.Delay(20);
        await booting.StartAsync();

        var result = await run;
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(notes, n => n.Stream == LogStream.System && n.Text.Contains("retrying"));
        Assert.Contains(new RemoteOutputLine(LogStream.Stdout, "up"), notes);
    }

    [Fact]
    public async Task GivesUpWhenTheMachineStaysUnreachable()
    {
        await using var down = await TestSshServer.CreateAsync(start: false);
        var ex = await Assert.ThrowsAsync<RemoteShellException>(() =>
            Shell(connectWindow: TimeSpan.FromSeconds(1)).RunAsync(Host(server: down), Script("true"), _ => { }, CancellationToken.None));

        Assert.Equal(RemoteShellFailure.Unreachable, ex.Failure);
        Assert.Contains("node-1", ex.Message);
    }

    [Fact]
    public async Task FailsAStepThatRunsPastItsTimeout()
    {
        var ex = await Assert.ThrowsAsync<RemoteShellException>(() =>
            Shell().RunAsync(Host(), Script("echo started; sleep 30", timeout: TimeSpan.FromSeconds(1)), _ => { }, CancellationToken.None));

        Assert.Equal(RemoteShellFailure.TimedOut, ex.Failure);
        Assert.Contains("prepare", ex.Message);
    }

    [Fact]
    public async Task StopsWhenCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var run = Shell().RunAsync(Host(), Script("echo started; sleep 30"), line =>
        {
            if (line.Text == "started") cancel.Cancel();
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Theory]
    [InlineData(null, "curve25519-sha256")]
    [InlineData("sntrup761x25519-sha512,curve25519-sha256", "sntrup761x25519-sha512")]
    [InlineData("no-such-kex,ecdh-sha2-nistp256", "ecdh-sha2-nistp256")]
    public void NegotiatesThePreferredKeyExchangeTheServerOffers(string? preferred, string negotiated)
    {
        // This sshd (OpenSSH 9.2) offers sntrup761 and curve25519 but not ML-KEM: the default skips to curve25519.
        var settings = new SshOptions();
        if (preferred is not null) settings.PreferredKeyExchanges = preferred;
        var key = new Renci.SshNet.PrivateKeyFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(_server.ClientPrivateKey)));
        using var client = SshRemoteShell.CreateClient(Host(), key, settings);

        client.Connect();

        Assert.Equal(negotiated, client.ConnectionInfo.CurrentKeyExchangeAlgorithm);
    }

    [Fact]
    public void RefusesAKeyExchangeSshNetDoesNotImplement()
    {
        var result = new SshOptionsValidator().Validate(null, new SshOptions { PreferredKeyExchanges = "curve25519-sha256, curve25519-sha257" });

        Assert.True(result.Failed);
        Assert.Contains("curve25519-sha257", result.FailureMessage);
        Assert.DoesNotContain("implement curve25519-sha256,", result.FailureMessage);
    }
}
