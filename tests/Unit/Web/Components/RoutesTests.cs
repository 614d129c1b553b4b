using Bunit;
using Ladybug.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Components;

public sealed class RoutesTests : ComponentTest
{
    private readonly Bunit.TestDoubles.BunitAuthorizationContext _authorization;

    public RoutesTests() : base(withEngine: true) => _authorization = AddAuthorization();

    protected override bool RendersLayout => true;

    [Theory]
    [InlineData("/")]
    [InlineData("/clusters")]
    [InlineData("/clusters/new")]
    [InlineData("/clusters/default/edge")]
    [InlineData("/connections")]
    [InlineData("/account/tokens")]
    [InlineData("/account/users")]
    public void SignedOutVisitorIsSentToSignInWithTheWayBack(string path)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(path);

        Render<Routes>();

        Assert.Equal($"http://localhost/account/login?returnUrl={Uri.EscapeDataString(path)}", navigation.Uri);
    }

    [Fact]
    public void SignedInUserSeesThePage()
    {
        _authorization.SetAuthorized("admin");
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/connections");

        var cut = Render<Routes>();

        Assert.Equal("http://localhost/connections", navigation.Uri);
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[data-testid=connection-row]").Count));
    }
}
