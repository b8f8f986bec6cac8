using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Controllers;
using Greengrass.EdgeCluster.Diagnostics;
using Greengrass.EdgeCluster.Http;
using Greengrass.EdgeCluster.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Schema;
using Greengrass.EdgeCluster.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Greengrass.EdgeCluster.Hosting;

/// <summary>Starts an embedded edge cluster: the API server emulator, its controllers, scheduler and node agents.</summary>
public static class EdgeCluster
{
    private static readonly string[] DefaultNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Starts the cluster and returns once it serves requests and the kubeconfig is written.</summary>
    public static async Task<EdgeClusterHandle> StartAsync(EdgeClusterOptions options, CancellationToken cancellationToken = default)
    {
        var time = TimeProvider.System;
        var token = options.AdminToken ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var scratch = Directory.CreateTempSubdirectory("edgecluster-").FullName;
        var kubeconfig = options.KubeconfigPath ?? Path.Combine(scratch, "kubeconfig");
        var certificates = options.Http ? null : Certificates.Create(time);
        var errors = new ErrorCapture();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddProvider(errors);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // the handler enforces its own limit with a Status answer
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificates is not null)
                {
                    listen.UseHttps(certificates.Server);
                }
            });
        });
        Register(builder.Services, options, time, token, options.WorkDir ?? Path.Combine(scratch, "nodes"));
        var app = builder.Build();
        var store = app.Services.GetRequiredService<ResourceStore>();
        app.Services.GetRequiredService<GcPauses>(); // listens from the start, not from the first scrape
        var persistence = options.StateDir is null ? null : StatePersistence.Open(options.StateDir, store);
        store.StateLog = persistence;
        Bootstrap(store);
        var handler = app.Services.GetRequiredService<ApiHandler>();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var baseUrl = $"{(certificates is null ? "http" : "https")}://127.0.0.1:{port}";
        Kubeconfig.Write(kubeconfig, baseUrl, token, certificates?.CaPem);
        app.Services.GetRequiredService<ClusterEndpoint>().Set(baseUrl, certificates?.CaPem);
        return new EdgeClusterHandle(app, store, baseUrl, token, kubeconfig, certificates, persistence, scratch, errors);
    }

    private static void Register(IServiceCollection services, EdgeClusterOptions options, TimeProvider time, string token, string workDir)
    {
        services.AddSingleton(time);
        services.AddSingleton(options);
        services.AddSingleton<ResourceRegistry>();
        services.AddSingleton(new StoreOptions { WatchWindow = options.WatchWindow });
        services.AddSingleton(sp =>
            new ResourceStore(sp.GetRequiredService<ResourceRegistry>(), time, sp.GetRequiredService<StoreOptions>()) { Admission = new Admission(time) });
        services.AddSingleton<TokenAuthority>();
        services.AddSingleton(sp => new Authenticator(token, options.Rbac, sp.GetRequiredService<TokenAuthority>(), sp.GetRequiredService<ResourceStore>()));
        services.AddSingleton<Discovery>();
        services.AddSingleton(GcPauses.Shared); // an instance the container does not own, so never disposes
        services.AddSingleton<MetricsText>();
        services.AddSingleton(new WatchOptions { BookmarkInterval = options.BookmarkInterval });
        services.AddSingleton<Watching>();
        services.AddSingleton<ApiHandler>();
        services.AddSingleton(new NodeLogs(workDir));
        services.AddSingleton<IPodLogSource>(sp => sp.GetRequiredService<NodeLogs>());
        services.AddHostedService<GarbageCollector>();
        services.AddSingleton<ClusterEndpoint>();
        if (options.Nodes.Count > 0)
        {
            services.AddHostedService<Scheduler>();
            if (options.Kubelet != KubeletMode.None)
            {
                services.AddHostedService(sp => new NodeAgents(sp.GetRequiredService<ResourceStore>(), options, time, workDir,
                    sp.GetRequiredService<TokenAuthority>(), sp.GetRequiredService<NodeLogs>(), sp.GetRequiredService<ClusterEndpoint>(),
                    sp.GetRequiredService<ILoggerFactory>()));
            }
        }
    }

    private static void Bootstrap(ResourceStore store)
    {
        var namespaces = store.Registry.Find("", "v1", "namespaces")!;
        foreach (var ns in DefaultNamespaces.Where(ns => store.Get(namespaces, null, ns) is null))
        {
            store.Create(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, new WriteContext());
        }
    }
}
