using Greengrass.Nucleus.Artifacts;

namespace Greengrass.Nucleus.Tests.Artifacts;

public sealed class ArtifactPermissionTests
{
    [Theory]
    [InlineData("Owner", "None", "r--------")]
    [InlineData("All", "None", "r--r--r--")]
    [InlineData("Owner", "Owner", "r-x------")]
    [InlineData("None", "Owner", "r-x------")]
    [InlineData("Owner", "All", "r-xr-xr-x")]
    [InlineData("All", "Owner", "r-xr--r--")]
    [InlineData("None", "None", "---------")]
    public void FileMode_ReadAndExecuteScopes_MapToReadOnlyPosixMode(string read, string execute, string expected)
    {
        var mode = new ArtifactPermission(Enum.Parse<PermissionScope>(read), Enum.Parse<PermissionScope>(execute)).FileMode();

        Assert.Equal(expected, Render(mode));
    }

    private static string Render(UnixFileMode mode)
    {
        UnixFileMode[] bits =
        [
            UnixFileMode.UserRead, UnixFileMode.UserWrite, UnixFileMode.UserExecute,
            UnixFileMode.GroupRead, UnixFileMode.GroupWrite, UnixFileMode.GroupExecute,
            UnixFileMode.OtherRead, UnixFileMode.OtherWrite, UnixFileMode.OtherExecute,
        ];
        return string.Concat(bits.Select((bit, i) => (mode & bit) != 0 ? "rwx"[i % 3] : '-'));
    }
}
