using System.Runtime.CompilerServices;
using Bunit;

namespace Ladybug.Tests.Unit;

/// <summary>
/// Many tests run in parallel on 2 cores next to real sshd and console processes. bUnit's synchronous waits and
/// Kestrel both need thread-pool threads; the pool's slow growth would turn that load into spurious timeouts.
/// </summary>
internal static class TestAssemblySetup
{
    [ModuleInitializer]
    internal static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Math.Max(32, Environment.ProcessorCount * 8)), io);
        // A wait only turns a hang into a clear failure; it never measures speed.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
    }
}
