using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Ladybug.Engine.Accounts;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Security;

/// <summary>
/// Remembers Basic credentials that were verified a moment ago, so a script sending them on every call pays the
/// deliberately slow password hash once per <see cref="SignInOptions.BasicCacheLifetime"/>, not per request. Entries
/// are keyed by an HMAC of user and password under a random key that lives only in this process: the password is never
/// kept, and a key cannot be tested against guesses without that secret. Each entry holds the security stamp it was verified
/// under; the caller compares it with the stored one, so a changed password or "sign out everywhere" ends it at once.
/// </summary>
public sealed class BasicCredentialCache(IOptions<SignInOptions> options, TimeProvider time)
{
    private const int MaxEntries = 10_000;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private TimeSpan Lifetime => options.Value.BasicCacheLifetime;

    /// <summary>The security stamp the credentials were verified under, when they were verified within the lifetime.</summary>
    public string? Find(string userName, string password)
    {
        if (Lifetime <= TimeSpan.Zero) return null;
        var key = KeyOf(userName, password);
        if (!_entries.TryGetValue(key, out var entry)) return null;
        if (entry.Expires > time.GetUtcNow()) return entry.SecurityStamp;
        _entries.TryRemove(key, out _);
        return null;
    }

    public void Remember(string userName, string password, string securityStamp)
    {
        if (Lifetime <= TimeSpan.Zero) return;
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
            foreach (var (key, entry) in _entries)
                if (entry.Expires <= now) _entries.TryRemove(key, out _);
        if (_entries.Count >= MaxEntries) return;
        _entries[KeyOf(userName, password)] = new Entry(securityStamp, now + Lifetime);
    }

    public void Forget(string userName, string password) => _entries.TryRemove(KeyOf(userName, password), out _);

    private string KeyOf(string userName, string password) =>
        Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{userName}\0{password}")));

    private sealed record Entry(string SecurityStamp, DateTimeOffset Expires);
}
