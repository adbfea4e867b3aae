using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.Outcomes;
using Wms.GrainInterfaces.State;

namespace Wms.Grains;

/// <summary>
/// Remembers one idempotency key. What a request is about to make (a workflow id, a taskforce uuid) is stored before
/// it is made, so a retry after a crash resumes the same object instead of making a second; the answer is stored
/// once made, so every later retry gets the first answer. A reminder forgets the key after the retention period.
/// </summary>
public sealed class IdempotencyGrain(
    [PersistentState(StorageNames.Idempotency, StorageNames.GrainStorage)] IPersistentState<IdempotencyState> state,
    TimeProvider time) : Grain, IIdempotencyGrain, IRemindable
{
    private const string ExpiryReminder = "expiry";
    private const int MaxIdDraws = 8;

    private IdempotencyState S => state.State;

    public async Task<IdempotentCreation> CreateWorkflowAsync(string requestHash, WorkflowSpec spec)
    {
        if (!await ClaimAsync(requestHash))
        {
            return new IdempotentCreation(true);
        }
        if (S.Creation is { } done)
        {
            return new IdempotentCreation(false, done);
        }
        for (var draw = 0; draw < MaxIdDraws; draw++)
        {
            if (S.WorkflowId is null)
            {
                S.WorkflowId = Ids.NewWorkflowId(time.GetUtcNow());
                S.SubmissionKey = Guid.NewGuid();
                await state.WriteStateAsync();
            }
            WorkflowCreation? creation;
            try
            {
                creation = await GrainFactory.Get<IWorkflowGrain>(S.WorkflowId)
                    .CreateAsync(spec with { SubmissionKey = S.SubmissionKey });
            }
            catch (MqsException)
            {
                // The queues could not be reserved, so nothing of this workflow is visible; a retry draws a fresh
                // id, since an MQS that refuses a second reservation would refuse this one's for good.
                S.WorkflowId = null;
                await state.WriteStateAsync();
                throw;
            }
            if (creation is not null)
            {
                S.Creation = creation;
                await state.WriteStateAsync();
                return new IdempotentCreation(false, creation);
            }
            // Another submission holds that id.
            S.WorkflowId = null;
        }
        throw new InvalidOperationException($"no free workflow id after {MaxIdDraws} draws");
    }

    public async Task<IdempotentAddition> AddWorkersAsync(
        string requestHash, string taskId, ClusterLocation location, long? nWorkers, string? caller,
        LogAuthor? author = null)
    {
        if (!await ClaimAsync(requestHash))
        {
            return new IdempotentAddition(true);
        }
        if (S.Addition is { } done)
        {
            return new IdempotentAddition(false, done);
        }
        if (Ids.WorkflowIdOf(taskId) is not { } workflowId)
        {
            return new IdempotentAddition(false, new AddWorkersOutcome(AddWorkersKind.UnknownTask));
        }
        if (S.TaskforceUuid is null)
        {
            S.TaskforceUuid = Ids.NewTaskforceUuid(taskId);
            await state.WriteStateAsync();
        }
        var outcome = await GrainFactory.Get<IWorkflowGrain>(workflowId)
            .AddWorkersAsync(taskId, location, nWorkers, caller, S.TaskforceUuid, author);
        S.Addition = outcome;
        await state.WriteStateAsync();
        return new IdempotentAddition(false, outcome);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.RequestHash is null || IdempotencyRetention.IsExpired(S.FirstUsedTs, time.EpochSeconds()))
        {
            await state.ClearStateAsync();
            if (await this.GetReminder(ExpiryReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// Binds an unused (or expired) key to this request; false when the key is bound to another request.
    /// </summary>
    private async Task<bool> ClaimAsync(string requestHash)
    {
        var now = time.EpochSeconds();
        if (S.RequestHash is not null && !IdempotencyRetention.IsExpired(S.FirstUsedTs, now))
        {
            return S.RequestHash == requestHash;
        }
        // The reminder first: a record is never left without the reminder that forgets it.
        var period = IdempotencyRetention.Period;
        await this.RegisterOrUpdateReminder(ExpiryReminder, period, period);
        state.State = new IdempotencyState { RequestHash = requestHash, FirstUsedTs = now };
        await state.WriteStateAsync();
        return true;
    }
}
