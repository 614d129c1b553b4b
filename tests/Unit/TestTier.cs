namespace Ladybug.Tests.Unit;

/// <summary>
/// The fast tier: a class marked <c>[Trait(TestTier.Category, TestTier.Unit)]</c> starts no process, opens no socket and
/// writes no database file, so `./test.sh` runs these first and they finish in seconds. Everything else in this project
/// (sshd, the sandbox, a console, SQLite or PostgreSQL) is the integration tier, run after them; a new test class is
/// integration until it is marked.
/// </summary>
public static class TestTier
{
    public const string Category = "Category";
    public const string Unit = "Unit";
}
