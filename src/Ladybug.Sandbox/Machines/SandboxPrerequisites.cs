namespace Ladybug.Sandbox.Machines;

/// <summary>What a sandbox VM needs from the machine, checked once with a message that says what to install.</summary>
public static class SandboxPrerequisites
{
    public const string PrivilegeSeparationDirectory = "/run/sshd";
    public const string PerlPath = "/usr/bin/perl";

    /// <summary>Null when VMs can run; otherwise the exact fix.</summary>
    public static string? Problem(SandboxOptions options)
    {
        if (!File.Exists(options.SshdPath))
            return $"The sandbox cloud runs every VM as an OpenSSH server, but {options.SshdPath} was not found. Install it with: sudo apt-get install openssh-server";
        if (!File.Exists(options.SshKeygenPath))
            return $"The sandbox cloud makes its SSH keys with ssh-keygen, but {options.SshKeygenPath} was not found. Install it with: sudo apt-get install openssh-client";
        if (!File.Exists(PerlPath))
            return $"The sandbox VMs hand their SSH commands to the node simulator through a perl script, but {PerlPath} was not found. Install it with: sudo apt-get install perl-base";
        try
        {
            Directory.CreateDirectory(PrivilegeSeparationDirectory);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return $"sshd needs its privilege separation directory {PrivilegeSeparationDirectory}, which could not be created ({ex.Message}). Create it with: sudo mkdir -p {PrivilegeSeparationDirectory}";
        }
        return null;
    }
}
