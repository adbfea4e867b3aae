namespace Wms.GrainInterfaces.Watch;

/// <summary>The <c>change</c> names of a <c>workflow</c> event: what happened to the workflow itself.</summary>
public static class WorkflowChange
{
    /// <summary>Its queues were activated; its taskforces go on to launch.</summary>
    public const string Activated = "activated";

    /// <summary>The MQS said to try again later, or failed: the next attempt is due at <c>_mq_activation_retry_at_ts</c>.</summary>
    public const string ActivationRetry = "activation-retry";

    /// <summary>Aborted or finished.</summary>
    public const string Deactivated = "deactivated";

    /// <summary>A taskforce was added to one of its tasks.</summary>
    public const string WorkersAdded = "workers-added";
}
