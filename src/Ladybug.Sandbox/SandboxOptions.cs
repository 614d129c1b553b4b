namespace Ladybug.Sandbox;

/// <summary>Section "Ladybug:Sandbox": the embedded sandbox cloud (Tumblebug emulator + sshd VMs).</summary>
public sealed class SandboxOptions
{
    public const string Section = "Ladybug:Sandbox";

    /// <summary>Where the emulator listens; loopback only. Port 0 picks a free port (the console's default); standalone uses 1323.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";
    /// <summary>Basic auth the emulator expects, like Tumblebug's TB_API_USERNAME/TB_API_PASSWORD.</summary>
    public string User { get; set; } = "default";
    public string Password { get; set; } = "default";

    /// <summary>
    /// The cloud's state: emulator.json (namespaces, Infras, nodes), the shared key pairs and the VM directories (sshd
    /// config, host key, simulator state). Any sshd a previous run left there is stopped at start. Empty: a fresh
    /// directory under the system temp directory, removed when the sandbox stops.
    /// </summary>
    public string StateDir { get; set; } = "";

    /// <summary>
    /// Whether the cloud outlives its host, as a real one would: its state is saved in <see cref="StateDir"/> and the
    /// next start on that directory brings every Infra and VM back. False: the directory is emptied at start and
    /// removed at stop. Unset: true when <see cref="StateDir"/> is given (the console's {DataDir}/sandbox), false for a temp directory.
    /// </summary>
    public bool? KeepState { get; set; }

    internal bool KeepsState => KeepState ?? !string.IsNullOrWhiteSpace(StateDir);

