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

    public void Dispose() => _directory.Dispose();
}
