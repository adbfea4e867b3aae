using Wms.Domain.Commands;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.GrainInterfaces.State;
using Wms.GrainInterfaces.Telemetry;
using Wms.Grains.Sharing;
using Wms.Grains.Watch;

namespace Wms.Grains;

/// <summary>
/// The one writer of a taskforce. Each change is decided by <see cref="TaskforceTransitions"/>, stored, then
/// published to the index before the caller hears back.
/// </summary>
/// <remarks>
/// Most taskforces sit idle once stored (reads come from the index), and an idle activation costs memory for
/// nothing: the service's host collects them soon (GrainLifetimes). A document read back is rebuilt with its
/// repeated texts shared (<see cref="TaskforceSharing"/>). Every change, once indexed, is also published to the
/// workflow's watchers when it has any (<see cref="WatchPublishing"/>).
/// </remarks>
public sealed class TaskforceGrain(
    [PersistentState(StorageNames.Taskforce, StorageNames.GrainStorage)] IPersistentState<TaskforceState> state,
    IObjectIndex index,
    IStatusHistory history,
    TimeProvider time,
    WmsMetrics metrics,
    WatchDirectory watch) : Grain, ITaskforceGrain
{
    private TaskforceState S => state.State;

    /// <summary>
    /// A changed taskforce re-publishes, in case a crash came between storing a change and indexing it; revision 1
    /// is left to the creator, whose one batch makes a new workflow visible at once.
    /// </summary>
    /// <remarks>
    /// A taskforce never changed since its workflow created it has no state of its own: its workflow hands it the
    /// created document in the call that first changes it, and any other caller finds that document where the
    /// creation published it, in the index (<see cref="LoadAsync"/>). It never calls its workflow, which may be
    /// the very grain waiting on it.
    /// </remarks>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Revision > 1)
        {
            await PublishAsync();
        }
        if (S.Taskforce is { } tf)
        {
            S.Taskforce = TaskforceSharing.Shared.Share(tf);
        }
    }

    public async Task InitializeAsync(TaskforceDocument taskforce)
    {
        var made = S.Taskforce is null;
        if (made)
        {
            S.Taskforce = TaskforceSharing.Shared.Share(taskforce);
            S.Revision = 1;
            await state.WriteStateAsync();
        }
        await PublishAsync();
        if (made)
        {
            await watch.PublishTaskforceAsync(GrainFactory, null, S.Taskforce!, Now, S.Revision);
        }
    }

    public async Task<TaskforceDocument?> GetAsync() => await LoadAsync();

    public async Task<bool> ApplyMqActivationAsync(
        Dictionary<string, ConfigValue> queueEnvironment, TaskforceDocument? created = null) =>
        (Adopt(created) ?? await LoadAsync()) is { } tf && await CommitAsync(TaskforceTransitions.ApplyMqActivation(tf, queueEnvironment, Now));

    public async Task<bool> LaunchAsync()
    {
        if (await LoadAsync() is not { } tf)
        {
            return false;
        }
        var now = Now;
        if (await CommitAsync(TaskforceTransitions.Launch(tf, now)))
        {
            // A taskforce's timestamp is its creation: its workflow's submission, or the added workers'.
            metrics.TaskforceLaunched(now - tf.Timestamp);
            return true;
        }
        // Launch control was offered a taskforce that has moved on: refresh the index it read from.
        await PublishAsync();
        return false;
    }

    public async Task<bool> DeactivateAsync(double deactivatedTs, string? caller = null, TaskforceDocument? created = null)
    {
        if ((Adopt(created) ?? await LoadAsync()) is not { } tf)
        {
            return false;
        }
        if (S.AppliedDeactivationTs == deactivatedTs)
        {
            return S.AppliedDeactivationMoved;
        }
        var (next, moved) = TaskforceTransitions.Deactivate(tf, Now, caller);
        S.AppliedDeactivationTs = deactivatedTs;
        S.AppliedDeactivationMoved = moved;
        await CommitAsync(next);
        if (next.ClusterId is null)
        {
            // Stopped before HTCondor ever ran it: no TMS will call about it again, so free the memory now.
            DeactivateOnIdle();
        }
        return moved;
    }

    public async Task<TmsOutcome> CondorSubmitAsync(CondorSubmission submission)
    {
        if (await LoadAsync() is not { } tf)
        {
            return TmsOutcome.UnknownTaskforce;
        }
        if (TaskforceTransitions.IsRepeatedSubmit(tf, submission))
        {
            return TmsOutcome.Applied;
        }
        return await CommitAsync(TaskforceTransitions.CondorSubmit(tf, TaskforceSharing.Shared.Share(submission), Now))
            ? TmsOutcome.Applied
            : TmsOutcome.WrongPhase;
    }

    public async Task<TmsOutcome> CondorSubmitFailedAsync(string error, string? caller = null)
    {
        if (await LoadAsync() is not { } tf)
        {
            return TmsOutcome.UnknownTaskforce;
        }
        return await CommitAsync(TaskforceTransitions.CondorSubmitFailed(tf, error, Now, caller))
            ? TmsOutcome.Applied
            : TmsOutcome.WrongPhase;
    }

    public Task<TmsOutcome> CondorRmAsync(string? caller = null) =>
        ApplyAnywhereAsync(tf => TaskforceTransitions.CondorRm(tf, Now, caller));

    public Task<TmsOutcome> CondorRmFailedAsync(string error, string? caller = null) =>
        ApplyAnywhereAsync(tf => TaskforceTransitions.CondorRmFailed(tf, error, Now, caller));

    public async Task<TmsOutcome> CondorCompleteAsync(long condorCompleteTs, string? caller = null)
    {
        var outcome = await ApplyAnywhereAsync(tf => TaskforceTransitions.CondorComplete(tf, condorCompleteTs, Now, caller));
        if (outcome == TmsOutcome.Applied)
        {
            // HTCondor is done with it: further calls are rare, and a later one simply reactivates it.
            DeactivateOnIdle();
        }
        return outcome;
    }

    /// <remarks>
    /// A change is also appended to the status history here rather than in the endpoint: this grain is the one place
    /// a taskforce's reports are applied, one at a time, so it alone knows without a read whether a report changed
    /// anything and in which order the changes came. The append returns at once and is written in groups.
    /// </remarks>
    public async Task<TmsOutcome> UpdateStatusesAsync(StatusUpdate update)
    {
        if (await LoadAsync() is not { } tf)
        {
            return TmsOutcome.UnknownTaskforce;
        }
        var next = TaskforceTransitions.UpdateStatuses(tf, TaskforceSharing.Shared.Share(update));
        if (await CommitAsync(next))
        {
            history.Append(tf.TaskforceUuid, new StatusHistoryEntry(Now, next!.CompoundStatuses, next.TopTaskErrors));
        }
        // Counted here, where the taskforce's schedd is known: a report names taskforces only.
        metrics.StatusUpdated(tf.Schedd);
        return TmsOutcome.Applied;
    }

    private double Now => time.EpochSeconds();

    /// <summary>For reports valid in any phase; a null change means a repeat of what is already stored.</summary>
    private async Task<TmsOutcome> ApplyAnywhereAsync(Func<TaskforceDocument, TaskforceDocument?> change)
    {
        if (await LoadAsync() is not { } tf)
        {
            return TmsOutcome.UnknownTaskforce;
        }
        await CommitAsync(change(tf));
        return TmsOutcome.Applied;
    }

    /// <summary>Takes the document its workflow created, unless this grain already holds one.</summary>
    private TaskforceDocument? Adopt(TaskforceDocument? created)
    {
        if (S.Taskforce is null && created is not null && created.TaskforceUuid == this.GetPrimaryKeyString())
        {
            S.Taskforce = TaskforceSharing.Shared.Share(created);
            S.Revision = 1;
        }
        return S.Taskforce;
    }

    /// <summary>
    /// This grain's document; for one its workflow created and nothing changed since, the creation's revision in
    /// the index. Not found is not remembered: the creation may become visible later.
    /// </summary>
    private async ValueTask<TaskforceDocument?> LoadAsync()
    {
        if (S.Taskforce is null && await index.GetJsonAsync(ObjectKind.Taskforce, this.GetPrimaryKeyString()) is { } json)
        {
            Adopt(WireJson.ReadTaskforce(json));
        }
        return S.Taskforce;
    }

    private async Task<bool> CommitAsync(TaskforceDocument? next)
    {
        if (next is null)
        {
            return false;
        }
        var previous = S.Taskforce;
        S.Taskforce = next;
        S.Revision++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The change is not stored: drop this activation so the next call starts from what is.
            DeactivateOnIdle();
            throw;
        }
        await PublishAsync();
        await watch.PublishTaskforceAsync(GrainFactory, previous, next, Now, S.Revision);
        return true;
    }

    private async Task PublishAsync()
    {
        if (S.Taskforce is not { } tf)
        {
            return;
        }
        try
        {
            await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(tf, S.Revision)));
        }
        catch
        {
            // Stored but not indexed: the next activation re-publishes (see OnActivateAsync).
            DeactivateOnIdle();
            throw;
        }
    }
}
