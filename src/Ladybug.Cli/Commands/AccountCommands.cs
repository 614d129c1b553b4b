using System.CommandLine;
using System.Net;

namespace Ladybug.Cli.Commands;

/// <summary><c>unlock USER</c>: an administrator lifts a sign-in lockout before it ends by itself.</summary>
public static class AccountCommands
{
    public static Command Unlock(GlobalOptions options, CliEnvironment env)
    {
        var user = new Argument<string>("USER") { Description = "The locked console user" };
        var command = new Command("unlock", "Unlock a console account locked after repeated wrong passwords") { user };
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var name = run.Get(user)!;
            using var response = await run.Api().UnlockAccountAsync(name, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new CliException($"No locked account named '{name}'.");
            if (!response.IsSuccessStatusCode)
                throw Api.LadybugApiClient.Describe(response.Error as Refit.ApiException, null);
            run.Output.WriteLine($"Unlocked {name}.");
            return Invocation.Success;
        }));
        return command;
    }
}
