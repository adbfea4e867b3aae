using Wms.Domain.Model;

namespace Wms.Domain.Explain;

/// <summary>
/// Why a taskforce is where it is: a pure function of what the service knows about it (<see cref="TaskforceFacts"/>),
/// the settings it judges by and the time now. The phase decides which question is asked; the facts answer it.
/// </summary>
public static class TaskforceExplainer
{
    public static Explanation Explain(TaskforceFacts facts, ExplainSettings settings, double now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var tf = facts.Taskforce;
        // A deactivation reaches the workflow's taskforces one by one; one it has not reached yet is explained as
        // it is about to be.
        if (facts.Workflow.Deactivated is not null && tf.ClusterId is null && !Phase.IsEndingOrFinished(tf.Phase))
        {
            return EndedExplanations.StoppedBeforeSubmit(facts);
        }
        return tf.Phase switch
        {
            Phase.PreMqActivation => QueueExplanations.MqActivation(facts),
            Phase.PreLaunch => QueueExplanations.LaunchQueue(facts, settings, now),
            Phase.PendingStarter => TmsExplanations.Starter(facts, settings, now),
            Phase.CondorSubmit => ClusterExplanations.Submitted(facts),
            Phase.PendingStopper when tf.ClusterId is null => EndedExplanations.StoppedBeforeSubmit(facts),
            Phase.PendingStopper => TmsExplanations.Stopper(facts, settings, now),
            Phase.CondorRm => EndedExplanations.Removed(facts),
            Phase.CondorComplete => EndedExplanations.Finished(facts),
            _ => throw new ArgumentException($"taskforce {tf.TaskforceUuid} is in no known phase: '{tf.Phase}'", nameof(facts)),
        };
    }
}
