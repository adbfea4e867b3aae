using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Model;
using Wms.GrainInterfaces.State;

namespace Wms.Grains;

/// <summary>Holds one task directive; it never changes after creation.</summary>
public sealed class TaskDirectiveGrain(
    [PersistentState(StorageNames.TaskDirective, StorageNames.GrainStorage)]
    IPersistentState<TaskDirectiveState> state) : Grain, ITaskDirectiveGrain
{
    public async Task InitializeAsync(TaskDirectiveDocument directive)
    {
        if (state.State.Directive is not null)
        {
            return;
        }
        state.State.Directive = directive;
        await state.WriteStateAsync();
    }

    public Task<TaskDirectiveDocument?> GetAsync() => Task.FromResult(state.State.Directive);
}
