using System.Collections.Concurrent;
using Ladybug.Sandbox.Machines;
using Ladybug.Sandbox.Simulator;

namespace Ladybug.Sandbox;

/// <summary>A Tumblebug call the emulator served, for tests that count attempts.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, int StatusCode, string? RequestId)
{
    /// <summary>When the emulator received the call and when it answered it (for benches that split a job's time).</summary>
    public DateTimeOffset Received { get; init; }
    public DateTimeOffset Answered { get; init; }
}

/// <summary>
/// What can change while the sandbox runs: the faults (also pushed to every VM's simulator through
/// simulator.json) and the log of Tumblebug calls served.
/// </summary>
public sealed class SandboxControl
{
    private readonly SandboxOptions _options;
    private readonly SandboxMachines _machines;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _lock = new();
    private SandboxFaults _faults;
    private readonly List<(int Skip, int Left)> _requestFaults = [];
    private int _createResponsesToLose;
    private int _undefinedReadsLeft;

    internal SandboxControl(SandboxOptions options, SandboxMachines machines)
    {
        _options = options;
        _machines = machines;
        _faults = options.Faults;
        Apply(options.Faults);
    }

    public SandboxFaults Faults
    {
        get { lock (_lock) return _faults; }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_lock) Apply(value);
        }
    }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public void ClearRequests() => _requests.Clear();

    internal void Record(RecordedRequest request) => _requests.Enqueue(request);

    /// <summary>The first request fault that matches and still has uses; counts the use (or the call it lets through first).</summary>
    internal RequestFault? ClaimRequestFault(string method, string pathAndQuery)
    {
        lock (_lock)
        {
            for (var i = 0; i < _faults.FailRequests.Count; i++)
            {
                var fault = _faults.FailRequests[i];
                var (skip, left) = _requestFaults[i];
                if (left <= 0) continue;
                if (fault.Method.Length > 0 && !fault.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) continue;
                if (fault.PathContains.Length > 0 && !pathAndQuery.Contains(fault.PathContains, StringComparison.Ordinal)) continue;
                _requestFaults[i] = skip > 0 ? (skip - 1, left) : (0, left - 1);
                if (skip > 0) return null;
                return fault;
            }
            return null;
        }
    }

    /// <summary>Whether this creating call's answer is to be lost (LoseCreateResponses); counts the use.</summary>
    internal bool ClaimLostCreateResponse()
    {
        lock (_lock)
        {
            if (_createResponsesToLose <= 0) return false;
            _createResponsesToLose--;
            return true;
        }
    }

    /// <summary>Whether this Infra read reports Running nodes Undefined (UndefinedStatusReads); counts the use.</summary>
    internal bool ClaimUndefinedRead()
    {
        lock (_lock)
        {
            if (_undefinedReadsLeft <= 0) return false;
            _undefinedReadsLeft--;
            return true;
        }
    }

    private void Apply(SandboxFaults faults)
    {
        _faults = faults;
        _requestFaults.Clear();
        _requestFaults.AddRange(faults.FailRequests.Select(f => (f.Skip, f.Count)));
        _createResponsesToLose = faults.LoseCreateResponses;
        _undefinedReadsLeft = faults.UndefinedStatusReads;
        _machines.WriteSettings(SimulatorSettings.From(_options, faults));
    }
}
