namespace Ladybug.Engine.Bootstrap;

/// <summary>Section "Ladybug:Network": what the cluster's firewall lets in from outside the cluster.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Ladybug:Network";

    /// <summary>
    /// Sources allowed to reach SSH (22) and the Kubernetes API (6443) of every node: Ladybug itself and the people
    /// using the kubeconfig. Narrow it to your own addresses when you know them.
    /// </summary>
    public List<string> AdminCidrs { get; set; } = ["0.0.0.0/0"];
}
