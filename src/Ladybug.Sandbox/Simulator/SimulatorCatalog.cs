namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// Everything a simulated VM knows, in one place. To teach it a bootstrap step, implement <see cref="INodeStep"/>
/// (the engine's script carries <c># ladybug-step: &lt;Name&gt;</c>) and add it below; plain commands
/// (<c>kubectl</c>…) implement <see cref="INodeCommand"/>.
/// </summary>
public static class SimulatorCatalog
{
    public static NodeSimulatorRegistry CreateRegistry() => new NodeSimulatorRegistry()
        // Plain commands
        .AddCommand(new HostnameCommand())
        .AddCommand(new EchoCommand())
        .AddCommand(new ExitStatusCommand("true", 0))
        .AddCommand(new ExitStatusCommand("false", 1))
        .AddCommand(new WhoamiCommand())
        .AddCommand(new UnameCommand())
        .AddCommand(new NprocCommand())
        .AddCommand(new CatCommand())
        .AddCommand(new SleepCommand())
        .AddCommand(new Kubernetes.KubectlCommand())
        // Bootstrap steps, by marker name
        .AddStep(new FactsStep())
        .AddStep(new Kubernetes.PrepareStep())
        .AddStep(new Kubernetes.PublicIpStep())
        .AddStep(new Kubernetes.HaproxyStep())
        .AddStep(new Kubernetes.KubeadmInitStep())
        .AddStep(new Kubernetes.CniStep())
        .AddStep(new Kubernetes.JoinControlPlaneStep())
        .AddStep(new Kubernetes.JoinWorkerStep())
        .AddStep(new Kubernetes.JoinTokenStep())
        .AddStep(new Kubernetes.LabelStep())
        .AddStep(new Kubernetes.WaitReadyStep())
        .AddStep(new Kubernetes.FetchKubeconfigStep())
        .AddStep(new Kubernetes.DrainDeleteNodeStep())
        .AddStep(new Kubernetes.ResetStep())
        .AddStep(new Kubernetes.OverlayAddressesStep())
        .AddStep(new Kubernetes.PodNetworkStep())
        .AddStep(new Kubernetes.RenewCertificatesStep())
        .AddStep(new Kubernetes.GetNodesStep());
}
