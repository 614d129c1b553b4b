using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// Runs the node simulator inside the sandbox process for every SSH command of every VM. Each VM's sshd runs a perl
/// shim (<c>simulator-shim.pl</c>) as ForceCommand that connects to this host's Unix socket, sends the VM directory,
/// its pid and the command, streams stdin, and relays the stdout, stderr and exit frames it gets back. A dropped
/// connection (fault) kills the shim's sshd session, as the network would.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private const string ShimResource = "Ladybug.Sandbox.Simulator.simulator-shim.pl";
    private const int MaxHeaderBytes = 1024 * 1024;

    private readonly Socket _listener;
    private readonly NodeSimulatorRegistry _registry = SimulatorCatalog.CreateRegistry();
    private readonly string _settingsPath;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly HashSet<Task> _sessions = [];
    private readonly Lock _gate = new();

    public SimulatorHost(string directory, string settingsPath, ILogger logger)
    {
        _settingsPath = settingsPath;
        _logger = logger;
        SocketPath = SocketPathIn(directory);
        ShimPath = Path.Combine(directory, "simulator-shim.pl");
        using (var shim = Assembly.GetExecutingAssembly().GetManifestResourceStream(ShimResource)
            ?? throw new InvalidOperationException($"{ShimResource} is not embedded."))
        using (var file = File.Create(ShimPath))
            shim.CopyTo(file);
        File.Delete(SocketPath);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }
    public string ShimPath { get; }

    /// <summary>The ForceCommand prefix; the VM adds <c>--node-dir DIR</c>.</summary>
    public string Command => $"exec /usr/bin/perl {ShellQuote(ShimPath)} {ShellQuote(SocketPath)}";

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        Task[] running;
        lock (_gate) running = [.. _sessions, _accepting];
        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
        {
        }
        File.Delete(SocketPath);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var session = Task.Run(() => ServeAsync(connection));
            lock (_gate) _sessions.Add(session);
            _ = session.ContinueWith(t => { lock (_gate) _sessions.Remove(t); }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        await using var stream = new NetworkStream(connection, ownsSocket: true);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var frames = new FrameWriter(stream);
        try
        {
            var (nodeDirectory, shimPid, command) = await ReadHeaderAsync(stream, session.Token);
            var stdin = new Pipe();
            // stdin frames, until EOF; the shim closing early (the SSH client went away) cancels the command.
            var pumping = PumpStdinAsync(stream, stdin.Writer, session);
            var node = SimulatedNode.Load(nodeDirectory);
            var settings = SimulatorFileStore.Read<SimulatorSettings>(_settingsPath) ?? new SimulatorSettings();
            var dropped = false;
            using var input = new StreamReader(stdin.Reader.AsStream(), new UTF8Encoding(false));
            await using var output = new StreamWriter(new FrameStream(frames, 'O'), new UTF8Encoding(false)) { AutoFlush = true };
            await using var error = new StreamWriter(new FrameStream(frames, 'R'), new UTF8Encoding(false)) { AutoFlush = true };
            var simulator = new NodeSimulator(_registry, node, new SimulatedCluster(node.Identity.ClusterDirectory), settings, input, output, error, () =>
            {
                dropped = true;
                SshSession.DropAbove(shimPid);
            });
            var status = await simulator.RunAsync(command, session.Token);
            if (!dropped)
                await frames.WriteAsync('X', BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(status)), session.Token);
            await session.CancelAsync();
            await pumping;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The session ended from the other side (client gone, sshd killed) or the sandbox is stopping.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The node simulator failed on a command");
            try
            {
                await frames.WriteAsync('R', Encoding.UTF8.GetBytes($"ladybug-sandbox: internal error in the node simulator: {ex.Message}\n"), CancellationToken.None);
                await frames.WriteAsync('X', BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(70)), CancellationToken.None);
            }
            catch (Exception write) when (write is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<(string NodeDirectory, int ShimPid, string Command)> ReadHeaderAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = new byte[4];
        await stream.ReadExactlyAsync(length, cancellationToken);
        var size = BinaryPrimitives.ReadInt32BigEndian(length);
        if (size is < 0 or > MaxHeaderBytes) throw new IOException($"A simulator header of {size} bytes is not one.");
        var header = new byte[size];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var parts = Encoding.UTF8.GetString(header).Split('\0', 3);
        if (parts.Length != 3 || !int.TryParse(parts[1], out var pid)) throw new IOException("The simulator header is malformed.");
        return (parts[0], pid, parts[2]);
    }

    private static async Task PumpStdinAsync(Stream stream, PipeWriter stdin, CancellationTokenSource session)
    {
        var head = new byte[5];
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(head, session.Token);
                var length = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(1));
                if (head[0] == (byte)'E') break;
                if (head[0] != (byte)'I' || length is < 0 or > MaxHeaderBytes) throw new IOException("Unexpected frame from the simulator shim.");
                var memory = stdin.GetMemory(length)[..length];
                await stream.ReadExactlyAsync(memory, session.Token);
                stdin.Advance(length);
                await stdin.FlushAsync(session.Token);
            }
            await stdin.CompleteAsync();
            // Nothing more comes from the shim until the command ends; its closing means the client went away.
            await stream.ReadExactlyAsync(head.AsMemory(0, 1), session.Token);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or SocketException)
        {
            await stdin.CompleteAsync();
            await session.CancelAsync();
        }
        catch (OperationCanceledException)
        {
            await stdin.CompleteAsync();
        }
    }

    /// <summary>Unix socket paths are limited to 107 bytes; a deep state directory gets one under the temp directory.</summary>
    private static string SocketPathIn(string directory)
    {
        var path = Path.Combine(directory, "simulator.sock");
        return Encoding.UTF8.GetByteCount(path) < 100
            ? path
            : Path.Combine(Path.GetTempPath(), $"ladybug-sim-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..16]}.sock");
    }

    internal static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>Frames to the shim: a type byte, a big-endian length, the data; one writer at a time.</summary>
    private sealed class FrameWriter(Stream stream)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task WriteAsync(char type, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var frame = new byte[5 + data.Length];
            frame[0] = (byte)type;
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), data.Length);
            data.CopyTo(frame.AsMemory(5));
            await _gate.WaitAsync(cancellationToken);
            try
            {
                await stream.WriteAsync(frame, cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>A write-only stream whose writes become frames of one type (stdout or stderr).</summary>
    private sealed class FrameStream(FrameWriter frames, char type) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            frames.WriteAsync(type, buffer.AsMemory(offset, count).ToArray(), CancellationToken.None).GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            frames.WriteAsync(type, buffer.AsMemory(offset, count).ToArray(), cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await frames.WriteAsync(type, buffer.ToArray(), cancellationToken);
    }
}
