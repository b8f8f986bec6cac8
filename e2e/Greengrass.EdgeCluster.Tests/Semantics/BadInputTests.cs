using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>Bad input is always a 4xx Status with a reason, never a 500.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BadInputTests(ClusterTargets targets)
{
    public static TheoryData<string, string, string, string, string?, int, string> Cases => new()
    {
        // name, method, path (NS = test namespace), body, content type, expected code, expected reason
        { "malformed JSON", "POST", "/api/v1/namespaces/NS/configmaps", "{\"metadata\": {", "application/json", 400, "BadRequest" },
        { "array body", "POST", "/api/v1/namespaces/NS/configmaps", "[1,2]", "application/json", 400, "BadRequest" },
        { "wrong kind", "POST", "/api/v1/namespaces/NS/configmaps", "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}", "application/json", 400, "BadRequest" },
        { "missing name", "POST", "/api/v1/namespaces/NS/configmaps", "{\"metadata\":{}}", "application/json", 422, "Invalid" },
        { "invalid name", "POST", "/api/v1/namespaces/NS/configmaps", "{\"metadata\":{\"name\":\"Not_Valid\"}}", "application/json", 422, "Invalid" },
        { "name mismatch on update", "PUT", "/api/v1/namespaces/NS/configmaps/seed", "{\"metadata\":{\"name\":\"other\"}}", "application/json", 400, "BadRequest" },
        { "bad field selector", "GET", "/api/v1/namespaces/NS/configmaps?fieldSelector=%3D%3Dx", "", null, 400, "BadRequest" },
        { "bad label selector", "GET", "/api/v1/namespaces/NS/configmaps?labelSelector=a%20in%20(b", "", null, 400, "BadRequest" },
        { "bad limit", "GET", "/api/v1/namespaces/NS/configmaps?limit=-3", "", null, 400, "BadRequest" },
        { "bad continue token", "GET", "/api/v1/namespaces/NS/configmaps?limit=1&continue=garbage", "", null, 400, "BadRequest" },
        { "bad fieldValidation", "POST", "/api/v1/namespaces/NS/configmaps?fieldValidation=Maybe", "{\"metadata\":{\"name\":\"x\"}}", "application/json", 400, "BadRequest" },
        { "bad JSON patch", "PATCH", "/api/v1/namespaces/NS/configmaps/seed", "[{\"path\":\"/data\"}]", "application/json-patch+json", 400, "BadRequest" },
        { "JSON patch test fails", "PATCH", "/api/v1/namespaces/NS/configmaps/seed", "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"nope\"}]", "application/json-patch+json", 422, "Invalid" },
        { "unsupported patch type", "PATCH", "/api/v1/namespaces/NS/configmaps/seed", "{}", "text/plain", 415, "UnsupportedMediaType" },
        { "unknown resource", "GET", "/api/v1/namespaces/NS/gizmos", "", null, 404, "NotFound" },
        { "owner references not a list", "POST", "/api/v1/namespaces/NS/configmaps", "{\"metadata\":{\"name\":\"x\",\"ownerReferences\":\"nope\"}}", "application/json", 422, "Invalid" },
        { "owner reference without uid", "POST", "/api/v1/namespaces/NS/configmaps", "{\"metadata\":{\"name\":\"x\",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"o\"}]}}", "application/json", 422, "Invalid" },
        { "label value not a string", "POST", "/api/v1/namespaces/NS/configmaps", "{\"metadata\":{\"name\":\"x\",\"labels\":{\"a\":1}}}", "application/json", 422, "Invalid" },
        { "finalizers not strings", "POST", "/api/v1/namespaces/NS/configmaps", "{\"metadata\":{\"name\":\"x\",\"finalizers\":[{}]}}", "application/json", 422, "Invalid" },
        { "bad propagation policy", "DELETE", "/api/v1/namespaces/NS/configmaps/seed?propagationPolicy=Sideways", "", null, 400, "BadRequest" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_BadInput_ClientErrorStatus(string name, string method, string path, string body, string? contentType, int code, string reason)
    {
        var (response, status) = await SendAsync(method, path, body, contentType);

        Assert.True(code == (int)response.StatusCode, $"{name}: expected {code}, got {(int)response.StatusCode}: {status}");
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal(reason, (string?)status["reason"]);
        Assert.Equal(code, (int)status["code"]!);
        Assert.Empty(targets.Cluster.LoggedErrors);
    }

    [Fact]
    public async Task Create_OversizeBody_RequestEntityTooLarge413()
    {
        var huge = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "huge" }, ["data"] = new JsonObject { ["k"] = new string('x', 4 * 1024 * 1024) } };

        var (response, status) = await SendAsync("POST", "/api/v1/namespaces/NS/configmaps", huge.ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestEntityTooLarge", (string?)status["reason"]);
    }

    [Fact]
    public async Task Create_OversizeObject_RequestEntityTooLarge413()
    {
        var big = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "big" }, ["data"] = new JsonObject { ["k"] = new string('x', 2 * 1024 * 1024) } };

        var (response, status) = await SendAsync("POST", "/api/v1/namespaces/NS/configmaps", big.ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", (string?)status["message"]);
    }

    [Fact]
    public async Task Request_NoToken_Unauthorized401()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });

        var response = await http.GetAsync(new Uri(targets.Cluster.BaseUrl + "/api/v1/namespaces"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<(HttpResponseMessage Response, JsonObject Status)> SendAsync(string method, string path, string body, string? contentType)
    {
        using var k = targets.ClientFor(ClusterTargets.Emulator);
        var ns = await NamespaceAsync(k);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("seed"), ns);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(k.BaseUri, path.Replace("NS", ns, StringComparison.Ordinal)));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", targets.Cluster.Token);
        if (method is not ("GET" or "DELETE"))
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        var response = await k.HttpClient.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonNode.Parse(text)!.AsObject());
    }
}
