using Ladybug.Api.Contracts.Hub;
using Ladybug.Cli.Configuration;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ladybug.Cli.Logs;

/// <summary>
/// <c>ladybug logs NAME -f</c>: subscribes to the cluster on the provisioning hub, prints every stored then
/// live line once (by sequence number), and ends when the job that was newest at subscription ends.
/// Log lines go to standard output; phase and job changes to standard error, so the log can be piped.
/// </summary>
public sealed class LogFollower(ServerSettings settings, TextWriter output, TextWriter error)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<JobChangedMessage> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSequence;
    private Guid? _followedJob;
    private JobChangedMessage? _end;
    private bool _replayed;

    /// <summary>0 when the followed job succeeded, 1 when it failed or was cancelled.</summary>
    public async Task<int> FollowAsync(string ns, string cluster, CancellationToken cancellationToken)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(settings.Server, HubMethods.Path), options =>
            {
                if (settings.Token is { } token) options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                else if (settings.Authorization is { } authorization) options.Headers["Authorization"] = authorization.ToString();
            })
            .WithAutomaticReconnect()
            .Build();
        connection.On<LogLinesMessage>(HubMethods.LogLines, OnLogLines);
        connection.On<PhaseChangedMessage>(HubMethods.PhaseChanged, OnPhaseChanged);
        connection.On<JobChangedMessage>(HubMethods.JobChanged, OnJobChanged);
        // After a reconnect, continue exactly after the last line printed.
        connection.Reconnected += async _ =>
        {
            var again = await connection.InvokeAsync<SubscribeResult>(HubMethods.Subscribe, ns, cluster, LastSequence, cancellationToken);
            if (!again.Subscribed) _ended.TrySetException(new CliException(again.Problem ?? $"Cluster '{cluster}' is gone."));
        };
        connection.Closed += failure =>
        {
            _ended.TrySetException(new CliException($"The connection to {settings.Server} was lost{(failure is null ? "" : $": {failure.Message}")}."));
            return Task.CompletedTask;
        };

        await connection.StartAsync(cancellationToken);
        try
        {
            var subscribed = await connection.InvokeAsync<SubscribeResult>(HubMethods.Subscribe, ns, cluster, 0L, cancellationToken);
            if (!subscribed.Subscribed) throw new CliException(subscribed.Problem ?? $"Cluster '{cluster}' was not found.");
        }
        catch (HubException ex)
        {
            throw new CliException(ServerMessage(ex.Message));
        }
        // The stored lines were sent before Subscribe returned: only now may a job that already ended stop the follow.
        lock (_gate)
        {
            _replayed = true;
            if (_end is not null) _ended.TrySetResult(_end);
        }

        var end = await _ended.Task.WaitAsync(cancellationToken);
        error.WriteLine($"==> {end.Kind} job {end.State}{(end.Error is null ? "" : $": {end.Error}")}");
        return end.State == "Succeeded" ? 0 : 1;
    }

    private long LastSequence
    {
        get
        {
            lock (_gate) return _lastSequence;
        }
    }

    private void OnLogLines(LogLinesMessage batch)
    {
        lock (_gate)
        {
            foreach (var line in batch.Lines.OrderBy(l => l.Sequence))
            {
                if (line.Sequence <= _lastSequence) continue;
                output.WriteLine(Format(line.NodeName, line.Text));
                _lastSequence = line.Sequence;
            }
        }
    }

    private void OnPhaseChanged(PhaseChangedMessage change)
    {
        lock (_gate)
            error.WriteLine($"==> phase {change.Phase}{(change.Reason is null ? "" : $" ({change.Reason})")}{(change.Message is null ? "" : $": {change.Message}")}");
    }

    private void OnJobChanged(JobChangedMessage change)
    {
        lock (_gate)
        {
            // The hub sends the newest job first: that is the one to follow to its end.
            _followedJob ??= change.JobId;
            if (change.JobId != _followedJob) return;
            if (!change.IsFinished)
            {
                error.WriteLine($"==> {change.Kind} job {change.State}{(change.CurrentStep is null ? "" : $" at {change.CurrentStep}")}");
                return;
            }
            _end = change;
            if (_replayed) _ended.TrySetResult(change);
        }
    }

    /// <summary>One log line as printed: the node it came from, if any, then the text.</summary>
    public static string Format(string? nodeName, string text) => nodeName is null ? text : $"[{nodeName}] {text}";

    /// <summary>SignalR wraps a HubException's text in its own sentence; keep the server's words.</summary>
    private static string ServerMessage(string message)
    {
        const string marker = "HubException: ";
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        return at >= 0 ? message[(at + marker.Length)..] : message;
    }
}
