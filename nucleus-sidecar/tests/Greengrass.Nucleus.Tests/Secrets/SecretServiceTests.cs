using Greengrass.Nucleus.Secrets;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using static Greengrass.Nucleus.Tests.Secrets.SecretFixture;

namespace Greengrass.Nucleus.Tests.Secrets;

/// <summary>Resolution, versions and stages of the secrets served from mounted Kubernetes Secrets.</summary>
public sealed class SecretServiceTests : IDisposable
{
    private const string DbPassword = "s3cr3t-db-value";
    private readonly SecretFixture _mounts = new();
    private readonly ListLogger<SecretService> _log = new();
    private readonly MappedSecret _db;
    private readonly MappedSecret _api;
    private readonly SecretService _service;

    public SecretServiceTests()
    {
        _db = _mounts.Mount(DbArn, "db", Key("secretString", DbPassword));
        _api = _mounts.Mount(ApiArn, "api", ("secretBinary", [0, 1, 2, 255]), Key("versionId", " v-7 \n"), Key("versionStages", "AWSCURRENT, prod\nblue"));
        _service = new SecretService([_db, _api], _log);
    }

    public void Dispose() => _mounts.Dispose();

    private static readonly string[] Both = [DbArn, ApiArn];

    [Theory]
    [InlineData(DbArn, DbArn)]
    [InlineData("db-password", DbArn)]
    [InlineData("prod/api-key", ApiArn)]
    [InlineData(ApiArn, ApiArn)]
    public void Resolve_ArnOrName_IsTheArn(string secretId, string arn) => Assert.Equal(arn, _service.Resolve(secretId, Both));

    [Theory]
    [InlineData("db-password-AbCdEf")] // a name with the suffix is no name: the suffix belongs to the ARN
    [InlineData("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password")] // partial ARNs are not matched
    [InlineData("nope")]
    [InlineData(UnmappedArn)]
    public void Resolve_UnknownSecret_NotFoundNamingIt(string secretId)
    {
        var ex = Assert.Throws<SecretException>(() => _service.Resolve(secretId, [.. Both, UnmappedArn]));

        Assert.Equal(SecretErrorKind.NotFound, ex.Kind);
        Assert.Equal($"Secret not found {secretId}", ex.Message);
    }

    [Fact]
    public void Resolve_MappedButNotInCloudSecrets_NotFound()
    {
        var ex = Assert.Throws<SecretException>(() => _service.Resolve(ApiArn, [DbArn]));

        Assert.Equal(SecretErrorKind.NotFound, ex.Kind);
        Assert.Equal(DbArn, _service.Resolve("db-password", [DbArn]));
    }

