using System.Text;
using Greengrass.Nucleus.Secrets;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Secrets;

/// <summary>Mounted Secrets as the nucleus sees them: one folder per Secret, one file per key.</summary>
internal sealed class SecretFixture : IDisposable
{
    public const string DbArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf";
    public const string ApiArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-key-Zz9Yy8";
    public const string UnmappedArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:elsewhere-Qq1Ww2";

    private readonly TempDirectory _directory = new();

    public MappedSecret Mount(string arn, string name, params (string Key, byte[] Value)[] keys)
    {
        var folder = _directory.Combine(name);
        Directory.CreateDirectory(folder);
        Write(folder, keys);
        return new MappedSecret(arn, folder);
    }

    public static (string, byte[]) Key(string key, string value) => (key, Encoding.UTF8.GetBytes(value));

    /// <summary>Replaces keys of a mounted Secret, each file swapped in one rename, as the kubelet updates a Secret volume.</summary>
    public static void Write(string folder, params (string Key, byte[] Value)[] keys)
    {
        foreach (var (key, value) in keys)
        {
            var temporary = Path.Combine(folder, $".{key}.tmp");
            File.WriteAllBytes(temporary, value);
            File.Move(temporary, Path.Combine(folder, key), overwrite: true);
        }
    }

    /// <summary>
    /// A Secret volume as the kubelet lays it out: the key files are links into <c>..data</c>, itself a link to a
    /// timestamped folder; an update writes a new folder and swaps <c>..data</c> in one rename.
    /// </summary>
    public MappedSecret MountAsKubelet(string arn, string name, params (string Key, byte[] Value)[] keys)
    {
        var folder = _directory.Combine(name);
        Directory.CreateDirectory(folder);
        SwapAsKubelet(folder, keys);
        foreach (var (key, _) in keys)
        {
            File.CreateSymbolicLink(Path.Combine(folder, key), Path.Combine("..data", key));
        }

        return new MappedSecret(arn, folder);
    }

    public static void SwapAsKubelet(string folder, params (string Key, byte[] Value)[] keys)
    {
        var data = Path.Combine(folder, $"..{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        foreach (var (key, value) in keys)
        {
            File.WriteAllBytes(Path.Combine(data, key), value);
        }

        var link = Path.Combine(folder, "..data_tmp");
        File.CreateSymbolicLink(link, Path.GetFileName(data));
        // rename(2) replaces the old link atomically, as the kubelet's atomic writer does.
        if (Rename(link, Path.Combine(folder, "..data")) != 0)
        {
            throw new IOException($"rename failed: {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string from, string to);

    public void Dispose() => _directory.Dispose();
}
