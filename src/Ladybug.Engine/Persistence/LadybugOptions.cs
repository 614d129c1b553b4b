namespace Ladybug.Engine.Persistence;

/// <summary>Section "Ladybug": where the console keeps its state.</summary>
public sealed class LadybugOptions
{
    public const string Section = "Ladybug";

    /// <summary>Holds ladybug.db and the Data Protection keys; created if missing.</summary>
    public string DataDir { get; set; } = "./data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDir), "ladybug.db");
    public string KeysPath => Path.Combine(Path.GetFullPath(DataDir), "keys");
}
