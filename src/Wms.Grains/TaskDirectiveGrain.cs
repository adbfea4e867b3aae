using Wms.GrainInterfaces.Grains;
using Wms.Domain.Model;
using Wms.GrainInterfaces.State;

namespace Wms.Grains;

/// <summary>
/// Holds one task directive; it never changes after creation, so the service's host collects an idle one soon
/// (GrainLifetimes).
/// </summary>
public sealed class TaskDirectiveGrain(
    [PersistentState(StorageNames.TaskDirective, StorageNames.GrainStorage)]
    IPersistentState<TaskDirectiveState> state) : Grain, ITaskDirectiveGrain
{
    /// <summary>
    /// Creating a workflow stores its directives in the workflow's state only; the directive grain copies its own
    /// on first activation, off the creation's path.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Directive is null && Ids.WorkflowIdOf(this.GetPrimaryKeyString()) is { } workflowId
            && await GrainFactory.Get<IWorkflowGrain>(workflowId)
                .GetCreatedTaskDirectiveAsync(this.GetPrimaryKeyString()) is { } directive)
        {
            state.State.Directive = directive;
            await state.WriteStateAsync();
        }
    }

    public Task<TaskDirectiveDocument?> GetAsync() => Task.FromResult(state.State.Directive);
}
