using Ladybug.Engine.Accounts;
using Ladybug.Tests.Unit.Web.Api;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>Where the CLI finds the server and credentials: flags, then environment variables, then the config file's context.</summary>
[Collection(LoopbackConsoleCollection.Name)]
public sealed class CredentialsTests(McksApiFixture console) : IDisposable
{
    private readonly CliHarness _cli = new();
    private string Server => console.Console.BaseAddress.ToString();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task EnvironmentVariablesGiveServerUserAndPassword()
    {
        _cli.Environment["LADYBUG_SERVER"] = Server;
        _cli.Environment["LADYBUG_USER"] = TestConsole.AdminUser;
        _cli.Environment["LADYBUG_PASSWORD"] = TestConsole.AdminPassword;

        (await _cli.RunAsync("get", "cluster")).Succeeded();
    }

    [Fact]
    public async Task FlagsWinOverTheEnvironment()
    {
        _cli.Environment["LADYBUG_SERVER"] = "http://127.0.0.1:1";
        _cli.Environment["LADYBUG_USER"] = TestConsole.AdminUser;
        _cli.Environment["LADYBUG_PASSWORD"] = "stale";

        (await _cli.RunAsync("get", "cluster", "--server", Server, "--user", TestConsole.AdminUser, "--password", TestConsole.AdminPassword)).Succeeded();
    }

    [Fact]
    public async Task APasswordFlagGoesWithTheUserFromTheEnvironment()
    {
        _cli.Environment["LADYBUG_USER"] = TestConsole.AdminUser;

        (await _cli.RunAsync("get", "cluster", "-s", Server, "--password", TestConsole.AdminPassword)).Succeeded();
    }

    [Fact]
    public async Task AWrongPasswordFailsWithTheServersReason() =>
        (await _cli.RunAsync("get", "cluster", "-s", Server, "--user", TestConsole.AdminUser, "--password", "wrong")).Failed("Wrong user name or password");

    [Fact]
    public async Task NoCredentialsFailWithAHint() =>
        (await _cli.RunAsync("get", "cluster", "-s", Server)).Failed("Authentication required");

    [Fact]
    public async Task AUserWithoutAPasswordFailsBeforeCallingTheServer() =>
        (await _cli.RunAsync("get", "cluster", "-s", Server, "--user", "admin")).Failed("No password for user 'admin'");

    [Fact]
    public async Task AnApiTokenWorksFromTheEnvironment()
    {
        var (_, token) = await console.Services.GetRequiredService<AccountService>().CreateTokenAsync(TestConsole.AdminUser, "cli", CancellationToken.None);
        _cli.Environment["LADYBUG_SERVER"] = Server;
        _cli.Environment["LADYBUG_TOKEN"] = token;

        (await _cli.RunAsync("get", "cluster")).Succeeded();
        (await _cli.RunAsync("get", "cluster", "--token", "lbt_revoked")).Failed("Unknown or revoked API token");
    }

    [Fact]
    public async Task TheCurrentContextOfTheConfigFileIsUsedAndAnotherCanBeChosen()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(console.Services, ns, "in-context");
        (await _cli.RunAsync("config", "add-context", "lab", "-s", Server, "-n", ns, "--user", TestConsole.AdminUser, "--password", TestConsole.AdminPassword)).Succeeded();
        (await _cli.RunAsync("config", "add-context", "broken", "-s", "http://127.0.0.1:1")).Succeeded();

        var current = (await _cli.RunAsync("get", "cluster")).Succeeded();
        (await _cli.RunAsync("get", "cluster", "--context", "broken")).Failed("Cannot reach the Ladybug server at http://127.0.0.1:1");
        (await _cli.RunAsync("get", "cluster", "--context", "nowhere")).Failed("There is no context named 'nowhere'");

        Assert.Contains("in-context", current.Output);
    }

    [Fact]
    public async Task AServerThatIsNotAUrlIsRejected() =>
        (await _cli.RunAsync("get", "cluster", "-s", "ftp://example.org")).Failed("is not a server URL");
}
