using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;

namespace Ladybug.Engine.Bootstrap;

/// <summary>How steps call the infrastructure: its refusals as step failures, its progress into the step's log.</summary>
internal static class InfrastructureCalls
{
    /// <summary>Calls the infrastructure; its refusals become failures with <paramref name="reason"/> and its own words.</summary>
    public static async Task<T> CallAsync<T>(string reason, string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (InfrastructureException ex)
        {
            throw new StepFailedException(reason, $"{what} failed: {ex.Message}", null, ex);
        }
    }

    public static Task CallAsync(string reason, string what, Func<Task> call) =>
        CallAsync<bool>(reason, what, async () => { await call(); return true; });

    public static (string Namespace, string GroupId) RequireGroup(Cluster cluster) =>
        cluster is { InfraNamespace: { } ns, InfraId: { } id }
            ? (ns, id)
            : throw new StepFailedException(FailureReason.GetInfraFailed, $"Cluster '{cluster.Name}' has no machine group recorded.");

    public static IProgress<string> Progress(JobContext context) => new StepProgress(context);

    /// <summary>Logs progress at once, in the step that reports it (Progress&lt;T&gt; would post it later, possibly into the next step).</summary>
    private sealed class StepProgress(JobContext context) : IProgress<string>
    {
        private readonly string? _step = context.CurrentStep;

        public void Report(string value) => context.Output(null, LogStream.System, value, _step);
    }
}
