using Ladybug.Api.Contracts.Hub;
using Ladybug.Engine.Events;

namespace Ladybug.Web.Hubs;

/// <summary>The engine's events as the hub's contract messages, with the client method each goes to.</summary>
public static class HubMessageMapper
{
    public static (string Method, object Message) From(ProvisioningEvent e) => e switch
    {
        LogLinesAppended lines => (HubMethods.LogLines, Lines(lines.ClusterId, lines.Lines)),
        StepChanged s => (HubMethods.StepChanged, new StepChangedMessage(s.ClusterId, s.JobId, s.StepId, s.Order, s.Name, s.NodeName,
            s.State.ToString(), s.StartedAt, s.FinishedAt, s.ExitCode, s.Message)),
        JobChanged j => (HubMethods.JobChanged, Job(j)),
        PhaseChanged p => (HubMethods.PhaseChanged, Phase(p)),
        NodeChanged n => (HubMethods.NodeChanged, new NodeChangedMessage(n.ClusterId, n.NodeName, n.Status.ToString(), n.Message, n.PublicIp,
            n.Facts is not { } f ? null : new NodeFactsMessage(f.Readiness.ToString(), f.Reason, f.Since, f.KubeletVersion, f.OsImage,
                f.ContainerRuntime, f.AllocatableCpu, f.AllocatableMemory, f.PodCount, f.Cordoned, f.TopologyLabels, f.EtcdHealth?.ToString()))),
        ClusterHealthChanged h => (HubMethods.ClusterHealthChanged, new ClusterHealthChangedMessage(h.ClusterId, h.Health?.ToString(), h.Reason, h.Since,
            h.WatchMode?.ToString())),
        CertificatesChecked c => (HubMethods.CertificatesChecked, new CertificatesCheckedMessage(c.ClusterId)),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "An event the hub protocol does not define."),
    };

    public static LogLinesMessage Lines(Guid clusterId, IEnumerable<LogLineView> lines) =>
        new(clusterId, [.. lines.Select(l => new LogLineMessage(l.Sequence, l.Time, l.NodeName, l.Step, l.Stream.ToString(), l.Text))]);

    public static JobChangedMessage Job(JobChanged j) => new(j.ClusterId, j.JobId, j.Kind.ToString(), j.State.ToString(), j.CurrentStep, j.Error);

    public static PhaseChangedMessage Phase(PhaseChanged p) => new(p.ClusterId, p.Phase.ToString(), p.Reason, p.Message);
}
