// Three folders for EngineLayeringTests.ACycleIsFound: First and Second use each other (one of them only in a method
// body), Third uses First and nothing uses Third.

namespace Ladybug.Tests.Unit.Engine.LayeringSample.First
{
    internal sealed class Sender
    {
        public static string Send() => Second.Receiver.Name();
    }
}

namespace Ladybug.Tests.Unit.Engine.LayeringSample.Second
{
    internal static class Receiver
    {
        public static string Name() => "receiver";

        public static object Reply() => new First.Sender();
    }
}

namespace Ladybug.Tests.Unit.Engine.LayeringSample.Third
{
    internal sealed class Watcher(First.Sender sender)
    {
        public First.Sender Sender { get; } = sender;
    }
}
