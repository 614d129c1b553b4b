using System.CommandLine;
using Ladybug.Cli.Logs;

namespace Ladybug.Cli.Commands;

/// <summary><c>kubeconfig NAME</c> and <c>logs NAME [-f]</c>: what a cluster gives back.</summary>
public static class ClusterOutputCommands
{
    /// <summary>Lines per request when printing the stored log.</summary>
    public const int LogPage = 1000;

    public static Command Kubeconfig(GlobalOptions options, CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "The cluster" };
        var command = new Command("kubeconfig", "Print the cluster's admin kubeconfig (ladybug kubeconfig NAME > NAME.kubeconfig)") { name };
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var kubeconfig = await run.Api().GetKubeconfigAsync(run.Namespace, run.Get(name)!, cancellationToken);
            run.Output.Write(kubeconfig.EndsWith('\n') ? kubeconfig : kubeconfig + "\n");
            return Invocation.Success;
        }));
        return command;
    }

    public static Command Logs(GlobalOptions options, CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "The cluster" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming until the current job ends; the exit code says whether it succeeded" };
        var command = new Command("logs", "Print the provisioning log of a cluster") { name, follow };
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var cluster = run.Get(name)!;
            if (run.Get(follow))
                return await new LogFollower(run.Settings, run.Output, env.Error).FollowAsync(run.Namespace, cluster, cancellationToken);

            var api = run.Api();
            long after = 0;
            while (true)
            {
                var page = await api.GetLogsAsync(run.Namespace, cluster, after, LogPage, cancellationToken);
                foreach (var line in page.Items)
                    run.Output.WriteLine(LogFollower.Format(line.NodeName, line.Text));
                if (page.Items.Count < LogPage) return Invocation.Success;
                after = page.Items[^1].Sequence;
            }
        }));
        return command;
    }
}
