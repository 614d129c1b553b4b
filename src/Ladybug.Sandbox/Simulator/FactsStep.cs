using System.Globalization;

namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// <c># ladybug-step: facts</c>: prints what the VM knows about itself as key=value lines (the real script gathers
/// the same with hostname, ip and /etc/os-release). Also the smallest example of a step.
/// </summary>
internal sealed class FactsStep : INodeStep
{
    public string Name => "facts";

    public async Task<int> RunAsync(NodeStepContext context)
    {
        var node = context.Node.Identity;
        var os = context.Node.ReadFile("/etc/os-release")?.Split('\n')
            .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"');
        string[] facts =
        [
            $"hostname={node.Hostname}",
            $"publicIp={node.PublicIp}",
            $"privateIp={node.PrivateIp}",
            $"csp={node.Csp}",
            $"region={node.Region}",
            $"zone={node.Zone}",
            $"vcpu={node.VCpu}",
            $"memoryGiB={node.MemoryGiB.ToString(CultureInfo.InvariantCulture)}",
            $"os={os}",
        ];
        foreach (var fact in facts)
            await context.Out.WriteLineAsync(fact);
        return 0;
    }
}