    /// <summary>How long a VM stays Creating before it is Running.</summary>
    public TimeSpan VmCreateDelay { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// After start, how long readyz says initialized:false and the cloud lists no verified connection, spec or image —
    /// Tumblebug before init.py has run. Short by default so a person sees it; tests use zero.
    /// </summary>
    public TimeSpan InitializationDelay { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a synchronous create call waits for its nodes before answering anyway (Tumblebug's own wait).</summary>
    public TimeSpan CreationWaitLimit { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Added before every simulated bootstrap step, so a run takes time like a real one.</summary>
    public TimeSpan StepLatency { get; set; } = TimeSpan.Zero;
    /// <summary>Latency per step name ("kubeadm-init": "00:00:03"), overriding <see cref="StepLatency"/> (benchmarks fix each step's).</summary>
    public Dictionary<string, TimeSpan> StepLatencies { get; set; } = [];

    /// <summary>
    /// How long a node's kubelet may be silent (its VM stopped) before the simulated cluster marks the node Unknown:
    /// kube-controller-manager's --node-monitor-grace-period, 40 s by default. Tests shorten it.
    /// </summary>
    public TimeSpan NodeMonitorGracePeriod { get; set; } = TimeSpan.FromSeconds(40);

    public string SshdPath { get; set; } = "/usr/sbin/sshd";
    public string SshKeygenPath { get; set; } = "/usr/bin/ssh-keygen";

    /// <summary>Tumblebug's rate limits and the time deletes take (<see cref="TumblebugTimingOptions"/>).</summary>
    public TumblebugTimingOptions Timing { get; set; } = new();

    /// <summary>Faults at start; tests and the E2E suite can replace them while running (PUT /sandbox/faults).</summary>
    public SandboxFaults Faults { get; set; } = new();
}

/// <summary>What goes wrong on purpose. Everything but <see cref="UndefinedStatusRate"/> is off by default.</summary>
public sealed class SandboxFaults
{
    /// <summary>Nodes on these connections end Failed instead of Running.</summary>
    public List<string> FailCreateOnConnections { get; set; } = [];
    /// <summary>Nodes on these connections stay Creating forever.</summary>
    public List<string> NeverRunningOnConnections { get; set; } = [];
    /// <summary>
    /// Node groups on these connections fail resource preparation (vNet/SG/key) before any VM exists; when every group
    /// of a create fails so, the Infra is left Failed with no nodes and targetAction "Create".
    /// </summary>
    public List<string> FailPreparationOnConnections { get; set; } = [];
    /// <summary>Connections listed with verified:false ("*": all), so ?filterVerified=true leaves them out.</summary>
    public List<string> UnverifiedConnections { get; set; } = [];
    /// <summary>After a VM is Running its SSH port refuses connections for this many seconds (a slow boot).</summary>
    public double SshRefusedSeconds { get; set; }
    /// <summary>Creating calls (infraDynamic, nodeGroupDynamic) do their work, then drop the connection instead of answering.</summary>
    public int LoseCreateResponses { get; set; }
    /// <summary>Tumblebug calls answered with an error status before any work (e.g. 503 for the first N GETs).</summary>
    public List<RequestFault> FailRequests { get; set; } = [];
    /// <summary>
    /// Chance, per status read and Running node, that Tumblebug reports it Undefined once its creation is over: a CSP
    /// status call that failed or answered an unknown word (cb-tumblebug src/core/infra/manageInfo.go:2100-2150,
    /// 2284-2318 @v0.13.0). On by default, as in the real world.
    /// </summary>
    public double UndefinedStatusRate { get; set; } = 0.02;
    /// <summary>The next this many Infra reads report every Running node Undefined (a deterministic <see cref="UndefinedStatusRate"/>).</summary>
    public int UndefinedStatusReads { get; set; }
    /// <summary>Simulated steps that exit non-zero.</summary>
    public List<StepFault> FailSteps { get; set; } = [];
    /// <summary>Simulated steps whose SSH connection drops after some output.</summary>
    public List<StepFault> DropConnections { get; set; } = [];
    /// <summary>
    /// systemd-networkd restarts on these nodes just before these steps run (an unattended upgrade of systemd, a
    /// <c>netplan apply</c>): addresses added by hand to the NIC networkd manages are dropped.
    /// </summary>
    public List<StepFault> RestartNetworkd { get; set; } = [];
    /// <summary>
    /// How long first-boot unattended-upgrades holds the dpkg lock on every new VM, from its first prepare on. The
    /// simulated prepare waits no real time for it: it fails or logs the wait as the script's lock budget allows.
    /// </summary>
    public double AptLockSeconds { get; set; }
}

/// <summary>Answers matching Tumblebug calls with <see cref="StatusCode"/> and a {"message"} body, <see cref="Count"/> times.</summary>
public sealed class RequestFault
{
    /// <summary>GET, POST, DELETE…; empty matches any.</summary>
    public string Method { get; set; } = "";
    /// <summary>Substring of the path and query after /tumblebug (e.g. "/connConfig", "option=status"); empty matches any.</summary>
    public string PathContains { get; set; } = "";
    public int StatusCode { get; set; } = 503;
    /// <summary>Matching calls let through before the fault starts.</summary>
    public int Skip { get; set; }
    public int Count { get; set; } = 1;
}

/// <summary>A fault in the node simulator. <see cref="Step"/> is a step's marker name or a plain command's name.</summary>
public sealed class StepFault
{
    /// <summary>Step or command name; "*" matches any.</summary>
    public string Step { get; set; } = "*";
    /// <summary>Node id (e.g. "w1-2"); "*" matches any.</summary>
    public string Node { get; set; } = "*";
    /// <summary>How many times per node; 0 means every time.</summary>
    public int Times { get; set; } = 1;
    /// <summary>For a failing step: its exit code.</summary>
    public int ExitCode { get; set; } = 1;
    /// <summary>For a dropped connection: output lines written before the drop.</summary>
    public int AfterLines { get; set; }

    public bool Matches(string step, string node) =>
        (Step == "*" || Step.Equals(step, StringComparison.Ordinal)) && (Node == "*" || Node.Equals(node, StringComparison.Ordinal));
}
