using System.Text.RegularExpressions;

namespace Ladybug.Engine.Bootstrap;

/// <summary>Edits to the admin kubeconfig kubeadm writes.</summary>
public static partial class Kubeconfig
{
    [GeneratedRegex(@"^(?<indent>[ \t]*server:[ \t]*).*$", RegexOptions.Multiline)]
    private static partial Regex ServerLine();

    /// <summary>
    /// Points every cluster entry at <paramref name="server"/>. kubeadm writes the endpoint name, which
    /// resolves only on the nodes; people outside need the public address.
    /// </summary>
    public static string RewriteServer(string kubeconfig, string server)
    {
        if (!ServerLine().IsMatch(kubeconfig))
            throw new FormatException("The kubeconfig has no cluster server entry.");
        return ServerLine().Replace(kubeconfig, m => m.Groups["indent"].Value + server);
    }

    /// <summary>The first cluster server entry, or null.</summary>
    public static string? Server(string kubeconfig)
    {
        var match = ServerLine().Match(kubeconfig);
        return match.Success ? match.Value[match.Groups["indent"].Length..].Trim() : null;
    }
}
