using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.GrainInterfaces.Storage;
using Wms.Grains.Rules;

namespace Wms.Grains.Loops;

/// <summary>
/// Walks the workflows awaiting MQ activation in the contract's order. A try-again-later moves on to the next
/// workflow; an MQS failure ends the round, so a sick MQS is not hammered.
/// </summary>
public sealed class MqActivatorGrain(
    IObjectIndex index, IOptions<WmsOptions> options, TimeProvider time, ILogger<MqActivatorGrain> logger)
    : BackgroundLoopGrain(logger, options.Value.LoopReminderPeriod), IMqActivatorGrain
{
    protected override string LoopName => "mq-activator";

    protected override async Task<TimeSpan?> RunRoundAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.MqActivatorDelay;
        var tried = new HashSet<string>();
        while (true)
        {
            // The next workflow is chosen afresh before every call: an MQS call may take long, and meanwhile retries
            // come due and new workflows arrive, so a list read before it would no longer be in the contract's order.
            // Asking for one more than already tried is enough to find the first untried one.
            var workflowId = (await index.ActivationCandidatesAsync(time.EpochSeconds(), tried.Count + 1, cancellationToken))
                .FirstOrDefault(id => !tried.Contains(id));
            if (workflowId is null)
            {
                // Nothing new is due; anything still listed was just tried and waits for the next round.
                break;
            }
            tried.Add(workflowId);
            var outcome = await GrainFactory.GetGrain<IWorkflowGrain>(workflowId).ActivateMqAsync();
            if (outcome.Kind == ActivationKind.MqsFailed)
            {
                logger.LogWarning("MQ activation of {WorkflowId} failed: {Error}", workflowId, outcome.Error);
                return delay > TimeSpan.Zero ? delay : TimeSpan.FromSeconds(1);
            }
        }
        var nextDue = await index.NextActivationDueAsync(cancellationToken);
        if (nextDue is null)
        {
            return null;
        }
        var untilDue = TimeSpan.FromSeconds(Math.Max(0, nextDue.Value - time.EpochSeconds()));
        return untilDue > delay ? untilDue : delay;
    }
}
