using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// Resuming a create after the engine restarted. The Infra's status cannot tell a create that is still running from one
// that died with a Tumblebug restart: the stored targetAction stays "Create" for good then (cb-tumblebug
// src/core/infra/provisioning.go:363-380, src/core/infra/manageInfo.go:1231-1245 @v0.13.0). The creating call's
// request id can: GET /request/{reqId} says Handling, Success or Error for an hour, and 404 once Tumblebug restarted
// (src/core/common/client/client.go:685-715, src/interface/rest/server/common/config.go:180-188 @v0.13.0).
public sealed partial class TumblebugInfrastructure
{
    /// <summary>Ids are never reused: Tumblebug fails a request id it already holds (requestIdAndDetailsIssuer.go:27-29 @v0.13.0).</summary>
    private static string NewRequestId(string groupId) => $"ladybug-{groupId}-{Guid.NewGuid():N}";

    /// <summary>
    /// The Infra exists: waits for the create sent earlier (<paramref name="callId"/>) by asking Tumblebug about it, then
    /// reads the Infra. Without an id, or when Tumblebug cannot be asked, it waits on the Infra's status as before.
    /// </summary>
    private async Task<InfraInfo> ResumeCreateAsync(string ns, string groupId, string? callId, ProgressReporter reporter,
        DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (callId is null) return await SettleAsync(ns, groupId, reporter, deadline, cancellationToken);
        var (known, details) = await AwaitRequestAsync(ns, groupId, callId, reporter, deadline, cancellationToken);
        if (!known)
        {
            reporter.Note($"Tumblebug cannot say what became of the create call {callId}; waiting on the status of Infra '{groupId}'.");
            return await SettleAsync(ns, groupId, reporter, deadline, cancellationToken);
        }
        switch (details?.Status)
        {
            case "Error":
                throw new InfrastructureException($"Tumblebug could not create the machines of '{groupId}': {TumblebugErrors.Summarize(details.ErrorResponse)}");
            case "Success":
                reporter.Note($"The create call {callId} sent before the restart has finished; continuing from what exists.");
                break;
            default:
                // 404: Tumblebug restarted since (or an hour passed), and the call died with it or is long over. Its
                // targetAction may say Create for good; nothing is creating any more, so it is not waited on.
                reporter.Note($"Tumblebug has no record of the create call {callId} (it restarted, or the call is over an hour old): " +
                    "nothing is creating the machines any more; continuing from what exists.");
                break;
        }
        return await FindInfraAsync(ns, groupId, cancellationToken)
            ?? throw new InfrastructureException($"Infra '{groupId}' disappeared from Tumblebug while its machines were being created.", notFound: true);
    }

    /// <summary>
    /// Asks about <paramref name="callId"/> until it is no longer Handling (reporting the Infra's status meanwhile).
    /// Known with null details: Tumblebug does not know the id (404). Not known: Tumblebug could not be asked.
    /// </summary>
    private async Task<(bool Known, RequestDetails? Details)> AwaitRequestAsync(string ns, string groupId, string callId,
        ProgressReporter reporter, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var interval = Options.PollInterval;
        var noted = false;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = Task.CompletedTask;
        try
        {
            while (true)
            {
                var (known, details) = await AskAboutRequestAsync(callId, cancellationToken);
                if (details is null) return (known, null);
                if (details.Status != "Handling") return (true, details);
                if (!noted)
                {
                    noted = true;
                    reporter.Note($"The create call {callId} sent before the restart is still running; waiting for it.");
                    watch = WatchAsync(ns, groupId, reporter, watching.Token);
                }
                var left = deadline - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                    throw new InfrastructureException(
                        $"The machines of '{groupId}' were not ready within {Options.CreationTimeout.TotalMinutes:0.##} min ({TumblebugOptions.Section}:CreationTimeout): Tumblebug is still handling the create call {callId}.");
                await Task.Delay(interval < left ? interval : left, time, cancellationToken);
                interval = NextPollInterval(interval);
            }
        }
        finally
        {
            await watching.CancelAsync();
            await watch;
        }
    }
}
