using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Schema;
using Greengrass.EdgeCluster.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Greengrass.EdgeCluster.Controllers;

/// <summary>
/// The cluster's housekeeping: owner-reference garbage collection (Background, Foreground, Orphan),
/// namespace termination, CRD instance cleanup, and a default ServiceAccount per namespace.
/// Level-triggered: every pass looks at the whole store, woken by commits and a timer.
/// </summary>
internal sealed partial class GarbageCollector(ResourceStore store, TimeProvider time, ILogger<GarbageCollector> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _passedAt = -1;
    private bool _retryPending;

    /// <summary>One object of a pass, read from the stored summary: a pass parses only the CRDs it cleans up after.</summary>
    private sealed record Item(ResourceType Type, StoredObject Stored)
    {
        public string? Ns => Stored.Namespace;
        public string Name => Stored.Name;
        public string? Uid => Stored.Uid;
        public bool IsDeleting => Stored.IsDeleting;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Committed += OnCommitted;
        store.Deleting += Signal;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                try
                {
                    RunPass();
                }
                catch (ApiException e)
                {
                    LogRetry(logger, e.Message); // a concurrent write won: the next pass sees the new state
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(logger, e); // keep the cluster up; the next pass tries again
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            store.Committed -= OnCommitted;
            store.Deleting -= Signal;
        }
    }

    /// <summary>Namespace and CRD changes need a pass soon; other writes wait for the periodic pass.</summary>
    private void OnCommitted(string storageKey)
    {
        if (storageKey is "/namespaces" or "apiextensions.k8s.io/customresourcedefinitions")
        {
            Signal(storageKey);
        }
    }

    private void Signal(string storageKey)
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // already signalled
            }
        }
    }

    /// <summary>
    /// One level-triggered pass over the whole store, skipped when no commit since the last complete pass
    /// could change its outcome (<see cref="ResourceStore.OwnershipVersion"/>): at 20,000 pods a pass copies
    /// every bucket, and pod status writes and Lease renewals never need one. A pass that had to leave
    /// something for later does not count as complete.
    /// </summary>
    internal void RunPass()
    {
        var version = store.OwnershipVersion;
        if (version == _passedAt && !_retryPending)
        {
            return;
        }
        _retryPending = false;
        _passedAt = -1; // an exception below leaves the next pass due
        var items = AllItems();
        var uids = items.Select(i => i.Uid).ToHashSet();
        var dependents = items.SelectMany(i => i.Stored.OwnerReferences.Select(o => (o.Uid, Item: i)))
            .ToLookup(p => p.Uid, p => p.Item);
        foreach (var item in items)
        {
            var uid = item.Uid!;
            if (item.IsDeleting)
            {
                HandleDeleting(item, dependents[uid].ToList(), items);
            }
            var owners = item.Stored.OwnerReferences;
            if (owners.Count > 0 && owners.All(o => !uids.Contains(o.Uid)) && !item.IsDeleting)
            {
                Try(() => store.Delete(item.Type, item.Ns, item.Name, new DeleteOptions()));
            }
        }
        EnsureDefaultServiceAccounts(items);
        _passedAt = version;
    }

    private List<Item> AllItems()
    {
        var items = new List<Item>();
        foreach (var key in store.StorageKeys())
        {
            var type = store.Registry.ByStorageKey(key).FirstOrDefault();
            if (type is not null)
            {
                items.AddRange(store.Snapshot(key).Select(s => new Item(type, s)));
            }
        }
        return items;
    }

    private void HandleDeleting(Item item, List<Item> dependents, List<Item> all)
    {
        var finalizers = item.Stored.Finalizers;
        if (finalizers.Contains(ResourceStore.OrphanFinalizer))
        {
            foreach (var d in dependents)
            {
                Try(() => store.Mutate(d.Type, d.Ns, d.Name, o => WithoutOwner(o, item.Uid!), false, new WriteContext()));
            }
            RemoveFinalizer(item, ResourceStore.OrphanFinalizer);
        }
        else if (finalizers.Contains(ResourceStore.ForegroundFinalizer))
        {
            DeleteAllThenRelease(item, dependents, ResourceStore.ForegroundFinalizer);
        }
        else if (finalizers.Contains(CrdAdmission.CleanupFinalizer))
        {
            var crd = item.Stored.Parse();
            var group = (string?)crd["spec"]?["group"];
            var plural = (string?)crd["spec"]?["names"]?["plural"];
            DeleteAllThenRelease(item, [.. all.Where(i => i.Type.Group == group && i.Type.Resource == plural)], CrdAdmission.CleanupFinalizer);
        }
        else if (item.Type.StorageKey == "/namespaces")
        {
            var contents = all.Where(i => i.Type.Namespaced && i.Ns == item.Name).ToList();
            foreach (var c in contents.Where(c => !c.IsDeleting))
            {
                Try(() => store.Delete(c.Type, c.Ns, c.Name, new DeleteOptions(GracePeriodSeconds: 0)));
            }
            if (contents.Count == 0)
            {
                store.Remove(item.Type, null, item.Name);
                LogNamespaceGone(logger, item.Name);
            }
        }
    }

    private void DeleteAllThenRelease(Item item, List<Item> dependents, string finalizer)
    {
        foreach (var d in dependents.Where(d => !d.IsDeleting))
        {
            Try(() => store.Delete(d.Type, d.Ns, d.Name, new DeleteOptions(PropagationPolicy: "Foreground")));
        }
        if (dependents.Count == 0)
        {
            RemoveFinalizer(item, finalizer);
        }
    }

    private void RemoveFinalizer(Item item, string finalizer) =>
        Try(() => store.Mutate(item.Type, item.Ns, item.Name, o =>
        {
            Meta.SetFinalizers(o, [.. Meta.Finalizers(o).Where(f => f != finalizer)]);
            return o;
        }, false, new WriteContext { FieldValidation = FieldValidation.Ignore }));

    private static JsonObject WithoutOwner(JsonObject obj, string uid)
    {
        if (obj["metadata"]?["ownerReferences"] is JsonArray refs)
        {
            var kept = refs.Where(r => (string?)r?["uid"] != uid).Select(r => r?.DeepClone()).ToArray();
            if (kept.Length == 0)
            {
                Meta.Of(obj).Remove("ownerReferences");
            }
            else
            {
                Meta.Of(obj)["ownerReferences"] = new JsonArray(kept);
            }
        }
        return obj;
    }

    private void EnsureDefaultServiceAccounts(List<Item> items)
    {
        var serviceAccounts = store.Registry.Find("", "v1", "serviceaccounts")!;
        var existing = items.Where(i => i.Type.StorageKey == "/serviceaccounts" && i.Name == "default").Select(i => i.Ns).ToHashSet();
        foreach (var ns in items.Where(i => i.Type.StorageKey == "/namespaces" && !i.IsDeleting && !existing.Contains(i.Name)))
        {
            Try(() => store.Create(serviceAccounts, ns.Name, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, new WriteContext()));
        }
    }

    private void Try(Action action)
    {
        try
        {
            action();
        }
        catch (ApiException e) when (e.Code is 404 or 409 or 403)
        {
            _retryPending = true;
            LogRetry(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Garbage collection step will be retried: {Reason}")]
    private static partial void LogRetry(ILogger logger, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Garbage collection pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Namespace {Namespace} terminated")]
    private static partial void LogNamespaceGone(ILogger logger, string @namespace);
}
