using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.State;

namespace Wms.Grains;

/// <summary>
/// Holds one task directive; it never changes after creation, so the service's host collects an idle one soon
/// (GrainLifetimes).
/// </summary>
/// <remarks>
/// Creating a workflow stores its directives in the workflow's state and publishes them to the index, not to
/// their grains: a directive grain copies its document from the index the first time it is asked, and never
/// calls its workflow.
/// </remarks>
public sealed class TaskDirectiveGrain(
    [PersistentState(StorageNames.TaskDirective, StorageNames.GrainStorage)]
    IPersistentState<TaskDirectiveState> state,
    IObjectIndex index) : Grain, ITaskDirectiveGrain
{
    public async Task<TaskDirectiveDocument?> GetAsync()
    {
        if (state.State.Directive is null
            && await index.GetJsonAsync(ObjectKind.TaskDirective, this.GetPrimaryKeyString()) is { } json)
        {
            state.State.Directive = WireJson.ReadTaskDirective(json);
            await state.WriteStateAsync();
        }
        return state.State.Directive;
    }
}
