using System.Text.RegularExpressions;

namespace Ladybug.Engine.Secrets;

/// <summary>
/// Removes secrets from log text before it is stored or streamed: kubeadm bootstrap tokens,
/// certificate keys, discovery hashes, PEM private-key blocks and base64 client keys in kubeconfigs.
/// One instance per output stream, because a PEM block spans lines.
/// </summary>
public sealed partial class LogRedactor
{
    public const string Mask = "[REDACTED]";

    /// <summary>Secrets shorter than this are not matched by value: masking them would garble ordinary text.</summary>
    public const int MinimumKnownSecretLength = 8;

    private readonly string[] _knownSecrets;
    private bool _insidePrivateKey;

    /// <summary>True between a PEM private-key header and its footer: the next line is masked whatever it says.</summary>
    public bool InsidePrivateKey => _insidePrivateKey;
    public LogRedactor() : this([])
    {
    }

    /// <param name="knownSecrets">Values this output must never show (e.g. the cluster's join token), masked wherever they appear.</param>
    public LogRedactor(IEnumerable<string> knownSecrets)
    {
        // Longest first, so a secret that contains another is masked whole.
        _knownSecrets = knownSecrets.Where(s => s is { Length: >= MinimumKnownSecretLength })
            .Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
    }

    [GeneratedRegex(@"\b[a-z0-9]{6}\.[a-z0-9]{16}\b")]
    private static partial Regex BootstrapToken();

    [GeneratedRegex(@"(?i)(--certificate-key[ =]+|certificateKey:\s*|certificate key:\s*\n?\s*)[a-f0-9]{64}")]
    private static partial Regex CertificateKeyFlag();

    [GeneratedRegex(@"\b[a-f0-9]{64}\b")]
    private static partial Regex Hex64();

    [GeneratedRegex(@"sha256:[a-f0-9]{64}")]
    private static partial Regex DiscoveryHash();

    [GeneratedRegex(@"(?i)(client-key-data|client-certificate-data|token|password)(""?\s*[:=]\s*""?)[^\s""]{8,}")]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PemBegin();

    [GeneratedRegex(@"-----END [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PemEnd();

    public string Redact(string line)
    {
        if (_insidePrivateKey)
        {
            if (PemEnd().IsMatch(line))
                _insidePrivateKey = false;
            return Mask;
        }
        if (PemBegin().IsMatch(line))
        {
            _insidePrivateKey = !PemEnd().IsMatch(line);
            return Mask;
        }
        foreach (var secret in _knownSecrets)
            line = line.Replace(secret, Mask, StringComparison.Ordinal);
        if (line.Length < 16)
            return line;
        var text = BootstrapToken().Replace(line, Mask);
        text = DiscoveryHash().Replace(text, "sha256:" + Mask);
        text = CertificateKeyFlag().Replace(text, m => m.Groups[1].Value + Mask);
        // kubeadm prints the certificate key alone on the line after "Using certificate key:".
        text = Hex64().Replace(text, Mask);
        text = KeyValueSecret().Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mask);
        return text;
    }
}
