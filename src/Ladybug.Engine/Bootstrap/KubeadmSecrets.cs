using System.Security.Cryptography;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// Bootstrap tokens and certificate keys made by Ladybug rather than by kubeadm, so they are known
/// before any output arrives and can be redacted by value, not only by pattern.
/// </summary>
public static class KubeadmSecrets
{
    private const string TokenAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A bootstrap token in kubeadm's format <c>[a-z0-9]{6}.[a-z0-9]{16}</c>.</summary>
    public static string NewToken() =>
        RandomNumberGenerator.GetString(TokenAlphabet, 6) + "." + RandomNumberGenerator.GetString(TokenAlphabet, 16);

    /// <summary>A certificate key as <c>kubeadm certs certificate-key</c> makes it: 32 random bytes, hex.</summary>
    public static string NewCertificateKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
