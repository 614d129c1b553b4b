using Bunit;
using Ladybug.Cli;
using Ladybug.Web.Components.Pages.Account;

namespace Ladybug.Tests.Unit.Web.Components;

public sealed class ApiTokensTests : ComponentTest
{
    public ApiTokensTests() : base(withEngine: true) => AddAuthorization().SetAuthorized("admin");

    [Fact]
    public void TheNewTokenBoxShowsTheCliLineThatSignsInWithIt()
    {
        var cut = Render<ApiTokens>();
        cut.Find("input[data-testid=token-name]").Input("ci-pipeline");
        cut.Find("[data-testid=create-token]").Click();

        var token = cut.WaitForElement("[data-testid=new-token-value]").TextContent;
        Assert.StartsWith("lbt_", token);
        // bUnit's NavigationManager reaches the console at http://localhost/.
        Assert.Equal($"ladybug config add-context ci-pipeline --server http://localhost --token {token}", cut.Find("[data-testid=new-token-cli]").TextContent);
    }

    [Fact]
    public void ATokenNameThatIsNoShellWordGivesTheContextADefaultName()
    {
        var cut = Render<ApiTokens>();
        cut.Find("input[data-testid=token-name]").Input("my laptop; rm -rf");
        cut.Find("[data-testid=create-token]").Click();

        var line = cut.WaitForElement("[data-testid=new-token-cli]").TextContent;
        Assert.StartsWith($"ladybug config add-context {ApiTokenCliLine.DefaultContext} --server http://localhost --token lbt_", line);
    }

    [Fact]
    public void TheLineIsACommandTheCliAccepts()
    {
        var line = ApiTokenCliLine.For("http://localhost:1470/", "ci-pipeline", "lbt_abc");
        var env = new CliEnvironment(TextWriter.Null, TextWriter.Null, TextReader.Null, _ => null, Path.GetTempPath());

        var parsed = LadybugCli.Build(env).Parse(line.Split(' ')[1..]);

        Assert.Empty(parsed.Errors);
        Assert.Equal("add-context", parsed.CommandResult.Command.Name);
        Assert.Equal("http://localhost:1470", parsed.GetValue<string?>("--server"));
        Assert.Equal("lbt_abc", parsed.GetValue<string?>("--token"));
    }
}
