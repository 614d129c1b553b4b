using System.Globalization;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// The dpkg lock that first-boot unattended-upgrades holds on a fresh cloud VM (Ladybug:Sandbox:Faults:AptLockSeconds),
/// as prepare's first apt-get meets it. The lock is held from the VM's first prepare on; prepare waits as long as the
/// script's budget allows (<c>--apt-lock-wait-seconds</c>, or the 290 s that prelude.sh's <c>retry 30 10</c> gave before
/// that argument existed) and otherwise fails with apt's own words. No real time passes: the wait is only printed.
/// </summary>
internal static class AptLock
{
    /// <summary>29 sleeps of 10 s between 30 tries: what the scripts waited before they took a lock budget.</summary>
    public const int LegacyBudgetSeconds = 290;
    private const string Document = "first-boot";
    /// <summary>unattended-upgrade's process name as the kernel truncates it to 15 characters (TASK_COMM_LEN 16).</summary>
    private const string Holder = "1342 (unattended-upgr)";

    public static IReadOnlyList<string> Wait(NodeStepContext context, StepArguments args)
    {
        var budget = args.Optional("apt-lock-wait-seconds") is null ? LegacyBudgetSeconds : args.Seconds("apt-lock-wait-seconds");
        var lockSeconds = context.Settings.AptLockSeconds;
        if (lockSeconds <= 0) return [];
        var firstBoot = context.Node.Update<FirstBoot>(Document, f => f.FirstPrepareAt is null ? f with { FirstPrepareAt = DateTimeOffset.UtcNow } : f);
        var held = lockSeconds - (DateTimeOffset.UtcNow - firstBoot.FirstPrepareAt!.Value).TotalSeconds;
        if (held <= 0) return [];
        var seconds = ((int)Math.Ceiling(held)).ToString(CultureInfo.InvariantCulture);
        if (held > budget)
        {
            // apt ≥ 1.9.11 apt-pkg/contrib/fileutl.cc GetLock: "Could not get lock %s. It is held by process %d (%s)";
            // apt-pkg/deb/debsystem.cc debSystem::Lock: "Unable to acquire the dpkg frontend lock (%s), is another process using it?".
            throw new NodeStepFailure(
                $"E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process {Holder}\n" +
                "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n" +
                $"[ladybug] prepare gave up on the dpkg lock after {budget}s; unattended-upgrades holds it for {seconds}s more", 100, verbatim: true);
        }
        return
        [
            $"Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process {Holder}... {seconds}s",
            $"[ladybug] waited {seconds}s for the apt/dpkg lock (held by unattended-upgr)",
        ];
    }

    private sealed record FirstBoot
    {
        public DateTimeOffset? FirstPrepareAt { get; init; }
    }
}
