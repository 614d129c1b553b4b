using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;

namespace Ladybug.Web.Services;

/// <summary>
/// The steps of the job a page shows: the stored steps merged with live <see cref="StepChanged"/> events. Stored
/// steps and events arrive in no guaranteed order relative to each other (a page re-reads the store while events
/// published before that read are still queued for it), so the merge does not depend on it: a step is known by its
/// record id, and a record only moves forward, from Running to finished, so an older view of it never replaces a
/// newer one.
/// </summary>
public sealed class LiveJobSteps
{
    private readonly Dictionary<long, JobStepView> _byId = [];

    /// <summary>The job whose steps these are; events and stored steps of any other job are ignored.</summary>
    public Guid? JobId { get; private set; }

    /// <summary>In plan order, then in the order they were recorded. A new list after every change.</summary>
    public IReadOnlyList<JobStepView> Steps { get; private set; } = [];

    /// <summary>Switches to another job (or none), forgetting the steps of the previous one.</summary>
    public void Show(Guid? jobId)
    {
        if (jobId == JobId) return;
        JobId = jobId;
        _byId.Clear();
        Steps = [];
    }

    /// <summary>Merges steps read from the store.</summary>
    public void Merge(Guid jobId, IEnumerable<JobStepView> stored)
    {
        if (jobId != JobId) return;
        foreach (var step in stored.Where(s => s.JobId == jobId))
            Merge(step);
        Publish();
    }

    /// <summary>Applies a live event.</summary>
    public void Apply(StepChanged e)
    {
        if (e.JobId != JobId) return;
        Merge(new JobStepView
        {
            Id = e.StepId, JobId = e.JobId, Order = e.Order, Name = e.Name, NodeName = e.NodeName, State = e.State,
            StartedAt = e.StartedAt, FinishedAt = e.FinishedAt, ExitCode = e.ExitCode, Message = e.Message,
        });
        Publish();
    }

    private void Merge(JobStepView incoming)
    {
        // A record is stored Running, then updated once to how it ended; it never runs again.
        if (incoming.State == StepState.Running && _byId.TryGetValue(incoming.Id, out var known) && known.State != StepState.Running)
            return;
        _byId[incoming.Id] = incoming;
    }

    private void Publish() => Steps = [.. _byId.Values.OrderBy(s => s.Order).ThenBy(s => s.Id)];
}