    [Fact]
    public void Resolve_ListedButUnmapped_NotFoundAndOneWarningNamingTheArn()
    {
        Assert.Throws<SecretException>(() => _service.Resolve(UnmappedArn, [UnmappedArn]));
        Assert.Throws<SecretException>(() => _service.Resolve(UnmappedArn, [UnmappedArn]));

        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(UnmappedArn, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Resolve_NoSecretId_InvalidRequest(string? secretId) =>
        Assert.Equal(SecretErrorKind.InvalidRequest, Assert.Throws<SecretException>(() => _service.Resolve(secretId, Both)).Kind);

    [Fact]
    public async Task Get_NoSelector_CurrentVersionWithDefaultStage()
    {
        var version = await _service.GetAsync(DbArn, null, null, default);

        Assert.Equal((DbArn, DbPassword), (version.Arn, version.Text));
        Assert.Null(version.Binary);
        Assert.Equal(["AWSCURRENT"], version.Stages);
        Assert.True(Guid.TryParse(version.VersionId, out _), version.VersionId);
    }

    [Fact]
    public async Task Get_MetadataKeys_TrimmedAndSplit_BinaryValueAsStored()
    {
        var version = await _service.GetAsync(ApiArn, null, "blue", default);

        Assert.Equal("v-7", version.VersionId);
        Assert.Equal(["AWSCURRENT", "prod", "blue"], version.Stages);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, version.Binary);
        Assert.Null(version.Text);
    }

    [Fact]
    public async Task Get_VersionIdMatches_ServedElseNotFound()
    {
        Assert.Equal("v-7", (await _service.GetAsync(ApiArn, "v-7", null, default)).VersionId);

        var ex = await Assert.ThrowsAsync<SecretException>(() => _service.GetAsync(ApiArn, "v-8", null, default));
        Assert.Equal((SecretErrorKind.NotFound, $"Version Id v-8 not found for secret {ApiArn}"), (ex.Kind, ex.Message));
    }

    [Fact]
    public async Task Get_UnknownStage_NotFound()
    {
        var ex = await Assert.ThrowsAsync<SecretException>(() => _service.GetAsync(DbArn, null, "AWSPREVIOUS", default));

        Assert.Equal((SecretErrorKind.NotFound, $"Version stage AWSPREVIOUS not found for secret {DbArn}"), (ex.Kind, ex.Message));
    }

    [Fact]
    public async Task Get_NoCurrentStage_DefaultRequestNotFound()
    {
        Write(_api.Directory, Key("versionStages", "prod"));

        var ex = await Assert.ThrowsAsync<SecretException>(() => _service.GetAsync(ApiArn, null, null, default));

        Assert.Equal(SecretErrorKind.NotFound, ex.Kind);
        Assert.Equal(["prod"], (await _service.GetAsync(ApiArn, null, "prod", default)).Stages);
    }

    [Fact]
    public async Task Get_BothVersionIdAndStage_InvalidRequest()
    {
        var ex = await Assert.ThrowsAsync<SecretException>(() => _service.GetAsync(ApiArn, "v-7", "prod", default));

        Assert.Equal(SecretErrorKind.InvalidRequest, ex.Kind);
        Assert.Contains("versionId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_MountedFilesChange_NextRequestSeesNewValueAndNewDerivedVersion()
    {
        var before = await _service.GetAsync(DbArn, null, null, default);
        Assert.Equal(before.VersionId, (await _service.GetAsync(DbArn, null, null, default)).VersionId);

        Write(_db.Directory, Key("secretString", "rotated"));
        var after = await _service.GetAsync(DbArn, null, null, default);

        Assert.Equal("rotated", after.Text);
        Assert.NotEqual(before.VersionId, after.VersionId);
        var stale = await Assert.ThrowsAsync<SecretException>(() => _service.GetAsync(DbArn, before.VersionId, null, default));
        Assert.Equal(SecretErrorKind.NotFound, stale.Kind);
    }

    [Fact]
    public async Task Get_KubeletSwapsTheDataLink_NextRequestSeesTheNewVersion()
    {
        var mounted = _mounts.MountAsKubelet(UnmappedArn, "kubelet", Key("secretString", "one"), Key("versionId", "v1"));
        var service = new SecretService([mounted], _log);
        Assert.Equal(("one", "v1"), ((await service.GetAsync(UnmappedArn, null, null, default)).Text, (await service.GetAsync(UnmappedArn, null, null, default)).VersionId));

        SwapAsKubelet(mounted.Directory, Key("secretString", "two"), Key("versionId", "v2"));
        var after = await service.GetAsync(UnmappedArn, null, null, default);

        Assert.Equal(("two", "v2"), (after.Text, after.VersionId));
    }

    [Fact]
    public async Task Get_BinaryAndString_BinaryWins()
    {
        Write(_db.Directory, ("secretBinary", [42]));

        var version = await _service.GetAsync(DbArn, null, null, default);

        Assert.Equal(new byte[] { 42 }, version.Binary);
        Assert.Null(version.Text);
    }

    [Fact]
    public async Task Get_NoValueKey_UnavailableNamingTheKeys()
    {
        var empty = _mounts.Mount(UnmappedArn, "empty", Key("versionId", "v1"));
        var service = new SecretService([empty], _log);

        var ex = await Assert.ThrowsAsync<SecretException>(() => service.GetAsync(UnmappedArn, null, null, default));

        Assert.Equal(SecretErrorKind.Unavailable, ex.Kind);
        Assert.Contains("'secretString'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(UnmappedArn, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SecretNotMounted_UnavailableAndWarning()
    {
        var service = new SecretService([new MappedSecret(UnmappedArn, _db.Directory + "-gone")], _log);

        var ex = await Assert.ThrowsAsync<SecretException>(() => service.GetAsync(UnmappedArn, null, null, default));

        Assert.Equal(SecretErrorKind.Unavailable, ex.Kind);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not mounted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Errors_NeverCarryTheValue()
    {
        var messages = new List<string>();
        foreach (var call in new Func<Task>[]
        {
            () => _service.GetAsync(DbArn, "x", null, default),
            () => _service.GetAsync(DbArn, null, "x", default),
            () => _service.GetAsync(DbArn, "x", "y", default),
        })
        {
            messages.Add((await Assert.ThrowsAsync<SecretException>(call)).Message);
        }

        Assert.All(messages.Concat(_log.Entries.Select(e => e.Message)), m => Assert.DoesNotContain(DbPassword, m, StringComparison.Ordinal));
    }
}
