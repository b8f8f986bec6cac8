using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Runtime;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>The pure rules of CancelLocalDeployment: which deployment is cancelled, and how.</summary>
public sealed class LocalDeploymentCancellationTests
{
    [Fact]
    public void Decide_UnknownId_IsNotFound() => Assert.Equal(CancelVerdict.NotFound, LocalDeploymentCancellation.Decide(null));

    [Fact]
    public void Decide_DeploymentNotCreatedLocally_IsNotFound() =>
        Assert.Equal(CancelVerdict.NotFound, LocalDeploymentCancellation.Decide(new CancelTarget(false, DeploymentStatus.InProgress, false, false)));

    [Theory]
    [InlineData(DeploymentStatus.Succeeded)]
    [InlineData(DeploymentStatus.FailedNoStateChange)]
    [InlineData(DeploymentStatus.FailedRollbackComplete)]
    [InlineData(DeploymentStatus.FailedRollbackNotRequested)]
    [InlineData(DeploymentStatus.FailedUnableToRollback)]
    [InlineData(DeploymentStatus.Rejected)]
    public void Decide_Finished_IsAlreadyFinished(DeploymentStatus status) =>
        Assert.Equal(CancelVerdict.AlreadyFinished, LocalDeploymentCancellation.Decide(new CancelTarget(true, status, false, false)));

    [Fact]
    public void Decide_InProgressButNotActive_DropsTheQueuedDeployment() =>
        Assert.Equal(CancelVerdict.DropQueued, LocalDeploymentCancellation.Decide(new CancelTarget(true, DeploymentStatus.InProgress, false, false)));

    [Fact]
    public void Decide_ActiveBeforeAnyChange_StopsIt() =>
        Assert.Equal(CancelVerdict.StopInProgress, LocalDeploymentCancellation.Decide(new CancelTarget(true, DeploymentStatus.InProgress, true, true)));

    [Fact]
    public void Decide_ActiveAndChangingTheDevice_IsTooLate() =>
        Assert.Equal(CancelVerdict.TooLate, LocalDeploymentCancellation.Decide(new CancelTarget(true, DeploymentStatus.InProgress, true, false)));

    [Theory]
    [InlineData(nameof(CancelVerdict.AlreadyFinished), "already finished")]
    [InlineData(nameof(CancelVerdict.DropQueued), "will not run")]
    [InlineData(nameof(CancelVerdict.StopInProgress), "Cancel request submitted")]
    [InlineData(nameof(CancelVerdict.TooLate), "can no longer be cancelled")]
    public void Message_EachVerdict_NamesTheDeploymentAndWhatHappens(string verdict, string says)
    {
        var message = LocalDeploymentCancellation.Message(Enum.Parse<CancelVerdict>(verdict), "d-1");

        Assert.Contains("d-1", message, StringComparison.Ordinal);
        Assert.Contains(says, message, StringComparison.Ordinal);
    }
}
