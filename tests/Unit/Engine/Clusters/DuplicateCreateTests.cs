using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Web;
using Microsoft.Extensions.Logging;

namespace Ladybug.Tests.Unit.Engine.Clusters;

/// <summary>Issue 16, item 9: creates racing for one name are ordinary validation failures, not database errors in the log.</summary>
public sealed class DuplicateCreateTests
{
    [Fact]
    public async Task ParallelCreatesOfOneNameStoreOneAndRefuseTheRestWithoutLoggingAnError()
    {
        await using var engine = await ConsoleEngine.StartAsync();
        var spec = new ClusterSpec
        {
            Name = "twin",
            ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "medium-2c4g", Count = 1 },
            WorkerPools = [new() { Connection = "aws-ap-northeast-1", Spec = "medium-2c4g", Count = 1 }],
        };

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await engine.Clusters.CreateAsync(spec);
                return (Exception?)null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })));

        Assert.Single(attempts, a => a is null);
        Assert.All(attempts.Where(a => a is not null), a =>
            Assert.Contains("already exists", Assert.IsType<ClusterValidationException>(a).Errors.First("name")));
        Assert.DoesNotContain(engine.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
