using Microsoft.Extensions.Caching.Memory;
using Wms.Api.Rendering;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Responses;

/// <summary>
/// Keeps, per task, what the <c>/v1</c> pending-starter answer adds to the taskforce. A task directive never changes
/// once made, nor does its workflow's priority, so what is kept is never stale; the cache only bounds memory.
/// </summary>
public sealed class StarterTasks : IDisposable
{
    private const int Capacity = 20_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly MemoryCacheEntryOptions _entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromHours(6) };

    /// <summary>The task's part of the answer; null when the index holds no such task or workflow.</summary>
    public async Task<StarterTask?> GetAsync(
        IObjectIndex index, string taskId, string workflowId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(taskId, out StarterTask? kept))
        {
            return kept;
        }
        // Both reads at once: a miss is the first poll that offers one of a new task's taskforces, and it waits on
        // the longer of the two rather than on their sum.
        var directiveRead = index.GetJsonAsync(ObjectKind.TaskDirective, taskId, cancellationToken);
        var workflowRead = index.GetJsonAsync(ObjectKind.Workflow, workflowId, cancellationToken);
        await Task.WhenAll(directiveRead, workflowRead);
        var directive = await directiveRead;
        var workflow = await workflowRead;
        if (directive is null || workflow is null)
        {
            return null;
        }
        var task = WireJson.ReadTaskDirective(directive);
        int priority;
        using (var parsed = System.Text.Json.JsonDocument.Parse(workflow))
        {
            priority = parsed.RootElement.GetProperty("priority").GetInt32();
        }
        var made = new StarterTask(
            GenerationView.Render(ApiGeneration.V1, ObjectKind.TaskDirective, directive),
            [.. task.InputQueues.Concat(task.OutputQueues).Distinct(StringComparer.Ordinal)],
            priority);
        _cache.Set(taskId, made, _entry);
        return made;
    }

    public void Dispose() => _cache.Dispose();
}
