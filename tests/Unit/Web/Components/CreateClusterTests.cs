using Bunit;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Support;
using Ladybug.Web.Components.Pages.Clusters;
using Ladybug.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Components;

/// <summary>The wizard against the real ClusterService (SQLite) and the fake cloud's connections and specs.</summary>
public sealed class CreateClusterTests() : ComponentTest(withEngine: true)
{
    [Fact]
    public void BasicsCannotBeCompletedWithoutAValidNameAndShowsTheValidatorsMessageNextToIt()
    {
        var cut = Render<CreateCluster>();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=connections-loading]")));

        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Cluster name is required.", NameField(cut).Instance.GetState(x => x.ErrorText)));
        Assert.NotEmpty(cut.FindAll("[data-testid=step-basics]"));

        Type(cut, "Cluster name", "Edge_1");
        cut.WaitForAssertion(() => Assert.StartsWith("Cluster name must start with a lowercase letter", NameField(cut).Instance.GetState(x => x.ErrorText)));

        Type(cut, "Cluster name", "edge");
        cut.WaitForAssertion(() => Assert.Null(NameField(cut).Instance.GetState(x => x.ErrorText)));
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-control-plane]")));
    }

    [Fact]
    public async Task NameThatIsAlreadyTakenIsRejectedLive()
    {
        await Engine.Get<ClusterService>().CreateAsync(new ClusterSpec
        {
            Name = "taken",
            ControlPlane = new NodePoolSpec { Connection = "aws-ap-northeast-1", Count = 1, Spec = "medium-2c4g" },
            WorkerPools = [new NodePoolSpec { Connection = "gcp-europe-west2", Count = 1, Spec = "medium-2c4g" }],
        });
        var cut = Render<CreateCluster>();

        Type(cut, "Cluster name", "taken");

        cut.WaitForAssertion(() => Assert.Equal("A cluster named 'taken' already exists in namespace 'default'.", NameField(cut).Instance.GetState(x => x.ErrorText)));
    }

    [Fact]
    public async Task ControlPlaneRejectsAnEvenCountNextToTheCountFieldAndOffersOnlyBigEnoughSpecs()
    {
        var cut = Render<CreateCluster>();
        Type(cut, "Cluster name", "edge");
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-control-plane]")));

        Choose(cut, "Connection", "aws-ap-northeast-1");
        cut.WaitForAssertion(() => Assert.False(Picker(cut, "Spec").Instance.Disabled));
        var specs = await SearchAsync(cut, "Spec", "");
        Assert.Equal(["medium-2c4g", "large-4c8g", "xlarge-8c32g"], specs);
        Choose(cut, "Spec", "medium-2c4g");
        SetCount(cut, 0, 2);

        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.StartsWith("A control plane needs an odd number of nodes", cut.FindComponents<MudNumericField<int>>()[0].Instance.GetState(x => x.ErrorText)));
        Assert.NotEmpty(cut.FindAll("[data-testid=step-control-plane]"));
    }

    [Fact]
    public void WorkerPoolsCanBeAddedAndRemovedButAtLeastOneStays()
    {
        var cut = Render<CreateCluster>();
        FillUpToWorkers(cut);

        Assert.Single(cut.FindAll("[data-testid=worker-pool]"));
        Assert.True(cut.Find("[data-testid=remove-pool]").HasAttribute("disabled"));

        cut.Find("[data-testid=add-pool]").Click();
        cut.Find("[data-testid=add-pool]").Click();
        Assert.Equal(3, cut.FindAll("[data-testid=worker-pool]").Count);
        Assert.Contains("Worker pool 3", cut.Markup);

        cut.FindAll("[data-testid=remove-pool]")[1].Click();
        Assert.Equal(2, cut.FindAll("[data-testid=worker-pool]").Count);
        Assert.DoesNotContain("Worker pool 3", cut.Markup);
    }

    [Fact]
    public void ReviewSummarisesTheClusterAndMapsWhereNodesLandAndCreateLandsOnTheClusterPage()
    {
        var cut = Render<CreateCluster>();
        FillUpToWorkers(cut);
        FillWorkerPool(cut, 1, "gcp-europe-west2", "medium-2c4g");
        SetCount(cut, 0, 2);
        cut.Find("[data-testid=add-pool]").Click();
        FillWorkerPool(cut, 2, "azure-koreacentral", "large-4c8g");
        GoToKubernetes(cut);
        cut.InvokeAsync(() => Select(cut, "Kubernetes minor").Instance.ValueChanged.InvokeAsync("1.23"));
        cut.Find("[data-testid=wizard-next]").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=review-summary]")));
        Assert.Equal("1.23.17", cut.Find("[data-testid=summary-version]").TextContent);
        Assert.Contains("1 × medium-2c4g in AWS Tokyo (ap-northeast-1)", cut.Find("[data-testid=summary-control-plane]").TextContent);
        Assert.Equal(2, cut.FindAll("[data-testid=summary-worker-pool]").Count);
        Assert.Contains("4 nodes in 3 regions of 3 clouds", cut.Find("[data-testid=summary-total]").TextContent);
        Assert.Equal(["aws", "azure", "gcp"], cut.FindAll("[data-testid=map-marker]").Select(m => m.GetAttribute("data-csp")!).Order());
        // 1 × 0.05 + 2 × 0.05 + 1 × 0.10 USD an hour, 730 hours a month.
        cut.WaitForAssertion(() => Assert.Equal("$0.2500", cut.Find("[data-testid=cost-total-hour]").TextContent));
        Assert.Equal("$182.50", cut.Find("[data-testid=cost-total-month]").TextContent);
        Assert.Equal(["$0.0500", "$0.1000", "$0.1000"], cut.FindAll("[data-testid=cost-pool-hour]").Select(c => c.TextContent));
        // Tumblebug's latency table: Tokyo to London and Tokyo to Seoul.
        var pairs = cut.FindAll("[data-testid=rtt-pair]").Select(p => p.TextContent).ToList();
        Assert.Contains("AWS ap-northeast-1 ↔ Google Cloud europe-west2: 217 ms", pairs);
        Assert.Contains("AWS ap-northeast-1 ↔ Azure koreacentral: 26 ms", pairs);
        // Kilo is the default CNI: three clouds raise no warning.
        Assert.Empty(cut.FindAll("[data-testid=placement-warning]"));

        var create = cut.Find("[data-testid=wizard-create]");
        Assert.False(create.HasAttribute("disabled"));
        create.Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/clusters/default/edge", Services.GetRequiredService<NavigationManager>().Uri));
    }

    [Fact]
    public void OverlappingCidrsBlockTheKubernetesStepWithAnErrorOnEachField()
    {
        var cut = Render<CreateCluster>();
        FillUpToWorkers(cut);
        FillWorkerPool(cut, 1, "gcp-europe-west2", "medium-2c4g");
        GoToKubernetes(cut);

        Type(cut, "Pod CIDR", "10.96.0.0/16");
        cut.Find("[data-testid=wizard-next]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("Pod CIDR 10.96.0.0/16 overlaps", Field(cut, "Pod CIDR").Instance.GetState(x => x.ErrorText)));
        Assert.StartsWith("Service CIDR 10.96.0.0/12 overlaps", Field(cut, "Service CIDR").Instance.GetState(x => x.ErrorText));
        Assert.NotEmpty(cut.FindAll("[data-testid=step-kubernetes]"));
        Assert.Empty(cut.FindAll("[data-testid=wizard-create]"));
    }

    [Fact]
    public void AHighlyAvailableControlPlaneIsBalancedByHaproxyWithNoCloudNlbToChoose()
    {
        var cut = Render<CreateCluster>();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=connections-loading]")));
        Type(cut, "Cluster name", "edge");
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-control-plane]")));
        Choose(cut, "Connection", "aws-ap-northeast-1");
        Choose(cut, "Spec", "medium-2c4g");
        SetCount(cut, 0, 3);
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-workers]")));
        FillWorkerPool(cut, 1, "gcp-europe-west2", "medium-2c4g");
        GoToKubernetes(cut);

        Assert.Contains("Node-local haproxy", cut.Find("[data-testid=field-load-balancer]").TextContent);
        Assert.Empty(cut.FindComponents<MudRadio<LoadBalancerMode>>());
        Assert.DoesNotContain("NLB", cut.Markup);
    }

    [Fact]
    public void AnUnchosenConnectionCarriesThePoolsErrorAndTheDisabledSpecOnlySaysToChooseItFirst()
    {
        var cut = Render<CreateCluster>();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=connections-loading]")));
        Type(cut, "Cluster name", "edge");
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-control-plane]")));

        cut.Find("[data-testid=wizard-next]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Choose a cloud connection.", Picker(cut, "Connection").Instance.GetState(x => x.ErrorText)));
        Assert.Null(Picker(cut, "Spec").Instance.GetState(x => x.ErrorText));
        Assert.Equal("Choose a connection first", Picker(cut, "Spec").Instance.HelperText);
        Choose(cut, "Connection", "aws-ap-northeast-1");
        // The cheapest spec that meets a control plane's minimum (small-1c1g is cheaper, but too small) is chosen for the user.
        cut.WaitForAssertion(() => Assert.Equal("medium-2c4g", Picker(cut, "Spec").Instance.GetState(x => x.Value)));
        Assert.Null(Picker(cut, "Spec").Instance.GetState(x => x.ErrorText));
    }

    [Fact]
    public void UnreachableTumblebugIsExplainedWithARetryAndNothingToPick()
    {
        Engine.Get<FakeCloud>().Reachable = false;

        var cut = Render<CreateCluster>();

        cut.WaitForAssertion(() => Assert.Contains("refused the connection", cut.Find("[data-testid=connections-error]").TextContent));
        Engine.Get<FakeCloud>().Reachable = true;
        cut.FindComponents<MudButton>().Single(b => b.Markup.Contains("Retry")).Find("button").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=connections-error]")));
    }

    private void FillUpToWorkers(IRenderedComponent<CreateCluster> cut)
    {
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=connections-loading]")));
        Type(cut, "Cluster name", "edge");
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-control-plane]")));
        Choose(cut, "Connection", "aws-ap-northeast-1");
        Choose(cut, "Spec", "medium-2c4g");
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-workers]")));
    }

    private static void FillWorkerPool(IRenderedComponent<CreateCluster> cut, int pool, string connection, string spec)
    {
        Choose(cut, "Connection", connection, pool);
        Choose(cut, "Spec", spec, pool);
    }

    private static void GoToKubernetes(IRenderedComponent<CreateCluster> cut)
    {
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-kubernetes]")));
    }

    private static IRenderedComponent<MudTextField<string>> Field(IRenderedComponent<CreateCluster> cut, string label) =>
        cut.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == label);

    private static IRenderedComponent<MudTextField<string>> NameField(IRenderedComponent<CreateCluster> cut) => Field(cut, "Cluster name");

    private static void Type(IRenderedComponent<CreateCluster> cut, string label, string text) =>
        Field(cut, label).Find("input").Input(text);

    /// <summary>The pool-th select with that label (0 = control plane on its step, else pools in order).</summary>
    private static IRenderedComponent<MudSelect<string>> Select(IRenderedComponent<CreateCluster> cut, string label, int pool = 0) =>
        cut.FindComponents<MudSelect<string>>().Where(s => s.Instance.Label == label).ElementAt(pool == 0 ? 0 : pool - 1);

    /// <summary>The pool-th search picker with that label (0 = control plane on its step, else pools in order).</summary>
    private static IRenderedComponent<MudAutocomplete<string>> Picker(IRenderedComponent<CreateCluster> cut, string label, int pool = 0) =>
        cut.FindComponents<MudAutocomplete<string>>().Where(s => s.Instance.Label == label).ElementAt(pool == 0 ? 0 : pool - 1);

    /// <summary>What the picker would list for <paramref name="text"/>.</summary>
    private static async Task<List<string>> SearchAsync(IRenderedComponent<CreateCluster> cut, string label, string text)
    {
        var picker = Picker(cut, label).Instance;
        return await cut.InvokeAsync(async () => (await picker.SearchFunc!(text, CancellationToken.None)!)?.ToList() ?? []);
    }

    private static void Choose(IRenderedComponent<CreateCluster> cut, string label, string value, int pool = 0)
    {
        cut.WaitForAssertion(() => Assert.False(Picker(cut, label, pool).Instance.Disabled));
        cut.InvokeAsync(() => Picker(cut, label, pool).Instance.ValueChanged.InvokeAsync(value));
        cut.WaitForAssertion(() => Assert.Equal(value, Picker(cut, label, pool).Instance.GetState(x => x.Value)));
    }

    /// <summary>Sets the index-th count field of the current step.</summary>
    private static void SetCount(IRenderedComponent<CreateCluster> cut, int index, int count) =>
        cut.InvokeAsync(() => cut.FindComponents<MudNumericField<int>>()[index].Instance.ValueChanged.InvokeAsync(count));

    [Fact]
    public async Task TheConnectionPickerSearchesEveryWordAcrossNameRegionAndPlace()
    {
        var cut = Render<CreateCluster>();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=connections-loading]")));
        Type(cut, "Cluster name", "edge");
        cut.Find("[data-testid=wizard-next]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=step-control-plane]")));

        Assert.Equal(FakeCloud.Connections.Count, (await SearchAsync(cut, "Connection", "")).Count);
        Assert.Equal(["azure-koreacentral", "gcp-asia-northeast3"], (await SearchAsync(cut, "Connection", "seoul")).Order());
        Assert.Equal(["gcp-asia-northeast3"], await SearchAsync(cut, "Connection", "GCP, seoul"));
        Assert.Empty(await SearchAsync(cut, "Connection", "aws seoul"));
    }
}
