using System.Diagnostics;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Tumblebug answers readyz with ready:true, initialized:false until init.py has loaded credentials, specs and images
/// (cb-tumblebug src/interface/rest/server/common/utility.go:166-191 @v0.13.0). The sandbox plays that stretch for
/// <see cref="SandboxOptions.InitializationDelay"/> after it starts: no verified connection, no spec, no image.
/// </summary>
internal sealed class InitializationClock(TimeSpan delay)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public bool Initialized => Stopwatch.GetElapsedTime(_started) >= delay;
}
