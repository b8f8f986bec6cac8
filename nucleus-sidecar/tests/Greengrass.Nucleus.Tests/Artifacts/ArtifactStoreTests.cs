using System.IO.Compression;
using System.Security.Cryptography;
using System.Runtime.Versioning;
using System.Text;
using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Artifacts;

[SupportedOSPlatform("linux")]
public sealed class ArtifactStoreTests : IAsyncLifetime
{
    private const string Component = "com.example.Hello";
    private const string Version = "1.0.0";
    private readonly TempDirectory _root = new();
    private readonly HttpClient _http = new();
    private ArtifactServer _server = null!;
    private ArtifactStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await ArtifactServer.StartAsync();
        _store = new ArtifactStore(new NucleusPaths(_root.Path), _http, TimeProvider.System, new ListLogger<ArtifactStore>());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _root.Dispose();
    }

    internal static string Sha256Base64(byte[] content) => Convert.ToBase64String(SHA256.HashData(content));

    private string ArtifactDir => _root.Combine("packages", "artifacts", Component, Version);

    private Task<IReadOnlyList<PreparedArtifact>> PrepareAsync(params ArtifactSpec[] specs) =>
        _store.PrepareAsync(Component, Version, specs, CancellationToken.None);

    [Fact]
    public async Task PrepareAsync_HttpArtifactWithMatchingDigest_StoredUnderArtifactPathReadOnly()
    {
        var content = Encoding.UTF8.GetBytes("#!/bin/sh\necho hello\n");
        var uri = _server.Serve("files/hello.sh", content);

        var prepared = await PrepareAsync(new ArtifactSpec(uri.ToString(), Sha256Base64(content), "SHA-256"));

        var file = Path.Combine(ArtifactDir, "hello.sh");
        Assert.Equal(file, prepared.Single().FilePath);
        Assert.Equal(content, await File.ReadAllBytesAsync(file));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(file));
        Assert.Equal(ArtifactStore.ReadOnlyFolderMode, File.GetUnixFileMode(ArtifactDir));
        Assert.Equal(["hello.sh"], Directory.GetFiles(ArtifactDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task PrepareAsync_DigestMismatch_RefusedNamingArtifactExpectedAndActualDigest()
    {
        var content = Encoding.UTF8.GetBytes("tampered");
        var uri = _server.Serve("files/app.bin", content);
        var expected = Sha256Base64(Encoding.UTF8.GetBytes("original"));

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec(uri.ToString(), expected, "SHA-256")));

        Assert.Equal(ArtifactErrorCodes.ChecksumMismatch, ex.Code);
        Assert.Contains(uri.ToString(), ex.Message);
        Assert.Contains($"{Component}@{Version}", ex.Message);
        Assert.Contains($"expected {expected}", ex.Message);
        Assert.Contains($"actual {Sha256Base64(content)}", ex.Message);
        Assert.Empty(Directory.GetFiles(ArtifactDir));
    }

    [Fact]
    public async Task PrepareAsync_ZipArtifact_UnarchivedIntoDecompressedPathWithModes()
    {
        var zip = ZipOf(("run.sh", "echo run"), ("conf/settings.json", "{}"));
        var uri = _server.Serve("files/app.zip", zip);
        var permission = new ArtifactPermission(PermissionScope.All, PermissionScope.All);

        var prepared = await PrepareAsync(new ArtifactSpec(uri.ToString(), Sha256Base64(zip), "SHA-256", UnarchiveMode.Zip, permission));

        var folder = _root.Combine("packages", "artifacts-unarchived", Component, Version, "app");
        Assert.Equal(folder, prepared.Single().UnarchivedPath);
        Assert.Equal("echo run", await File.ReadAllTextAsync(Path.Combine(folder, "run.sh")));
        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(folder, "conf", "settings.json")));
        Assert.Equal(permission.FileMode(), File.GetUnixFileMode(Path.Combine(folder, "run.sh")));
        Assert.Equal(ArtifactStore.ReadOnlyFolderMode, File.GetUnixFileMode(folder));
        Assert.Equal(ArtifactStore.ReadOnlyFolderMode, File.GetUnixFileMode(Path.Combine(folder, "conf")));
    }

    [Fact]
    public async Task PrepareAsync_ZipWithEntryEscapingFolder_RefusedAndNothingWrittenOutside()
    {
        var zip = ZipOf(("ok.txt", "fine"), ("../../escaped.txt", "evil"));
        var uri = _server.Serve("files/slip.zip", zip);

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec(uri.ToString(), Unarchive: UnarchiveMode.Zip)));

        Assert.Equal(ArtifactErrorCodes.UnarchiveError, ex.Code);
        Assert.Contains("'../../escaped.txt'", ex.Message);
        Assert.Empty(Directory.EnumerateFiles(_root.Path, "escaped.txt", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(_root.Combine("packages", "artifacts-unarchived", Component, Version, "slip")));
    }

    [Fact]
    public async Task PrepareAsync_SameArtifactTwice_SecondComesFromCacheWithoutRequest()
    {
        var content = Encoding.UTF8.GetBytes("cached content");
        var uri = _server.Serve("files/cached.txt", content);
        var spec = new ArtifactSpec(uri.ToString(), Sha256Base64(content), "SHA-256");

        var first = await PrepareAsync(spec);
        var second = await PrepareAsync(spec);

        Assert.False(first.Single().FromCache);
        Assert.True(second.Single().FromCache);
        Assert.Equal(1, _server.RequestsFor("files/cached.txt"));
    }

    [Fact]
    public async Task PrepareAsync_CachedFileCorruptedOnDisk_FetchedAgain()
    {
        var content = Encoding.UTF8.GetBytes("0123456789");
        var uri = _server.Serve("files/data.bin", content);
        var spec = new ArtifactSpec(uri.ToString(), Sha256Base64(content), "SHA-256");
        await PrepareAsync(spec);
        var file = Path.Combine(ArtifactDir, "data.bin");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(file, "9876543210");

        var again = await PrepareAsync(spec);

        Assert.False(again.Single().FromCache);
        Assert.Equal(2, _server.RequestsFor("files/data.bin"));
        Assert.Equal(content, await File.ReadAllBytesAsync(file));
    }

    [Theory]
    [InlineData("docker:registry.hub.docker.com/library/alpine:3.20", "docker", "pulls no images")]
    [InlineData("greengrass:abc123/app.zip", "greengrass", "Greengrass cloud service")]
    public async Task PrepareAsync_CloudOnlyScheme_RefusedSayingWhy(string uri, string scheme, string reason)
    {
        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec(uri)));

        Assert.Equal(ArtifactErrorCodes.UnsupportedScheme, ex.Code);
        Assert.Contains($"'{scheme}:' artifacts", ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.Contains(uri, ex.Message);
    }

    [Fact]
    public async Task PrepareAsync_S3ArtifactWithoutAwsCredentials_RefusedNamingTheMissingSetting()
    {
        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec("s3://my-bucket/artifacts/app.zip")));

        Assert.Equal(ArtifactErrorCodes.DeviceConfigNotValid, ex.Code);
        Assert.Contains("spec.aws.credentials.secretRef", ex.Message);
        Assert.Contains("s3://my-bucket/artifacts/app.zip", ex.Message);
    }

    [Theory]
    [InlineData("s3://bucket-only")]
    [InlineData("s3://bucket-only/")]
    [InlineData("s3:///key")]
    public async Task PrepareAsync_S3UriWithoutBucketOrKey_RefusedAsNotValid(string uri)
    {
        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec(uri)));

        Assert.Equal(ArtifactErrorCodes.S3UriNotValid, ex.Code);
        Assert.Contains("s3://<bucket>/<key>", ex.Message);
    }

    [Fact]
    public async Task PrepareAsync_FileUri_CopiedAndVerifiedWithSha512()
    {
        var source = _root.Combine("source", "tool.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        var content = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(source, content);

        var prepared = await PrepareAsync(new ArtifactSpec(new Uri(source).ToString(), Convert.ToBase64String(SHA512.HashData(content)), "SHA-512"));

        Assert.Equal(content, await File.ReadAllBytesAsync(prepared.Single().FilePath));
    }

    [Fact]
    public async Task PrepareAsync_MissingArtifact_NotFoundNamingTheUri()
    {
        var missingFile = new Uri(_root.Combine("nowhere", "gone.bin")).ToString();
        var missingHttp = new Uri(_server.BaseAddress, "files/absent.zip").ToString();

        var fileError = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec(missingFile)));
        var httpError = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec(missingHttp)));

        Assert.Equal(ArtifactErrorCodes.NotFound, fileError.Code);
        Assert.Contains("gone.bin does not exist", fileError.Message);
        Assert.Equal(ArtifactErrorCodes.NotFound, httpError.Code);
        Assert.Contains("404", httpError.Message);
        Assert.Contains(missingHttp, httpError.Message);
    }

    [Fact]
    public async Task PrepareAsync_ServerFailsTwiceThenServes_RetriedAndStored()
    {
        var content = Encoding.UTF8.GetBytes("eventually");
        var uri = _server.Serve("files/flaky.txt", content);
        _server.FailNext("files/flaky.txt", 2);

        var prepared = await PrepareAsync(new ArtifactSpec(uri.ToString(), Sha256Base64(content), "SHA-256"));

        Assert.Equal(3, _server.RequestsFor("files/flaky.txt"));
        Assert.Equal(content, await File.ReadAllBytesAsync(prepared.Single().FilePath));
    }

    [Fact]
    public async Task PrepareAsync_UnknownAlgorithm_InvalidNamingTheAlgorithm()
    {
        var uri = _server.Serve("files/x.txt", [1, 2, 3]);

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(new ArtifactSpec(uri.ToString(), "AAAA", "WHIRLPOOL")));

        Assert.Equal(ArtifactErrorCodes.InvalidArtifact, ex.Code);
        Assert.Contains("Algorithm 'WHIRLPOOL'", ex.Message);
        Assert.Equal(0, _server.RequestsFor("files/x.txt"));
    }

    [Fact]
    public async Task PrepareAsync_TwoArtifactsWithSameFileName_Invalid()
    {
        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(
            new ArtifactSpec(new Uri(_server.BaseAddress, "a/run.sh").ToString()),
            new ArtifactSpec(new Uri(_server.BaseAddress, "b/run.sh").ToString())));

        Assert.Contains("'run.sh'", ex.Message);
    }

    private static byte[] ZipOf(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
