namespace Wms.GrainInterfaces.Watch;

/// <summary>A silo's directory of watched workflows, as the registry reaches it.</summary>
public interface IWatchDirectoryObserver : IGrainObserver
{
    /// <summary>The workflow is watched for <paramref name="lease"/> from now.</summary>
    Task WatchedAsync(string workflowId, TimeSpan lease);
}
