using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine.Clusters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>
/// Two replicas on one database: replica A runs a create job into step "init", is killed there (cut off its
/// database, then stopped), and replica B takes the job over once A's lease lapses. Shared by the SQLite and the
/// PostgreSQL tests, which differ only in the database settings.
/// </summary>
public static class ReplicaTakeOver
{
    public static readonly string[] Plan = ["resolve", "create machines", "init", "join"];

    public sealed record Outcome(Job Job, IReadOnlyList<Job> ClusterJobs, IReadOnlyList<JobStep> Steps, IReadOnlyList<string> StepsOnA,
        IReadOnlyList<string> StepsOnB, IReadOnlyList<LogLine> Log, ClusterPhase Phase);

    public static Dictionary<string, string?> Replica(string id, IReadOnlyDictionary<string, string?>? database = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{EngineOptions.Section}:{nameof(EngineOptions.ReplicaId)}"] = id,
            // Short leases keep the test quick; the take-over waits for one to lapse.
            [$"{EngineOptions.Section}:{nameof(EngineOptions.JobLeaseMs)}"] = "1500",
            [$"{EngineOptions.Section}:{nameof(EngineOptions.JobLeaseRenewMs)}"] = "200",
        };
        foreach (var (key, value) in database ?? new Dictionary<string, string?>()) settings[key] = value;
        return settings;
    }

    private static ScriptedJobHandler CreateHandler(string? unsafeStep, out StepGate? gate, string? held)
    {
        var handler = new ScriptedJobHandler(JobKind.Create) { PhaseOnSuccess = ClusterPhase.Provisioned, RollbackOnFailure = true };
        gate = null;
        foreach (var step in Plan)
        {
            if (step == held) gate = handler.Gate(step, repeatable: step != unsafeStep);
            else handler.Step(step, repeatable: step != unsafeStep);
        }
        return handler;
    }

    public static async Task<Outcome> RunAsync(IReadOnlyDictionary<string, string?>? database, bool killSwitchOnPostgres, string? unsafeStep = null)
    {
        var kill = new DatabaseKillSwitch();
        var handlerA = CreateHandler(unsafeStep, out var gate, held: "init");
        var handlerB = CreateHandler(unsafeStep, out _, held: null);
        var rollbackB = new ScriptedJobHandler(JobKind.Rollback).Step("delete machines");
        var attachKill = killSwitchOnPostgres ? kill.On<PostgresLadybugDbContext>() : kill.On<LadybugDbContext>();

        await using var a = await EngineHost.StartAsync(services =>
        {
            services.AddSingleton<IJobHandler>(handlerA);
            attachKill(services);
        }, Replica("replica-a", database));
        var cluster = await a.Clusters.CreateAsync(ClusterSpecs.Valid());
        var job = Assert.Single(await a.JobsOfAsync(cluster.Id));
        await gate!.WaitEnteredAsync(job.Id);
        Assert.Equal("replica-a", (await a.GetJobAsync(job.Id)).Owner);

        // B starts while A holds the job: it must leave it alone while A renews the lease.
        await using var b = await a.StartReplicaAsync(services =>
        {
            services.AddSingleton<IJobHandler>(handlerB);
            services.AddSingleton<IJobHandler>(rollbackB);
        }, Replica("replica-b", database));
        var firstExpiry = (await b.GetJobAsync(job.Id)).LeaseExpiresAt;
        await Eventually.ReturnsAsync(() => b.GetJobAsync(job.Id), j => j.LeaseExpiresAt > firstExpiry, "replica A to renew its lease");
        Assert.Empty(handlerB.Started);

        kill.Trip();
        await a.StopAsync();

        var done = await b.WaitForJobToFinishAsync(job.Id);
        // A failed create queues its rollback after it shows as finished.
        if (done.State != JobState.Succeeded)
            await Eventually.ReturnsAsync(() => b.JobsOfAsync(cluster.Id), jobs => jobs.Any(j => j.Kind == JobKind.Rollback && j.IsFinished), "the rollback to finish");
        await b.JobLog.FlushAsync();
        await using var db = await b.OpenDbAsync();
        var log = await db.LogLines.AsNoTracking().Where(l => l.ClusterId == cluster.Id).OrderBy(l => l.Sequence).ToListAsync();
        return new Outcome(await b.GetJobAsync(job.Id), await b.JobsOfAsync(cluster.Id), await b.StepsOfAsync(job.Id),
            handlerA.StepsStartedBy(job.Id), handlerB.StepsStartedBy(job.Id), log, (await b.GetClusterAsync(cluster.Id)).Phase);
    }

    /// <summary>Every stored line numbered 1..N, none missing, none twice.</summary>
    public static void AssertGapFree(IReadOnlyList<LogLine> log)
    {
        Assert.NotEmpty(log);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(l => l.Sequence));
    }

    public static void AssertResumedOnB(Outcome outcome)
    {
        Assert.Equal((JobState.Succeeded, 2, "replica-b"), (outcome.Job.State, outcome.Job.Attempts, outcome.Job.Owner));
        // A ran the first three steps and died inside "init"; B repeated only "init" and ran "join".
        Assert.Equal(["resolve", "create machines", "init"], outcome.StepsOnA);
        Assert.Equal(["init", "join"], outcome.StepsOnB);
        Assert.Equal(
            [("resolve", StepState.Succeeded), ("create machines", StepState.Succeeded), ("init", StepState.Failed), ("init", StepState.Succeeded), ("join", StepState.Succeeded)],
            outcome.Steps.Select(s => (s.Name, s.State)));
        Assert.Equal(ClusterPhase.Provisioned, outcome.Phase);
        Assert.Contains(outcome.Log, l => l.Text.StartsWith("Resuming Create after a restart (attempt 2)"));
        AssertGapFree(outcome.Log);
    }

    public static void AssertInterruptedAndRolledBackOnB(Outcome outcome)
    {
        Assert.Equal((JobState.Failed, "replica-b"), (outcome.Job.State, outcome.Job.Owner));
        Assert.StartsWith("Interrupted", outcome.Job.Error);
        Assert.Equal(["resolve", "create machines", "init"], outcome.StepsOnA);
        Assert.Empty(outcome.StepsOnB);
        var rollback = Assert.Single(outcome.ClusterJobs, j => j.Kind == JobKind.Rollback);
        Assert.Equal((JobState.Succeeded, "replica-b"), (rollback.State, rollback.Owner));
        AssertGapFree(outcome.Log);
    }
}
