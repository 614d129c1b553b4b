using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Web.Api;
using Ladybug.Web.Components.Pages.Clusters;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Ladybug.Tests.Unit.Web.Components;

/// <summary>Certificate expiry on the cluster page and the cluster list, and the page's "Renew certificates" action.</summary>
public sealed class ClusterCertificatesTests() : ComponentTest(withEngine: true)
{
    private async Task<Cluster> SeedAsync(string name, double apiServerDays, double adminDays)
    {
        var cluster = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", name);
        await using var db = await Engine.OpenDbAsync();
        await db.Clusters.Where(c => c.Id == cluster.Id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.ApiServerCertificateExpiresAt, DateTimeOffset.UtcNow.AddDays(apiServerDays))
            .SetProperty(c => c.AdminCertificateExpiresAt, DateTimeOffset.UtcNow.AddDays(adminDays))
            .SetProperty(c => c.CertificatesCheckedAt, DateTimeOffset.UtcNow));
        return cluster;
    }

    private IRenderedComponent<ClusterDetail> RenderPage(string name)
    {
        var cut = Render<ClusterDetail>(p => p.Add(c => c.Namespace, "default").Add(c => c.Name, name));
        cut.WaitForAssertion(() => cut.Find("[data-testid=renew-certificates]"));
        return cut;
    }

    [Fact]
    public async Task ACertificateEndingWithinThirtyDaysIsAWarningWithItsDate()
    {
        await SeedAsync("aging", apiServerDays: 10.5, adminDays: 300);

        var cut = RenderPage("aging");

        var warning = cut.WaitForElement("[data-testid=certificate-warning]").TextContent;
        Assert.Contains("The API server certificate expires on", warning);
        Assert.Contains("(in 10 days)", warning);
        Assert.Contains($"until {DateTimeOffset.UtcNow.AddDays(10.5):yyyy-MM-dd}", cut.Find("[data-testid=certificate-apiserver]").TextContent);
        Assert.Contains($"until {DateTimeOffset.UtcNow.AddDays(300):yyyy-MM-dd}", cut.Find("[data-testid=certificate-admin]").TextContent);
    }

    [Fact]
    public async Task FreshCertificatesShowTheirDatesAndNoWarning()
    {
        await SeedAsync("fresh", apiServerDays: 365, adminDays: 365);

        var cut = RenderPage("fresh");

        cut.WaitForAssertion(() => Assert.Contains("API server certificate until", cut.Find("[data-testid=certificate-apiserver]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=certificate-warning]"));
    }

    [Fact]
    public async Task AnExpiredCertificateIsAnError()
    {
        await SeedAsync("expired", apiServerDays: -2, adminDays: -2);

        var cut = RenderPage("expired");

        var alert = cut.WaitForElement("[data-testid=certificate-warning]");
        Assert.Contains("expired on", alert.TextContent);
        Assert.Contains("mud-alert-text-error", alert.OuterHtml);
    }

    [Fact]
    public async Task RenewCertificatesAsksFirstThenQueuesTheRenewal()
    {
        var cluster = await SeedAsync("renew", apiServerDays: 10, adminDays: 10);
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderPage("renew");

        // The click's handler waits for the dialog's answer: it completes only once the dialog is confirmed.
        var clicked = cut.Find("[data-testid=renew-certificates]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Renew the certificates of renew?", dialogs.Markup));
        Assert.Empty(await Engine.Queries.JobsAsync(cluster.Id));
        await dialogs.Find("[data-testid=confirm-ok]").ClickAsync(new());
        await Eventually.CompletesAsync(clicked, "the renew button's handler");

        await Eventually.TrueAsync(async () => (await Engine.Queries.JobsAsync(cluster.Id)).Any(j => j.Kind == JobKind.RenewCertificates), "a renewal job to be queued");
    }

    [Fact]
    public async Task TheClusterListMarksOnlyTheClusterWhoseCertificatesEndSoon()
    {
        await SeedAsync("aging", apiServerDays: 10, adminDays: 300);
        await SeedAsync("fresh", apiServerDays: 365, adminDays: 365);

        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=cluster-link]").Count));
        var warning = Assert.Single(cut.FindAll("[data-testid=certificate-warning]"));
        Assert.StartsWith("Certificates expire on", warning.GetAttribute("title"));
        Assert.Contains("aging", warning.ParentElement!.TextContent);
    }
}
