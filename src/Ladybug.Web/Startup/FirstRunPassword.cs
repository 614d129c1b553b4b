namespace Ladybug.Web.Startup;

/// <summary>
/// The administrator's generated password, held in memory from the moment it is created until the start-up banner
/// has shown it once. It never goes through logging (logs are shipped and kept; the terminal is not).
/// </summary>
public sealed class FirstRunPassword
{
    private string? _password;

    public void Remember(string password) => _password = password;

    /// <summary>The password, once; later calls get null.</summary>
    public string? Take() => Interlocked.Exchange(ref _password, null);
}
