using System.Runtime.InteropServices;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Artifacts;

internal sealed partial class ArtifactStore
{
    /// <summary>
    /// Hands a component version's artifacts (downloaded and unpacked) to the user its lifecycle runs as, as the
    /// Greengrass nucleus does before the component first runs: OWNER permissions then mean that user.
    /// </summary>
    /// <exception cref="ArtifactException">A file cannot be given to that user.</exception>
    public void GiveTo(string componentName, string version, PosixIdentity owner)
    {
        foreach (var root in new[] { paths.ArtifactPath(componentName, version), paths.UnarchivedArtifactPath(componentName, version) })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Prepend(root))
            {
                if (PosixNative.Chown(entry, owner.Uid, owner.Gid) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new ArtifactException(ArtifactErrorCodes.IoError,
                        $"artifacts of {componentName}@{version}: cannot give {entry} to {owner.UserName}: {Marshal.GetPInvokeErrorMessage(errno)}");
                }
            }
        }
    }
}
