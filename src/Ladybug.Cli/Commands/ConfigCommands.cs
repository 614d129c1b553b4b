using System.CommandLine;
using Ladybug.Cli.Configuration;

namespace Ladybug.Cli.Commands;

/// <summary>
/// <c>config add-context|view|get-context|set-context|current-context|delete-context|set-namespace</c>, as in cbadm.
/// A context's server, namespace and credentials come from the global flags (--server, -n, --user, --password, --token).
/// </summary>
public static class ConfigCommands
{
    private const string Redacted = "REDACTED";

    public static Command Build(GlobalOptions options, CliEnvironment env)
    {
        var config = new Command("config", "Manage contexts in ~/.ladybug/config.yaml");
        config.Subcommands.Add(AddContext(options, env));
        config.Subcommands.Add(View(options, env));
        config.Subcommands.Add(GetContext(options, env));
        config.Subcommands.Add(SetContext(options, env));
        config.Subcommands.Add(CurrentContext(options, env));
        config.Subcommands.Add(DeleteContext(options, env));
        config.Subcommands.Add(SetNamespace(options, env));
        return config;
    }

    private static Argument<string> ContextName() => new("NAME") { Description = "Context name" };

    /// <summary>Loads the file, lets <paramref name="change"/> work on it, saves it when asked to.</summary>
    private static Func<ParseResult, CancellationToken, Task<int>> OnConfig(GlobalOptions options, CliEnvironment env, Func<Invocation, CliConfig, bool> change) =>
        Invocation.Action(options, env, (run, _) =>
        {
            var path = ServerSettings.ConfigPath(run.Parse, options, env);
            var config = CliConfig.Load(path);
            if (change(run, config)) config.Save(path);
            return Task.FromResult(Invocation.Success);
        });

    private static Command AddContext(GlobalOptions options, CliEnvironment env)
    {
        var name = ContextName();
        var command = new Command("add-context", "Add a context from --server, -n, --user/--password or --token; the first one becomes current") { name };
        command.SetAction(OnConfig(options, env, (run, config) =>
        {
            var contextName = run.Get(name)!;
            if (config.Contexts.ContainsKey(contextName))
                throw new CliException($"The context '{contextName}' already exists; change it with 'ladybug config set-context {contextName}'.");
            var context = new CliContext { Server = run.Get(options.Server) ?? ServerSettings.DefaultServer, Namespace = run.Get(options.Namespace) ?? ServerSettings.DefaultNamespace };
            Apply(run, options, context);
            config.Contexts[contextName] = context;
            config.CurrentContext ??= contextName;
            run.Output.WriteLine($"Context '{contextName}' added{(config.CurrentContext == contextName ? " and is current" : "")}.");
            return true;
        }));
        return command;
    }

    private static Command SetContext(GlobalOptions options, CliEnvironment env)
    {
        var name = ContextName();
        var command = new Command("set-context", "Change a context's server, namespace or credentials from the flags given") { name };
        command.SetAction(OnConfig(options, env, (run, config) =>
        {
            var context = config.Get(run.Get(name)!);
            context.Server = run.Get(options.Server) ?? context.Server;
            context.Namespace = run.Get(options.Namespace) ?? context.Namespace;
            Apply(run, options, context);
            run.Output.Write(CliConfig.ToYaml(Redact(context)));
            return true;
        }));
        return command;
    }

    private static Command View(GlobalOptions options, CliEnvironment env)
    {
        var raw = new Option<bool>("--raw") { Description = "Show passwords and tokens" };
        var command = new Command("view", "Show the config file (passwords and tokens redacted unless --raw)") { raw };
        command.SetAction(OnConfig(options, env, (run, config) =>
        {
            if (!run.Get(raw))
                config.Contexts = config.Contexts.ToDictionary(c => c.Key, c => Redact(c.Value), StringComparer.Ordinal);
            run.Output.Write(config.ToYaml());
            return false;
        }));
        return command;
    }

    private static Command GetContext(GlobalOptions options, CliEnvironment env)
    {
        var name = new Argument<string?>("NAME") { Description = "The context to show; every context name when left out", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get-context", "List context names (* marks the current one) or show one context") { name };
        command.SetAction(OnConfig(options, env, (run, config) =>
        {
            if (run.Get(name) is { } one)
                run.Output.Write(CliConfig.ToYaml(Redact(config.Get(one))));
            else
                foreach (var contextName in config.Contexts.Keys.Order(StringComparer.Ordinal))
                    run.Output.WriteLine($"{(contextName == config.CurrentContext ? "*" : " ")} {contextName}");
            return false;
        }));
        return command;
    }

    private static Command CurrentContext(GlobalOptions options, CliEnvironment env)
    {
        var name = new Argument<string?>("NAME") { Description = "Make this context current", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("current-context", "Show the current context, or switch to another") { name };
        command.SetAction(OnConfig(options, env, (run, config) =>
        {
            var switchTo = run.Get(name);
            if (switchTo is not null)
            {
                config.Get(switchTo);
                config.CurrentContext = switchTo;
            }
            run.Output.WriteLine(config.CurrentContext ?? throw new CliException("No context is current; add one with 'ladybug config add-context NAME --server URL'."));
            return switchTo is not null;
        }));
        return command;
    }

    private static Command DeleteContext(GlobalOptions options, CliEnvironment env)
    {
        var name = ContextName();
        var command = new Command("delete-context", "Delete a context") { name };
        command.SetAction(OnConfig(options, env, (run, config) =>
        {
            var contextName = run.Get(name)!;
            config.Get(contextName);
            config.Contexts.Remove(contextName);
            if (config.CurrentContext == contextName)
                config.CurrentContext = config.Contexts.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
            run.Output.WriteLine($"Context '{contextName}' deleted.{(config.CurrentContext is { } current ? $" Current context: {current}." : "")}");
            return true;
        }));
        return command;
    }

    private static Command SetNamespace(GlobalOptions options, CliEnvironment env)
    {
        var ns = new Argument<string>("NAMESPACE") { Description = "The namespace commands use by default" };
        var command = new Command("set-namespace", "Set the current context's namespace") { ns };
        command.SetAction(OnConfig(options, env, (run, config) =>
        {
            var context = config.Current ?? throw new CliException("No context is current; add one with 'ladybug config add-context NAME --server URL'.");
            context.Namespace = run.Get(ns);
            run.Output.WriteLine($"Context '{config.CurrentContext}' now uses namespace '{context.Namespace}'.");
            return true;
        }));
        return command;
    }

    /// <summary>Credentials as a set: a token replaces a user and password, and the other way round.</summary>
    private static void Apply(Invocation run, GlobalOptions options, CliContext context)
    {
        if (run.Get(options.Token) is { } token)
            (context.Token, context.User, context.Password) = (token, null, null);
        if (run.Get(options.User) is { } user)
            (context.User, context.Password, context.Token) = (user, run.Get(options.Password), null);
        else if (run.Get(options.Password) is { } password)
            context.Password = password;
    }

    private static CliContext Redact(CliContext context) => new()
    {
        Server = context.Server,
        Namespace = context.Namespace,
        User = context.User,
        Password = context.Password is null ? null : Redacted,
        Token = context.Token is null ? null : Redacted,
    };
}
