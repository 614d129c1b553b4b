using System.CommandLine;
using System.Globalization;
using Ladybug.Api.Contracts;
using Ladybug.Cli.Api;
using Ladybug.Cli.Output;

namespace Ladybug.Cli.Commands;

/// <summary><c>renew certificates NAME [--wait]</c>: kubeadm certs renew all on every control plane, and a fresh kubeconfig.</summary>
public static class RenewCommands
{
    public static Command Build(GlobalOptions options, CliEnvironment env) =>
        new("renew", "Renew a cluster's certificates") { Certificates(options, env) };

    private static Command Certificates(GlobalOptions options, CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "The cluster" };
        var wait = new Option<bool>("--wait") { Description = "Return only when every control plane has its new certificates" };
        var command = new Command("certificates", "Renew the kubeadm certificates of every control plane (one at a time) and refresh the stored kubeconfig") { name, wait };
        command.SetAction(Invocation.Action(options, env, async (run, cancellationToken) =>
        {
            var waiting = run.Get(wait);
            var cluster = run.Get(name)!;
            var response = await run.Api(waiting).RenewCertificatesAsync(run.Namespace, cluster, waiting ? true : null, cancellationToken);
            var renewed = LadybugApiClient.Content(response);
            if (run.OutputRequested) run.Printer().Write(renewed, c => Printer.Clusters([c]));
            else run.Output.WriteLine(waiting ? Expiry(renewed) : $"Renewing the certificates of '{cluster}'. Follow it with: ladybug logs {cluster} -f");
            return CreateCommands.StillRunning(run, waiting, response.StatusCode, cluster);
        }));
        return command;
    }

    private static string Expiry(ClusterResource cluster) =>
        $"Certificates of '{cluster.Name}' renewed" + (cluster.Status.Certificates is { Count: > 0 } certificates
            ? ": " + string.Join(", ", certificates.Select(c => $"{c.Name} until {c.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}")) + "."
            : ".");
}
