namespace Wms.Api.Watch;

/// <summary>Explains nothing: watchers get no <c>explain</c> events until an explainer is registered.</summary>
public sealed class NoWatchExplainer : IWatchExplainer
{
    public static readonly NoWatchExplainer Instance = new();

    private static readonly Task<IReadOnlyList<WatchExplanation>> None = Task.FromResult<IReadOnlyList<WatchExplanation>>([]);

    public Task<IReadOnlyList<WatchExplanation>> ExplainAsync(string workflowId, CancellationToken cancellationToken) => None;
}
