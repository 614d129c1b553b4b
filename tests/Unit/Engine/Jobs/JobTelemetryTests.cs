using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Telemetry;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine.Clusters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>
/// What an operator sees of a job: logs inside it carry its ids, its spans nest job → step → node sub-step, and its
/// steps' durations and its result are measured. Listeners are process-wide, so each test picks out its own job.
/// </summary>
public sealed class JobTelemetryTests : IAsyncLifetime
{
    private readonly ScriptedJobHandler _create = new(JobKind.Create) { PhaseOnSuccess = ClusterPhase.Provisioned };
    private EngineHost _engine = null!;

    public JobTelemetryTests()
    {
        _create.Step("observed-step", run: async (context, ct) =>
        {
            context.Services.GetRequiredService<ILogger<JobTelemetryTests>>().LogWarning("inside the observed step");
            await context.RunOnNodeAsync("observed-sub-step", "n1", _ => Task.CompletedTask, ct);
        });
    }

    public async Task InitializeAsync() => _engine = await EngineHost.StartAsync(services => services.AddSingleton<IJobHandler>(_create));

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private async Task<Job> RunJobAsync(string name)
    {
        var cluster = await _engine.Clusters.CreateAsync(ClusterSpecs.Valid(name));
        var job = Assert.Single(await _engine.JobsOfAsync(cluster.Id));
        return await _engine.WaitForJobToFinishAsync(job.Id);
    }

    [Fact]
    public async Task WhatAStepLogsCarriesTheClusterTheJobAndTheStep()
    {
        var job = await RunJobAsync("scoped");

        var line = Assert.Single(_engine.Logs.Entries, e => e.Message == "inside the observed step");
        Assert.Equal(job.ClusterId, line.Scopes["ClusterId"]);
        Assert.Equal(job.Id, line.Scopes["JobId"]);
        Assert.Equal("Create", line.Scopes["JobKind"]);
        Assert.Equal("observed-step", line.Scopes["Step"]);
    }

    [Fact]
    public async Task AJobIsOneTraceOfItsStepsAndTheirSubSteps()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EngineTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var job = await RunJobAsync("traced");
        // The job's span ends just after its end is stored.
        bool IsRoot(Activity a) => a.OperationName == "job Create" && (string?)a.GetTagItem(EngineTelemetry.Tags.JobId) == job.Id.ToString();
        await Eventually.TrueAsync(() => stopped.Any(IsRoot), "the job's span to end");

        var root = Assert.Single(stopped, IsRoot);
        var trace = stopped.Where(a => a.TraceId == root.TraceId).ToList();
        var step = Assert.Single(trace, a => a.OperationName == "step observed-step");
        var subStep = Assert.Single(trace, a => a.OperationName == "step observed-sub-step");
        Assert.Null(root.Parent);
        Assert.Equal(root.SpanId, step.ParentSpanId);
        Assert.Equal(step.SpanId, subStep.ParentSpanId);
        Assert.Equal("n1", subStep.GetTagItem(EngineTelemetry.Tags.Node));
        Assert.Equal("Succeeded", root.GetTagItem(EngineTelemetry.Tags.Result));
    }

    [Fact]
    public async Task StepDurationsAndTheJobsResultAreMeasured()
    {
        var durations = new ConcurrentQueue<(string? Step, string? Result)>();
        var finished = new ConcurrentQueue<(string? Kind, string? Result)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (instrument.Name == EngineTelemetry.StepDurationName) durations.Enqueue((Tag(tags, EngineTelemetry.Tags.Step), Tag(tags, EngineTelemetry.Tags.Result)));
        });
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            if (instrument.Name == EngineTelemetry.JobsFinishedName) finished.Enqueue((Tag(tags, EngineTelemetry.Tags.JobKind), Tag(tags, EngineTelemetry.Tags.Result)));
        });
        listener.Start();

        await RunJobAsync("measured");

        // The job is counted just after its end is stored.
        await Eventually.TrueAsync(() => finished.Contains(("Create", "Succeeded")), "the job to be counted");

        Assert.Contains(("observed-step", "Succeeded"), durations);
        Assert.Contains(("observed-sub-step", "Succeeded"), durations);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
            if (tag.Key == key) return tag.Value as string;
        return null;
    }
}
