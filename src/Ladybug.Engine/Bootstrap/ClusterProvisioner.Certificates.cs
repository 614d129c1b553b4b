using Ladybug.Engine.Certificates;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Bootstrap;

internal sealed partial class ClusterProvisioner
{
    /// <summary>
    /// kubeadm certs renew all and a restart of the static pods on every control plane, the leader first, one at a time:
    /// while one restarts the others keep serving. The first failure stops the job; control planes already done keep
    /// their renewed certificates, the failed one and those after it keep their old ones.
    /// </summary>
    public async Task RenewCertificatesAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        foreach (var controlPlane in facts.ControlPlanes)
        {
            var node = state.Nodes.Single(n => n.Name == controlPlane.Name);
            await RunScriptAsync(context, node, renderer.RenewCertificates(facts, controlPlane, Settings.ControlPlaneRestartTimeout), cancellationToken);
            context.Info($"{node.Name}: certificates renewed and its control-plane pods restarted", node.Name);
        }
    }

    /// <summary>
    /// Reads the dates again and stores them. The renewal worked only if nothing still expires within the warning window:
    /// an API server that still serves its old certificate (not restarted) or an admin kubeconfig that was not refreshed
    /// fails the job, naming it.
    /// </summary>
    public async Task CheckRenewedCertificatesAsync(JobContext context, CancellationToken cancellationToken)
    {
        var checker = context.Services.GetRequiredService<CertificateChecker>();
        var window = context.Services.GetRequiredService<IOptions<CertificateOptions>>().Value.WarningWindow;
        var reading = await checker.CheckAsync(context.ClusterId, cancellationToken);
        var soon = context.Time.GetUtcNow() + window;
        var stale = reading.Served.Where(s => s.ExpiresAt <= soon).Select(s => $"the API server of {s.NodeName} still serves a certificate that expires {s.ExpiresAt:u}")
            .Concat(reading.AdminExpiresAt is { } admin && admin <= soon ? [$"the admin kubeconfig's certificate still expires {admin:u}"] : [])
            .ToList();
        // The script already saw each API server answer on its node; one the console cannot reach is reported, not a failure.
        foreach (var problem in reading.Problems)
            context.Info($"Could not read: {problem}");
        if (stale.Count > 0)
            throw new StepFailedException(FailureReason.RenewCertificatesFailed, "After renewal, " + string.Join("; ", stale) + ".");
        foreach (var served in reading.Served)
            context.Info($"{served.NodeName}: the API server's certificate expires {served.ExpiresAt:u}", served.NodeName);
        if (reading.AdminExpiresAt is { } expires)
            context.Info($"The admin kubeconfig's certificate expires {expires:u}");
    }

    /// <summary>A failed renewal leaves the cluster in service (Provisioned) and says what happened; nothing to roll back.</summary>
    public async Task RecordRenewalFailureAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        context.SetPhaseAtEnd(ClusterPhase.Provisioned, $"Renewing the certificates failed at '{failure.Step}' ({failure.Reason}): {failure.Message}");
        // What was renewed before the failure shows at once.
        await TryCheckCertificatesAsync(context, cancellationToken);
    }

    /// <summary>Reads the certificates' dates; a cluster whose API servers cannot be read now is read later by the monitor.</summary>
    public async Task TryCheckCertificatesAsync(JobContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.Services.GetRequiredService<CertificateChecker>().CheckAsync(context.ClusterId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Info($"Could not read the certificates' expiry dates: {ex.Message}");
        }
    }
}
