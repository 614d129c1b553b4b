using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Secrets;
using Ladybug.Engine.Telemetry;
using Microsoft.Extensions.Options;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// <see cref="IRemoteShell"/> over SSH.NET: one command channel per script run. The SSH connection under it is kept
/// for the next step on the same machine for a while (<see cref="SshOptions.IdleConnectionLifetime"/>): a handshake
/// costs more than most steps' own work on the engine's side, and the leader runs five steps in a row.
/// </summary>
internal sealed class SshRemoteShell(IOptions<SshOptions> options, TimeProvider time) : IRemoteShell, IDisposable
{
    private const string FingerprintPrefix = "SHA256:";

    private readonly SshConnectionPool _pool = new(time);

    public void Dispose() => _pool.Dispose();

    public async Task<RemoteRunResult> RunAsync(RemoteHost host, RenderedScript script, Action<RemoteOutputLine> onLine, CancellationToken cancellationToken)
    {
        // One span per command, never per line: a script prints thousands.
        using var activity = EngineTelemetry.Source.StartActivity($"ssh {script.Step.Name}", ActivityKind.Client);
        activity?.SetTag(EngineTelemetry.Tags.Step, script.Step.Name).SetTag(EngineTelemetry.Tags.Node, host.NodeName)
            .SetTag(EngineTelemetry.Tags.ServerAddress, host.Address).SetTag(EngineTelemetry.Tags.ServerPort, host.Port);
        try
        {
            var result = await RunCommandAsync(host, script, onLine, cancellationToken);
            activity?.SetTag(EngineTelemetry.Tags.ExitCode, result.ExitCode);
            if (!result.Succeeded) activity?.SetStatus(ActivityStatusCode.Error, $"exit code {result.ExitCode}");
            return result;
        }
        catch (RemoteShellException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Failure.ToString());
            throw;
        }
    }

    private async Task<RemoteRunResult> RunCommandAsync(RemoteHost host, RenderedScript script, Action<RemoteOutputLine> onLine, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var output = new OutputCollector(script.Secrets, settings.TailLines, onLine);
        if (_pool.Take(host, settings.IdleConnectionLifetime) is { } idle)
        {
            try
            {
                return await RunOnAsync(idle, host, script, settings, output, cancellationToken);
            }
            catch (RemoteShellException ex) when (ex.Failure == RemoteShellFailure.ConnectionLost && !output.Any && !cancellationToken.IsCancellationRequested)
            {
                // The kept connection had died while idle (the machine rebooted, a NAT forgot it): nothing ran; connect afresh.
            }
        }
        var connection = await ConnectAsync(host, settings, output, cancellationToken);
        return await RunOnAsync(connection, host, script, settings, output, cancellationToken);
    }

    /// <summary>Runs the script on an open connection; the connection goes back to the pool unless it broke.</summary>
    private async Task<RemoteRunResult> RunOnAsync(SshConnection connection, RemoteHost host, RenderedScript script, SshOptions settings,
        OutputCollector output, CancellationToken cancellationToken)
    {
        var (client, fingerprint) = (connection.Client, connection.Fingerprint);
        var reusable = false;
        try
        {
            var timeout = script.Timeout ?? settings.CommandTimeout;
            using var command = CreateCommand(client, host, script);
            command.CommandTimeout = timeout;
            try
            {
                // ExecuteAsync opens the channel synchronously (a round trip to sshd, which forks the session's
                // command): on pool threads, 51 nodes starting a step at once queued behind each other's opens and
                // their scripts started up to 0.9 s apart in the provision benchmark.
                var execution = await OnOwnThreadAsync(() => command.ExecuteAsync(cancellationToken));
                var stdout = PumpAsync(command.OutputStream, LogStream.Stdout, output);
                var stderr = PumpAsync(command.ExtendedOutputStream, LogStream.Stderr, output);
                await OnOwnThreadAsync(() =>
                {
                    using var stdin = command.CreateInputStream();
                    stdin.Write(Encoding.UTF8.GetBytes(script.Text));
                });
                await execution;
                await Task.WhenAll(stdout, stderr);
            }
            catch (SshOperationTimeoutException ex)
            {
                throw new RemoteShellException(RemoteShellFailure.TimedOut,
                    $"Step '{script.Step.Name}' on {host} did not finish within {timeout}.", output.Tail(), ex);
            }
            catch (Exception ex) when (ex is SshConnectionException or SocketException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                throw new RemoteShellException(RemoteShellFailure.ConnectionLost,
                    $"The SSH connection to {host} broke during step '{script.Step.Name}': {ex.Message}", output.Tail(), ex);
            }

            // A script killed by a signal has no exit status; report it like a shell does (128 + signal).
            var exitCode = command.ExitStatus ?? (command.ExitSignal is null ? -1 : 128 + SignalNumber(command.ExitSignal));
            reusable = client.IsConnected && settings.IdleConnectionLifetime > TimeSpan.Zero;
            return new RemoteRunResult(exitCode, fingerprint, output.Stdout, output.Tail());
        }
        finally
        {
            if (reusable) _pool.Return(host, connection);
            else client.Dispose();
        }
    }

    private static SshCommand CreateCommand(SshClient client, RemoteHost host, RenderedScript script)
    {
        try
        {
            return client.CreateCommand(script.CommandLine, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is SshConnectionException or ObjectDisposedException)
        {
            throw new RemoteShellException(RemoteShellFailure.ConnectionLost,
                $"The SSH connection to {host} was closed before step '{script.Step.Name}' could start: {ex.Message}", [], ex);
        }
    }

    private async Task<SshConnection> ConnectAsync(RemoteHost host, SshOptions settings, OutputCollector output, CancellationToken cancellationToken)
    {
        var key = ReadPrivateKey(host);
        var deadline = time.GetUtcNow() + settings.ConnectWindow;
        for (var attempt = 1; ; attempt++)
        {
            string? presented = null;
            var client = CreateClient(host, key, settings);
            client.HostKeyReceived += (_, e) =>
            {
                presented = FingerprintPrefix + e.FingerPrintSHA256;
                e.CanTrust = host.PinnedHostKey is null || string.Equals(host.PinnedHostKey, presented, StringComparison.Ordinal);
            };
            try
            {
                await OnOwnThreadAsync(client.Connect);
                cancellationToken.ThrowIfCancellationRequested();
                EngineTelemetry.SshConnect(EngineTelemetry.SshOutcomes.Connected);
                return new SshConnection(client, presented ?? throw new InvalidOperationException("SSH.NET connected without reporting the host key."));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                client.Dispose();
                var left = deadline - time.GetUtcNow();
                var hostKeyChanged = presented is not null && host.PinnedHostKey is not null && presented != host.PinnedHostKey;
                EngineTelemetry.SshConnect(!hostKeyChanged && IsTransient(ex) && left > TimeSpan.Zero ? EngineTelemetry.SshOutcomes.Retried : EngineTelemetry.SshOutcomes.Failed);
                if (hostKeyChanged)
                    throw new RemoteShellException(RemoteShellFailure.HostKeyChanged,
                        $"The host key of {host} changed: it was {host.PinnedHostKey} when first seen and is now {presented}. " +
                        "Ladybug refuses to connect, because this can mean another machine answers at that address. " +
                        "If the machine was rebuilt on purpose, remove and re-add the node.", inner: ex);
                if (!IsTransient(ex))
                    throw new RemoteShellException(RemoteShellFailure.Unreachable, $"Cannot open an SSH session to {host}: {ex.Message}", inner: ex);
                if (left <= TimeSpan.Zero)
                    throw new RemoteShellException(RemoteShellFailure.Unreachable,
                        $"Could not reach {host} over SSH within {settings.ConnectWindow} ({attempt} attempts); last error: {ex.Message}", inner: ex);
                output.System($"SSH to {host} not ready yet (attempt {attempt}: {ex.Message}); retrying in {settings.RetryDelay.TotalSeconds:0.#}s");
                await Task.Delay(settings.RetryDelay < left ? settings.RetryDelay : left, time, cancellationToken);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    private static PrivateKeyFile ReadPrivateKey(RemoteHost host)
    {
        try
        {
            return new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(host.PrivateKey)));
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or InvalidOperationException or FormatException)
        {
            // The exception text never includes the key itself.
            throw new RemoteShellException(RemoteShellFailure.Unreachable, $"The SSH private key of {host} cannot be read: {ex.Message}", inner: ex);
        }
    }

    internal static SshClient CreateClient(RemoteHost host, PrivateKeyFile key, SshOptions settings)
    {
        var connection = new ConnectionInfo(host.Address, host.Port, host.User, new PrivateKeyAuthenticationMethod(host.User, key))
        {
            Timeout = settings.ConnectTimeout,
        };
        SshKeyExchanges.Prefer(connection, settings.PreferredKeyExchanges);
        return new SshClient(connection) { KeepAliveInterval = settings.KeepAliveInterval };
    }

    /// <summary>What a booting machine looks like: nothing listening yet, sshd restarting, the key not installed yet.</summary>
    private static bool IsTransient(Exception ex) => ex is SocketException or SshConnectionException or SshOperationTimeoutException
        or SshAuthenticationException or ProxyException or TimeoutException or IOException;

    /// <summary>
    /// SSH.NET waits synchronously inside connecting and inside its channel streams. On pool threads, 50 machines
    /// at once starved the thread pool (it adds a thread or two per second): in the provision benchmark the first
    /// contact with 51 machines took ~50 s, ~16 s once these waits had threads of their own.
    /// </summary>
    private static Task OnOwnThreadAsync(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task<T> OnOwnThreadAsync<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task PumpAsync(Stream stream, LogStream kind, OutputCollector output) => OnOwnThreadAsync(() =>
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
            output.Line(kind, line);
    });

    private static int SignalNumber(string signal) => signal switch
    {
        "HUP" => 1, "INT" => 2, "QUIT" => 3, "KILL" => 9, "SEGV" => 11, "PIPE" => 13, "ALRM" => 14, "TERM" => 15,
        _ => 0,
    };

    /// <summary>
    /// Redacts each line at the source (one redactor per stream: a PEM block spans lines), hands it to
    /// the caller in arrival order, keeps the last lines for failure messages and the raw stdout for parsers.
    /// </summary>
    private sealed class OutputCollector(IReadOnlyList<string> secrets, int tailLines, Action<RemoteOutputLine> onLine)
    {
        private readonly Lock _gate = new();
        private readonly LogRedactor _stdoutRedactor = new(secrets);
        private readonly LogRedactor _stderrRedactor = new(secrets);
        private readonly Queue<string> _tail = new();
        private readonly StringBuilder _stdout = new();

        /// <summary>Parsers need a few kilobytes (join commands, a kubeconfig); a runaway script must not eat memory.</summary>
        private const int MaxCapturedStdout = 4 * 1024 * 1024;

        public string Stdout
        {
            get { lock (_gate) return _stdout.ToString(); }
        }

        public void Line(LogStream stream, string raw)
        {
            lock (_gate)
            {
                if (stream == LogStream.Stdout && _stdout.Length < MaxCapturedStdout) _stdout.Append(raw).Append('\n');
                var clean = (stream == LogStream.Stderr ? _stderrRedactor : _stdoutRedactor).Redact(raw);
                _tail.Enqueue(clean);
                while (_tail.Count > tailLines) _tail.Dequeue();
                onLine(new RemoteOutputLine(stream, clean));
            }
        }

        public void System(string text)
        {
            lock (_gate) onLine(new RemoteOutputLine(LogStream.System, text));
        }

        public IReadOnlyList<string> Tail()
        {
            lock (_gate) return [.. _tail];
        }

        /// <summary>Whether the script printed anything yet.</summary>
        public bool Any
        {
            get { lock (_gate) return _stdout.Length > 0 || _tail.Count > 0; }
        }
    }
}
