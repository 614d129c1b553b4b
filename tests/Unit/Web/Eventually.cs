namespace Ladybug.Tests.Unit.Web;

/// <summary>Waits for something delivered asynchronously (events, hub messages); fails with a message after a deadline.</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {seconds} s.");
            await Task.Delay(20);
        }
    }
}
