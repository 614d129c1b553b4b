using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>status.certificates on the cluster resource, and POST …/certificates/renew.</summary>
[Collection(McksApiCollection.Name)]
public sealed class CertificatesApiTests(McksApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Admin;

    private static string Cluster(string ns, string name) => $"/mcks/ns/{ns}/clusters/{name}";

    [Fact]
    public async Task TheClusterCarriesEachCertificatesEndAndFlagsTheOneWithinThirtyDays()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "aging");
        var apiServer = DateTimeOffset.UtcNow.AddDays(10);
        var admin = DateTimeOffset.UtcNow.AddDays(300);
        await StoreAsync(seeded.Id, apiServer, admin);

        var cluster = await (await _admin.GetAsync(Cluster(ns, "aging"))).ReadAsync<ClusterResource>(HttpStatusCode.OK);

        var certificates = cluster.Status.Certificates ?? throw new InvalidOperationException("no status.certificates");
        Assert.Equal(["apiserver", "admin"], certificates.Select(c => c.Name));
        Assert.Equal((true, false), (certificates[0].ExpiresSoon, certificates[0].Expired));
        Assert.Equal((false, false), (certificates[1].ExpiresSoon, certificates[1].Expired));
        Assert.Equal(apiServer.ToUnixTimeSeconds(), certificates[0].NotAfter.ToUnixTimeSeconds());
        var listed = await (await _admin.GetAsync($"/mcks/ns/{ns}/clusters")).ReadAsync<ClusterList>(HttpStatusCode.OK);
        Assert.True(Assert.Single(listed.Items).Status.Certificates![0].ExpiresSoon);
    }

    [Fact]
    public async Task ACertificatePastItsEndIsExpiredAndNoReadingMeansNoCertificates()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "old");
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "unread");
        await StoreAsync(seeded.Id, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(-1));

        var old = await (await _admin.GetAsync(Cluster(ns, "old"))).ReadAsync<ClusterResource>(HttpStatusCode.OK);
        var unread = await (await _admin.GetAsync(Cluster(ns, "unread"))).ReadAsync<ClusterResource>(HttpStatusCode.OK);

        Assert.All(old.Status.Certificates!, c => Assert.True(c.Expired && c.ExpiresSoon));
        Assert.Null(unread.Status.Certificates);
    }

    [Fact]
    public async Task RenewAnswers202AndQueuesARenewalJob()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "renew");

        var response = await _admin.PostAsync($"{Cluster(ns, "renew")}/certificates/renew", null);

        var cluster = await response.ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
        Assert.Equal("renew", cluster.Name);
        Assert.EndsWith(Cluster(ns, "renew"), response.Headers.Location?.ToString());
        await using var db = await Db().CreateDbContextAsync();
        Assert.Contains(await db.Jobs.Where(j => j.ClusterId == seeded.Id).ToListAsync(), j => j.Kind == JobKind.RenewCertificates);
    }

    [Fact]
    public async Task RenewOfAClusterThatIsNotProvisionedIs409AndOfAMissingOne404()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.PendingAsync(fixture.Services, ns, "young");

        var conflict = await (await _admin.PostAsync($"{Cluster(ns, "young")}/certificates/renew", null)).ReadStatusAsync(HttpStatusCode.Conflict);
        var missing = await (await _admin.PostAsync($"{Cluster(ns, "ghost")}/certificates/renew", null)).ReadStatusAsync(HttpStatusCode.NotFound);

        Assert.Equal("Cannot renew the certificates of cluster 'young' while it is Pending; it must be Provisioned.", conflict.Message);
        Assert.Contains("'ghost'", missing.Message);
    }

    private IDbContextFactory<LadybugDbContext> Db() => fixture.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>();

    private async Task StoreAsync(Guid clusterId, DateTimeOffset apiServer, DateTimeOffset admin)
    {
        await using var db = await Db().CreateDbContextAsync();
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.ApiServerCertificateExpiresAt, apiServer)
            .SetProperty(c => c.AdminCertificateExpiresAt, admin)
            .SetProperty(c => c.CertificatesCheckedAt, DateTimeOffset.UtcNow));
    }
}
