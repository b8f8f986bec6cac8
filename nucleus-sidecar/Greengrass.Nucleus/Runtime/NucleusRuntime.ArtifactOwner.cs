using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>Who owns a component version's artifacts once they are prepared.</summary>
internal sealed partial class NucleusRuntime
{
    private static readonly bool NucleusIsRoot = PosixIdentity.Current().IsRoot;

    /// <summary>
    /// A root nucleus runs a component as its runWith user (else the default user), so it hands the prepared artifacts to
    /// that user, as the Greengrass nucleus does: an artifact's OWNER permissions then mean the component's user, not root.
    /// A non-root nucleus runs every component as itself and already owns what it downloaded.
    /// </summary>
    /// <exception cref="ArtifactException">The user does not exist, or a file cannot be given to it.</exception>
    private void GiveArtifactsToRunWithUser(PlannedComponent component)
    {
        if (!NucleusIsRoot || (component.RunWith?.PosixUser ?? _options.DefaultPosixUser) is not { } user)
        {
            return;
        }

        PosixIdentity owner;
        try
        {
            owner = PosixIdentity.Resolve(user);
        }
        catch (FormatException ex)
        {
            throw new ArtifactException(ArtifactErrorCodes.IoError, $"artifacts of {component.Name}@{component.Version}: {ex.Message}");
        }

        if (!owner.IsRoot)
        {
            _artifacts.GiveTo(component.Name, component.Version, owner);
        }
    }
}
