using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// Creating machines. Tumblebug's creating calls are synchronous (they answer when every node reached a final
// state) and must never be sent twice blindly: each one carries its own X-Request-Id, progress is read from
// ?option=status while it runs, and when its answer is lost the Infra is looked up and work continues from what
// exists.
public sealed partial class TumblebugInfrastructure
{
    // Undefined is not among them: Tumblebug reports a healthy VM Undefined when one CSP status call fails (UndefinedStreaks).
    private static readonly HashSet<string> FailedStatuses =
        new(["Failed", "Terminated", "Terminating", "Suspended", "Suspending"], StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        ClusterFirewall firewall, IProgress<string>? progress, CancellationToken cancellationToken) =>
        CreateMachinesAsync(ns, groupId, pools, firewall, CreateCallRecord.Untracked, progress, cancellationToken);

    public async Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        ClusterFirewall firewall, CreateCallRecord createCall, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(pools.Count);
        var deadline = time.GetUtcNow() + Options.CreationTimeout;
        var reporter = new ProgressReporter(progress, groupId);
        await EnsureNamespaceAsync(ns, cancellationToken);

        var infra = await FindInfraAsync(ns, groupId, cancellationToken);
        if (infra is not null && IsAbandoned(infra))
        {
            // When every node group fails resource preparation Tumblebug keeps the Infra, Failed with no nodes and
            // targetAction "Create" for good (cb-tumblebug src/core/infra/provisioning.go:2177-2215 @v0.13.0):
            // waiting for it would only run out the creation timeout. Nothing exists to keep, so start over.
            reporter.Note($"Infra '{groupId}' was left {infra.Status} without machines by an earlier attempt; deleting it and creating it again.");
            await DeleteAllAsync(ns, groupId, cancellationToken);
            infra = null;
        }
        // After that clean-up, which takes the cluster's template and security groups with the Infra.
        var template = await EnsureFirewallTemplateAsync(ns, groupId, firewall, cancellationToken);
        if (infra is not null)
        {
            reporter.Note($"Infra '{groupId}' already exists; continuing from what exists.");
            infra = await ResumeCreateAsync(ns, groupId, createCall.LastCallId, reporter, deadline, cancellationToken);
        }
        else
        {
            var request = new InfraDynamicReq
            {
                Name = groupId,
                Description = $"Machines of Ladybug cluster {groupId}",
                Label = new() { ["managed-by"] = "ladybug" },
                NodeGroups = [.. (await BuildNodeGroupsAsync(pools, cancellationToken)).Select(g => WithFirewall(g, template))],
                SgTemplateId = template,
            };
            reporter.Note($"Asking Tumblebug for {Describe(pools)} in Infra '{groupId}'.");
            // Kept before it is sent: an engine that stops while Tumblebug creates can ask about this call when it resumes.
            var requestId = NewRequestId(groupId);
            await createCall.RecordAsync(requestId, cancellationToken);
            infra = await SendCreatingCallAsync(ns, groupId, $"create the machines of '{groupId}'", requestId,
                (id, ct) => api.CreateInfraAsync(ns, id, request, ct),
                applied: _ => true, reporter, deadline, cancellationToken);
        }
        // Tumblebug's infraDynamic answer (or the read after a lost one) is a full read, whose node statuses it has just
        // asked the clouds for; an added node group's answer is the stored object, not asked again.
        if (await AddMissingGroupsAsync(ns, groupId, infra, pools, template, reporter, deadline, cancellationToken)) infra = null;
        var running = await WaitUntilRunningAsync(ns, groupId, pools, infra, reporter, deadline, cancellationToken);
        return await GetMachinesAsync(ns, groupId, pools: null, cancellationToken, running);
    }

    public async Task<IReadOnlyList<Machine>> AddMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        ClusterFirewall firewall, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(pools.Count);
        var deadline = time.GetUtcNow() + Options.CreationTimeout;
        var reporter = new ProgressReporter(progress, groupId);
        if (await FindInfraAsync(ns, groupId, cancellationToken) is null)
            throw new InfrastructureException($"Infra '{groupId}' does not exist in namespace '{ns}', so no machines can be added to it.", notFound: true);
        var template = await EnsureFirewallTemplateAsync(ns, groupId, firewall, cancellationToken);
        var infra = await SettleAsync(ns, groupId, reporter, deadline, cancellationToken);
        var added = await AddMissingGroupsAsync(ns, groupId, infra, pools, template, reporter, deadline, cancellationToken);
        var running = await WaitUntilRunningAsync(ns, groupId, pools, added ? null : infra, reporter, deadline, cancellationToken);
        return await GetMachinesAsync(ns, groupId, pools.Select(p => p.PoolName).ToHashSet(StringComparer.Ordinal), cancellationToken, running);
    }

    private async Task EnsureNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync($"read namespace '{ns}'", ct => api.GetNamespaceAsync(ns, ct), cancellationToken);
            return;
        }
        catch (InfrastructureException ex) when (ex.NotFound)
        {
            logger.LogInformation("Creating Tumblebug namespace {Namespace}", ns);
        }
        try
        {
            await api.CreateNamespaceAsync(new NsReq { Name = ns, Description = "Ladybug clusters" }, cancellationToken);
        }
        catch (Exception ex) when (TumblebugErrors.ServerMessage(ex)?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Someone created it in between: that is what we wanted.
        }
        catch (Exception ex) when (ex is not InfrastructureException && !cancellationToken.IsCancellationRequested)
        {
            throw await TranslateAsync(ex, $"create namespace '{ns}'", cancellationToken);
        }
    }

    /// <returns>Whether a node group was added.</returns>
    private async Task<bool> AddMissingGroupsAsync(string ns, string groupId, InfraInfo infra, IReadOnlyList<MachinePoolRequest> pools,
        string firewallTemplate, ProgressReporter reporter, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var added = false;
        foreach (var pool in pools)
        {
            if (infra.Node.Any(n => n.NodeGroupId == pool.PoolName)) continue;
            added = true;
            var group = WithFirewall(await BuildNodeGroupAsync(pool, cancellationToken), firewallTemplate);
            reporter.Note($"Asking Tumblebug for {Describe([pool])} in Infra '{groupId}'.");
            infra = await SendCreatingCallAsync(ns, groupId, $"add node group '{pool.PoolName}' to '{groupId}'", NewRequestId(groupId),
                (requestId, ct) => api.AddNodeGroupAsync(ns, groupId, requestId, group, ct),
                applied: found => found.Node.Any(n => n.NodeGroupId == pool.PoolName), reporter, deadline, cancellationToken);
        }
        return added;
    }

    /// <summary>
    /// Sends a creating call once, reporting progress while it runs. When it fails in a way that may still have
    /// worked (lost answer, 5xx, "already exists"), the Infra is looked up: if <paramref name="applied"/> holds for
    /// what exists, the work continues from there; otherwise the failure is reported.
    /// </summary>
    private async Task<InfraInfo> SendCreatingCallAsync(string ns, string groupId, string action, string requestId,
        Func<string, CancellationToken, Task<InfraInfo>> send, Func<InfraInfo, bool> applied,
        ProgressReporter reporter, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var creating = _creatingCalls.Enter(ns, groupId);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchAsync(ns, groupId, reporter, watching.Token);
        try
        {
            return await send(requestId, cancellationToken);
        }
        catch (Exception ex) when (ex is not InfrastructureException && !cancellationToken.IsCancellationRequested)
        {
            var failure = await TranslateAsync(ex, action, cancellationToken);
            var mayHaveWorked = TumblebugErrors.OutcomeUnknown(ex)
                || TumblebugErrors.ServerMessage(ex)?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true;
            if (!mayHaveWorked) throw failure;

            logger.LogWarning(ex, "Creating call {RequestId} failed in a way that may have worked; looking {Group} up", requestId, groupId);
            // When the answer itself was lost, Tumblebug kept the call's outcome under its request id: an Error there is it.
            if (TumblebugErrors.ServerMessage(ex) is null && (await AskAboutRequestAsync(requestId, cancellationToken)).Details is { Status: "Error" } outcome)
                throw new InfrastructureException($"Tumblebug could not {action}: {TumblebugErrors.Summarize(outcome.ErrorResponse)}", inner: ex);
            var found = await FindInfraAsync(ns, groupId, cancellationToken);
            if (found is null || !applied(found)) throw failure;
            reporter.Note($"{failure.Message} Tumblebug has the machines anyway; continuing from what exists.");
            return await SettleAsync(ns, groupId, reporter, deadline, cancellationToken);
        }
        finally
        {
            await watching.CancelAsync();
            await watch;
        }
    }

    /// <summary>
    /// GET /request/{reqId}: Handling, Success or Error of a tracked call (cb-tumblebug src/interface/rest/server/common/
    /// config.go:180-188 @v0.13.0). Known with null details: Tumblebug does not know the id (404: it restarted, or the
    /// call is older than an hour). Not known: Tumblebug could not be asked.
    /// </summary>
    private async Task<(bool Known, RequestDetails? Details)> AskAboutRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await api.GetRequestAsync(requestId, cancellationToken));
        }
        catch (Refit.ApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return (true, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not ask Tumblebug about call {RequestId}", requestId);
            return (false, null);
        }
    }

    /// <summary>
    /// Reports status changes while a synchronous creating call runs. Never fails: progress is a courtesy. Its reads
    /// space out as the call goes on, as waits do: creations last minutes, and ten of them polled every few seconds
    /// would take every single-Infra read Tumblebug allows, leaving the jobs that need one queuing behind them.
    /// </summary>
    private async Task WatchAsync(string ns, string groupId, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            var interval = Options.PollInterval;
            while (true)
            {
                await Task.Delay(interval, time, cancellationToken);
                interval = NextPollInterval(interval);
                try
                {
                    reporter.Report((await api.GetInfraStatusAsync(ns, groupId, cancellationToken)).Status);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Before Tumblebug has stored the Infra this is a 404; anything else shows up in the creating call itself.
                    logger.LogDebug(ex, "Status poll of {Group} failed", groupId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until Tumblebug is no longer creating anything in the Infra, then reads it.</summary>
    private async Task<InfraInfo> SettleAsync(string ns, string groupId, ProgressReporter reporter, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await PollAsync(ns, groupId, reporter, deadline, cancellationToken, status =>
            IsCreating(status) ? $"Tumblebug is still creating ({status.Status})" : null);
        return await FindInfraAsync(ns, groupId, cancellationToken)
            ?? throw new InfrastructureException($"Infra '{groupId}' disappeared from Tumblebug while its machines were being created.", notFound: true);
    }

    /// <summary>
    /// Polls until every node of <paramref name="pools"/> is Running. When <paramref name="fresh"/>, a full read whose
    /// statuses Tumblebug has just asked the clouds for, already says so, no poll is needed and it is returned: the
    /// single-Infra reads this saves are the scarce ones (2 a second for every job on one Tumblebug). Otherwise null.
    /// infraDynamic answers with GetInfraInfo, which asks the clouds for every node's status as a status read does
    /// (cb-tumblebug src/core/infra/provisioning.go:1775-1829, manageInfo.go:524-568 @v0.13.0).
    /// </summary>
    private async Task<InfraInfo?> WaitUntilRunningAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools, InfraInfo? fresh,
        ProgressReporter reporter, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (fresh is not null)
        {
            var status = StatusOf(fresh);
            reporter.Report(status);
            if (AllRunning(status, pools)) return fresh;
        }
        var undefined = new UndefinedStreaks(Options.UndefinedPollsBeforeFailure);
        await PollAsync(ns, groupId, reporter, deadline, cancellationToken, status =>
        {
            undefined.Observe(status, pools);
            return StillWaitingFor(status, pools);
        });
        return null;
    }

    /// <summary>Every pool has all its nodes, and every one of them is Running.</summary>
    private static bool AllRunning(InfraStatusInfo status, IReadOnlyList<MachinePoolRequest> pools) =>
        pools.All(p => status.Node.Count(n => NodeGroupOf(n.Id) == p.PoolName) >= p.Count)
        && status.Node.Where(n => pools.Any(p => p.PoolName == NodeGroupOf(n.Id)))
            .All(n => n.Status.Equals("Running", StringComparison.OrdinalIgnoreCase));

    /// <summary>The statuses of a full read, as ?option=status gives them (GetInfraInfo copies them from GetInfraStatus).</summary>
    private static InfraStatusInfo StatusOf(InfraInfo infra) => new()
    {
        Id = infra.Id,
        Status = infra.Status,
        TargetAction = infra.TargetAction,
        Node = [.. infra.Node.Select(n => new NodeStatusInfo { Id = n.Id, Status = n.Status, SystemMessage = n.SystemMessage, PublicIp = n.PublicIP, PrivateIp = n.PrivateIP })],
    };

    /// <summary>
    /// Polls ?option=status with a growing interval until <paramref name="waitingFor"/> returns null (done). It
    /// throws when a node failed or when <paramref name="deadline"/> passes, naming what it was waiting for.
    /// </summary>
    private async Task PollAsync(string ns, string groupId, ProgressReporter reporter, DateTimeOffset deadline,
        CancellationToken cancellationToken, Func<InfraStatusInfo, string?> waitingFor)
    {
        var interval = Options.PollInterval;
        while (true)
        {
            string? reason;
            try
            {
                var status = (await CallAsync($"read the status of '{groupId}'", ct => api.GetInfraStatusAsync(ns, groupId, ct), cancellationToken)).Status;
                reporter.Report(status);
                reason = waitingFor(status);
                if (reason is null) return;
            }
            catch (InfrastructureException ex) when (!ex.NotFound && ex.InnerException is not null)
            {
                // Tumblebug itself failed (already retried): the machines may be fine, so keep waiting until the deadline.
                reporter.Note($"{ex.Message} Still waiting.");
                reason = ex.Message;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                throw new InfrastructureException(
                    $"The machines of '{groupId}' were not ready within {Options.CreationTimeout.TotalMinutes:0.##} min ({TumblebugOptions.Section}:CreationTimeout): {reason}.");
            await Task.Delay(interval < left ? interval : left, time, cancellationToken);
            interval = NextPollInterval(interval);
        }
    }

    private TimeSpan NextPollInterval(TimeSpan interval) => TimeSpan.FromTicks(Math.Min((long)(interval.Ticks * 1.5), Options.MaxPollInterval.Ticks));

    /// <summary>Null when every node of <paramref name="pools"/> is Running; throws when one failed.</summary>
    private static string? StillWaitingFor(InfraStatusInfo status, IReadOnlyList<MachinePoolRequest> pools)
    {
        var wanted = pools.ToDictionary(p => p.PoolName, StringComparer.Ordinal);
        var nodes = status.Node.Where(n => wanted.ContainsKey(NodeGroupOf(n.Id))).ToList();

        var failed = nodes.Where(n => FailedStatuses.Contains(n.Status)).ToList();
        if (failed.Count > 0)
            throw new InfrastructureException(string.Join(" ", failed.Select(n =>
                $"Machine {n.Id} on {wanted[NodeGroupOf(n.Id)].Connection} is {n.Status}" +
                (string.IsNullOrWhiteSpace(n.SystemMessage) ? "." : $": {n.SystemMessage.Trim().TrimEnd('.')}."))));

        foreach (var pool in pools)
        {
            var count = nodes.Count(n => NodeGroupOf(n.Id) == pool.PoolName);
            if (count >= pool.Count) continue;
            if (IsCreating(status))
                return $"node group '{pool.PoolName}' has {count} of {pool.Count} machines so far";
            throw new InfrastructureException(
                $"Node group '{pool.PoolName}' on {pool.Connection} has {count} of the {pool.Count} machines asked for; Tumblebug did not create the rest.");
        }
        var pending = nodes.Where(n => !n.Status.Equals("Running", StringComparison.OrdinalIgnoreCase)).ToList();
        return pending.Count == 0
            ? null
            : string.Join(", ", pending.Select(n => $"{n.Id} is {(string.IsNullOrEmpty(n.Status) ? "unknown" : n.Status)}"));
    }

    /// <summary>A create that died before any VM existed: Failed (or Empty) with no nodes, whatever targetAction says.</summary>
    private static bool IsAbandoned(InfraInfo infra) =>
        infra.Node.Count == 0
        && (infra.Status.StartsWith("Failed", StringComparison.OrdinalIgnoreCase) || infra.Status.Equals("Empty", StringComparison.OrdinalIgnoreCase));

    private static bool IsCreating(InfraStatusInfo status) =>
        status.TargetAction.Equals("Create", StringComparison.OrdinalIgnoreCase)
        || status.Status.StartsWith("Preparing", StringComparison.OrdinalIgnoreCase);

    private static string Describe(IEnumerable<MachinePoolRequest> pools) =>
        string.Join(", ", pools.Select(p => $"{p.Count} × {p.Spec} on {p.Connection} (pool {p.PoolName})"));
}
