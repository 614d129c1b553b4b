using System.Net;
using Microsoft.Extensions.Logging;
using Refit;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// Deleting. Tumblebug deletes nothing at once: a node DELETE terminates the VM, looks three times in six seconds
// whether it is gone and otherwise answers 400, the VM still terminating (cb-tumblebug src/core/infra/manageInfo.go:3431-3465
// @v0.13.0); an Infra DELETE answers 500 while nodes are still Terminating (manageInfo.go:3101-3205). Both are asked
// again, with a growing pause, until the machine or the Infra is gone or DeleteTimeout passes.
public sealed partial class TumblebugInfrastructure
{
    private readonly CreatingCalls _creatingCalls = new();

    public async Task DeleteMachineAsync(string ns, string groupId, string machineId, CancellationToken cancellationToken)
    {
        // Tumblebug refuses node deletes while the Infra is under Create: wait for this process's own creating calls.
        await _creatingCalls.WhenIdleAsync(ns, groupId, cancellationToken);
        await RetryDeleteAsync($"delete machine '{machineId}' of '{groupId}'",
            ct => api.DeleteNodeAsync(ns, groupId, machineId, ct),
            async ct => await FindStatusAsync(ns, groupId, ct) is not { } status ? null
                : status.Node.FirstOrDefault(n => n.Id == machineId) is { } node
                    ? $"{machineId} is {node.Status}{(status.TargetAction is "" or "None" ? "" : $", Infra under {status.TargetAction}")}"
                    : null,
            cancellationToken);
    }

    public async Task DeleteAllAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        await RetryDeleteAsync($"terminate and delete the machines of '{groupId}'",
            ct => api.DeleteInfraAsync(ns, groupId, ct),
            async ct => await FindStatusAsync(ns, groupId, ct) is { } status ? $"Infra '{groupId}' is {status.Status}" : null,
            cancellationToken);
        // The cluster's firewall goes with its machines (Tumblebug keeps node groups' security groups after the Infra).
        await DeleteFirewallTemplateAsync(ns, groupId, cancellationToken);
        await DeleteSecurityGroupsAsync(ns, groupId, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="delete"/> until it succeeds or <paramref name="stillThere"/> finds nothing left (null). Any
    /// failure but a refused password is asked again: Tumblebug says only "Failed to delete the Node info", whatever the reason.
    /// </summary>
    private async Task RetryDeleteAsync<T>(string action, Func<CancellationToken, Task<T>> delete,
        Func<CancellationToken, Task<string?>> stillThere, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Options.DeleteTimeout;
        var pause = Options.DeleteRetryDelay;
        while (true)
        {
            InfrastructureException failure;
            try
            {
                await CallAsync(action, delete, cancellationToken);
                return;
            }
            catch (InfrastructureException ex) when (ex.NotFound)
            {
                logger.LogInformation("Tumblebug had nothing left to {Action}", action);
                return;
            }
            catch (InfrastructureException ex) when (ex.InnerException is not ApiException { StatusCode: HttpStatusCode.Unauthorized })
            {
                failure = ex;
            }

            var left = await stillThere(cancellationToken);
            if (left is null)
            {
                logger.LogInformation("Tumblebug had nothing left to {Action}", action);
                return;
            }
            if (time.GetUtcNow() + pause > deadline)
                throw new InfrastructureException(
                    $"{failure.Message} Still not done after {Options.DeleteTimeout.TotalMinutes:0.##} min ({TumblebugOptions.Section}:DeleteTimeout): {left}.", inner: failure);
            logger.LogInformation("Tumblebug could not {Action} yet ({Left}: {Message}); asking again in {Pause}", action, left, failure.Message, pause);
            await Task.Delay(pause * (1 + Random.Shared.NextDouble() / 4), time, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min((long)(pause.Ticks * 1.5), Math.Max(Options.MaxPollInterval.Ticks, Options.DeleteRetryDelay.Ticks)));
        }
    }

    /// <summary>The Infra's status, or null when Tumblebug does not know the Infra.</summary>
    private async Task<InfraStatusInfo?> FindStatusAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        try
        {
            return (await CallAsync($"read the status of '{groupId}'", ct => api.GetInfraStatusAsync(ns, groupId, ct), cancellationToken)).Status;
        }
        catch (InfrastructureException ex) when (ex.NotFound)
        {
            return null;
        }
    }
}
