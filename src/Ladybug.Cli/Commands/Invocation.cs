using System.CommandLine;
using Ladybug.Cli.Api;
using Ladybug.Cli.Configuration;
using Ladybug.Cli.Output;
using Refit;

namespace Ladybug.Cli.Commands;

/// <summary>One run of one command: its parsed options, where it talks to, and how failures become exit codes.</summary>
public sealed class Invocation(ParseResult parse, GlobalOptions options, CliEnvironment env) : IDisposable
{
    public const int Success = 0;
    public const int Failure = 1;

    private readonly List<HttpClient> _clients = [];
    private ServerSettings? _settings;

    public ParseResult Parse { get; } = parse;
    public CliEnvironment Env { get; } = env;
    public GlobalOptions Options { get; } = options;
    public TextWriter Output => Env.Output;
    public ServerSettings Settings => _settings ??= ServerSettings.Resolve(Parse, Options, Env);
    public string Namespace => Settings.Namespace;

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);
    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    public ILadybugApi Api(bool waiting = false)
    {
        var http = new HttpClient();
        _clients.Add(http);
        return LadybugApiClient.Create(http, Settings, waiting);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
            client.Dispose();
    }

    /// <summary>-o when given, else <paramref name="fallback"/>.</summary>
    public Printer Printer(string fallback = GlobalOptions.Table) => new(Output, Parse.GetValue(Options.Output) ?? fallback);

    public bool OutputRequested => Parse.GetValue(Options.Output) is not null;

    /// <summary>Runs a command body; every expected failure is printed on standard error as "Error: …" and exits with 1.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(GlobalOptions options, CliEnvironment env,
        Func<Invocation, CancellationToken, Task<int>> body) => async (parse, cancellationToken) =>
    {
        using var invocation = new Invocation(parse, options, env);
        try
        {
            return await body(invocation, cancellationToken);
        }
        catch (CliException ex)
        {
            return invocation.Fail(ex);
        }
        catch (ApiRequestException ex)
        {
            return invocation.Fail(LadybugApiClient.Unreachable(ex));
        }
        catch (ApiException ex)
        {
            return invocation.Fail(LadybugApiClient.Describe(ex, invocation._settings?.Server));
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            return invocation.Fail(LadybugApiClient.CredentialsRefused(invocation._settings?.Server));
        }
        catch (HttpRequestException ex)
        {
            return invocation.Fail(new CliException($"Cannot reach the Ladybug server at {invocation._settings?.Server}: {ex.Message}"));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return invocation.Fail(new CliException($"The server at {invocation._settings?.Server} did not answer in time."));
        }
    };

    private int Fail(CliException ex)
    {
        Env.Error.WriteLine($"Error: {ex.Message}");
        foreach (var detail in ex.Details)
            Env.Error.WriteLine($"  {detail}");
        return Failure;
    }
}
