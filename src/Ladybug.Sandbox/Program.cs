namespace Ladybug.Sandbox;

/// <summary>Standalone sandbox cloud: the Tumblebug emulator on 127.0.0.1:1323/tumblebug.</summary>
public static class SandboxProgram
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("The standalone sandbox is not built yet; the console starts it in-process.");
        return 1;
    }
}
