using System.Text.RegularExpressions;

namespace Ladybug.Engine.Bootstrap;

/// <summary>One <c>kubeadm join</c> command as kubeadm prints it.</summary>
public sealed record KubeadmJoinCommand(string Endpoint, string Token, string DiscoveryHash, bool ControlPlane, string? CertificateKey)
{
    public JoinCredentials ToCredentials() => new(Endpoint, Token, DiscoveryHash, ControlPlane ? CertificateKey : null);
}

/// <summary>The join commands <c>kubeadm init --upload-certs</c> ends with.</summary>
public sealed record KubeadmInitJoinCommands(KubeadmJoinCommand ControlPlane, KubeadmJoinCommand Worker);

/// <summary>kubeadm's output did not contain what Ladybug needs. The message never repeats a secret.</summary>
public sealed class KubeadmOutputException(string message) : Exception(message);

/// <summary>
/// Reads join commands from real kubeadm output: the end of <c>kubeadm init</c> (with kubeadm's
/// backslash line continuations, indented by spaces in 1.18 and by a tab later) and the single line
/// of <c>kubeadm token create --print-join-command</c>.
/// </summary>
public static partial class KubeadmJoinParser
{
    public const string InitSucceededMarker = "Your Kubernetes control-plane has initialized successfully!";

    [GeneratedRegex(@"^[a-z0-9]{6}\.[a-z0-9]{16}$")]
    private static partial Regex TokenFormat();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}$")]
    private static partial Regex HashFormat();

    [GeneratedRegex(@"^[a-f0-9]{64}$")]
    private static partial Regex CertificateKeyFormat();

    [GeneratedRegex(@"\\[ \t]*\r?\n")]
    private static partial Regex LineContinuation();

    /// <summary>Both join commands from <c>kubeadm init --upload-certs</c> output.</summary>
    public static KubeadmInitJoinCommands ParseInitOutput(string output)
    {
        if (!output.Contains(InitSucceededMarker, StringComparison.Ordinal))
            throw new KubeadmOutputException("kubeadm init did not report success (no \"" + InitSucceededMarker + "\" line).");
        var commands = FindJoinCommands(output);
        var controlPlane = commands.FirstOrDefault(c => c.ControlPlane)
            ?? throw new KubeadmOutputException("kubeadm init printed no control-plane join command (was --upload-certs given?).");
        if (controlPlane.CertificateKey is null)
            throw new KubeadmOutputException("kubeadm init printed a control-plane join command without --certificate-key.");
        var worker = commands.FirstOrDefault(c => !c.ControlPlane)
            ?? throw new KubeadmOutputException("kubeadm init printed no worker join command.");
        return new KubeadmInitJoinCommands(controlPlane, worker);
    }

    /// <summary>The one join command of <c>kubeadm token create --print-join-command</c> (optionally with --certificate-key).</summary>
    public static KubeadmJoinCommand ParseJoinCommand(string output)
    {
        var commands = FindJoinCommands(output);
        return commands.Count switch
        {
            1 => commands[0],
            0 => throw new KubeadmOutputException("The output contains no kubeadm join command."),
            _ => throw new KubeadmOutputException($"The output contains {commands.Count} kubeadm join commands; expected one."),
        };
    }

    /// <summary>Every well-formed join command in the text, in order.</summary>
    public static IReadOnlyList<KubeadmJoinCommand> FindJoinCommands(string output)
    {
        var joined = LineContinuation().Replace(output, " ");
        var commands = new List<KubeadmJoinCommand>();
        foreach (var line in joined.Split('\n'))
        {
            // Only a line that is a command: prose that mentions "kubeadm join" is not one.
            var command = line.Trim();
            if (!command.StartsWith("kubeadm join ", StringComparison.Ordinal)) continue;
            commands.Add(ParseWords(command["kubeadm join ".Length..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)));
        }
        return commands;
    }

    private static KubeadmJoinCommand ParseWords(string[] words)
    {
        string? endpoint = null, token = null, hash = null, certificateKey = null;
        var controlPlane = false;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            string? Next() => i + 1 < words.Length ? words[++i] : null;
            switch (word)
            {
                case "--token": token = Next(); break;
                // kubeadm prints one hash per CA; the first is the cluster CA.
                case "--discovery-token-ca-cert-hash": hash ??= Next(); break;
                case "--control-plane" or "--experimental-control-plane": controlPlane = true; break;
                case "--certificate-key": certificateKey = Next(); break;
                default:
                    if (!word.StartsWith('-') && endpoint is null) endpoint = word;
                    break;
            }
        }

        if (endpoint is null || !endpoint.Contains(':'))
            throw new KubeadmOutputException("A kubeadm join command has no host:port endpoint.");
        if (token is null || !TokenFormat().IsMatch(token))
            throw new KubeadmOutputException($"The kubeadm join command for {endpoint} has no token in kubeadm's format.");
        if (hash is null || !HashFormat().IsMatch(hash))
            throw new KubeadmOutputException($"The kubeadm join command for {endpoint} has no sha256 discovery hash.");
        if (certificateKey is not null && !CertificateKeyFormat().IsMatch(certificateKey))
            throw new KubeadmOutputException($"The kubeadm join command for {endpoint} has a malformed certificate key.");
        return new KubeadmJoinCommand(endpoint, token, hash, controlPlane, certificateKey);
    }
}
