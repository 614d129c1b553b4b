using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// The Basic credentials the emulator expects (<see cref="SandboxOptions.User"/>/<see cref="SandboxOptions.Password"/>),
/// checked the same way for Tumblebug's paths and for the sandbox's own admin paths.
/// </summary>
internal static class EmulatorCredentials
{
    public static bool Match(HttpRequest request, SandboxOptions options)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = $"{options.User}:{options.Password}";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), Encoding.UTF8.GetBytes(expected));
    }
}
