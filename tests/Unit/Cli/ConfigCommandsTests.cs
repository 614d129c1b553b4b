using Ladybug.Cli.Configuration;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>cbadm's config subcommands over ~/.ladybug/config.yaml. No server is involved.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ConfigCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private CliConfig Stored => CliConfig.Load(_cli.ConfigPath);

    [Fact]
    public async Task TheFirstAddedContextBecomesCurrentAndNamesAreUnique()
    {
        (await _cli.RunAsync("config", "add-context", "lab", "-s", "http://lab:1470", "-n", "team-a", "--user", "alice", "--password", "pw")).Succeeded();
        (await _cli.RunAsync("config", "add-context", "prod", "-s", "https://prod.example", "--token", "lbt_x")).Succeeded();
        (await _cli.RunAsync("config", "add-context", "lab")).Failed("already exists");

        Assert.Equal("lab", Stored.CurrentContext);
        var lab = Stored.Contexts["lab"];
        Assert.Equal(("http://lab:1470", "team-a", "alice", "pw", (string?)null), (lab.Server, lab.Namespace, lab.User, lab.Password, lab.Token));
        Assert.Equal(("default", "lbt_x"), (Stored.Contexts["prod"].Namespace, Stored.Contexts["prod"].Token));
    }

    [Fact]
    public async Task ViewAndGetContextHideSecretsUnlessRawIsAsked()
    {
        (await _cli.RunAsync("config", "add-context", "lab", "--user", "alice", "--password", "hunter2")).Succeeded();

        var view = (await _cli.RunAsync("config", "view")).Succeeded();
        var one = (await _cli.RunAsync("config", "get-context", "lab")).Succeeded();
        var raw = (await _cli.RunAsync("config", "view", "--raw")).Succeeded();

        Assert.DoesNotContain("hunter2", view.Output + one.Output);
        Assert.Contains("password: REDACTED", view.Output);
        Assert.Contains("current-context: lab", view.Output);
        Assert.Contains("hunter2", raw.Output);
    }

    [Fact]
    public async Task TheFileAndTheViewHoldEachContextOnceWithoutYamlAliases()
    {
        (await _cli.RunAsync("config", "add-context", "lab", "-s", "http://lab:1470", "--token", "lbt_x")).Succeeded();

        var view = (await _cli.RunAsync("config", "view", "--raw")).Succeeded();

        Assert.Equal(view.Output, File.ReadAllText(_cli.ConfigPath));
        Assert.Equal(
            "current-context: lab\ncontexts:\n  lab:\n    server: http://lab:1470\n    namespace: default\n    token: lbt_x\n",
            view.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task GetContextListsNamesWithTheCurrentOneMarked()
    {
        (await _cli.RunAsync("config", "add-context", "lab")).Succeeded();
        (await _cli.RunAsync("config", "add-context", "prod")).Succeeded();

        var result = (await _cli.RunAsync("config", "get-context")).Succeeded();

        Assert.Equal("* lab\n  prod\n", result.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task CurrentContextShowsAndSwitches()
    {
        (await _cli.RunAsync("config", "current-context")).Failed("No context is current");
        (await _cli.RunAsync("config", "add-context", "lab")).Succeeded();
        (await _cli.RunAsync("config", "add-context", "prod")).Succeeded();

        Assert.Equal("lab", (await _cli.RunAsync("config", "current-context")).Succeeded().Output.Trim());
        Assert.Equal("prod", (await _cli.RunAsync("config", "current-context", "prod")).Succeeded().Output.Trim());
        (await _cli.RunAsync("config", "current-context", "nowhere")).Failed("There is no context named 'nowhere'");
        Assert.Equal("prod", Stored.CurrentContext);
    }

    [Fact]
    public async Task SetContextChangesOnlyWhatIsGivenAndATokenReplacesAPassword()
    {
        (await _cli.RunAsync("config", "add-context", "lab", "-s", "http://lab:1470", "--user", "alice", "--password", "pw")).Succeeded();

        (await _cli.RunAsync("config", "set-context", "lab", "-n", "team-b")).Succeeded();
        var afterNamespace = Stored.Contexts["lab"];
        (await _cli.RunAsync("config", "set-context", "lab", "--token", "lbt_new")).Succeeded();
        (await _cli.RunAsync("config", "set-context", "ghost", "-n", "x")).Failed("There is no context named 'ghost'");

        Assert.Equal(("http://lab:1470", "team-b", "alice", "pw"), (afterNamespace.Server, afterNamespace.Namespace, afterNamespace.User, afterNamespace.Password));
        var lab = Stored.Contexts["lab"];
        Assert.Equal(("lbt_new", (string?)null, (string?)null), (lab.Token, lab.User, lab.Password));
    }

    [Fact]
    public async Task SetNamespaceChangesTheCurrentContext()
    {
        (await _cli.RunAsync("config", "set-namespace", "team-c")).Failed("No context is current");
        (await _cli.RunAsync("config", "add-context", "lab")).Succeeded();

        (await _cli.RunAsync("config", "set-namespace", "team-c")).Succeeded();

        Assert.Equal("team-c", Stored.Contexts["lab"].Namespace);
    }

    [Fact]
    public async Task DeletingTheCurrentContextMakesAnotherCurrent()
    {
        (await _cli.RunAsync("config", "add-context", "lab")).Succeeded();
        (await _cli.RunAsync("config", "add-context", "prod")).Succeeded();

        (await _cli.RunAsync("config", "delete-context", "lab")).Succeeded();
        (await _cli.RunAsync("config", "delete-context", "lab")).Failed("There is no context named 'lab'");

        Assert.Equal(["prod"], Stored.Contexts.Keys);
        Assert.Equal("prod", Stored.CurrentContext);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheFileIsReadableByItsOwnerOnly()
    {
        (await _cli.RunAsync("config", "add-context", "lab", "--user", "alice", "--password", "pw")).Succeeded();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.ConfigPath));
    }

    [Fact]
    public async Task ABrokenFileIsReportedNotIgnored()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_cli.ConfigPath)!);
        await File.WriteAllTextAsync(_cli.ConfigPath, "contexts: [oops");

        (await _cli.RunAsync("config", "view")).Failed("Cannot read the config file");
    }
}
