using Microsoft.AspNetCore.DataProtection;

namespace Ladybug.Engine.Secrets;

/// <summary>Seals SSH private keys and kubeconfigs before they reach the database.</summary>
public interface ISecretSealer
{
    string Seal(string plaintext);
    string Unseal(string sealedText);
}

internal sealed class DataProtectionSecretSealer(IDataProtectionProvider provider) : ISecretSealer
{
    private readonly IDataProtector _protector = provider.CreateProtector("Ladybug.Secrets.v1");

    public string Seal(string plaintext) => _protector.Protect(plaintext);

    public string Unseal(string sealedText) => _protector.Unprotect(sealedText);
}
