using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Domain.Commands;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Configuration;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;
using Wms.GrainInterfaces.Outcomes;
using Wms.GrainInterfaces.State;
using Wms.GrainInterfaces.Watch;
using Wms.Grains.Rules;
using Wms.Grains.Watch;

namespace Wms.Grains;

/// <summary>
/// Coordinates one workflow. Each multi-grain step is recorded in state before it starts, so a step cut short is
/// finished by the next call rather than redone: the queues are reserved once (unless the MQS keeps nothing of a
/// reservation), activated once.
/// </summary>
/// <remarks>Reads come from the index, so the service's host collects an idle workflow soon (GrainLifetimes).</remarks>
public sealed partial class WorkflowGrain(
    [PersistentState(StorageNames.Workflow, StorageNames.GrainStorage)] IPersistentState<WorkflowState> state,
    IMqsClient mqs,
    IObjectIndex index,
    IOptions<WmsOptions> options,
    TimeProvider time,
    WatchDirectory watch,
    ILogger<WorkflowGrain> logger) : Grain, IWorkflowGrain
{
    private WorkflowState S => state.State;

    private string WorkflowId => this.GetPrimaryKeyString();

    /// <summary>Re-publishes the workflow, in case a crash came between storing a change and indexing it.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken) => PublishAsync();

    public async Task<WorkflowCreation?> CreateAsync(WorkflowSpec spec)
    {
        if (S.Spec is { } earlier && earlier.SubmissionKey != spec.SubmissionKey)
        {
            return null;
        }
        if (S.Workflow is null)
        {
            if (S.ReservationAttempted)
            {
                throw new MqsException($"an earlier attempt to create {WorkflowId} did not finish; submit the workflow again");
            }
            S.Spec = spec;
            if (!mqs.ReservationIsRepeatable)
            {
                S.ReservationAttempted = true;
                await WriteAsync();
            }
            var aliases = spec.Tasks.SelectMany(t => t.InputQueueAliases.Concat(t.OutputQueueAliases)).Distinct().ToList();
            // A workflow without queues is legal; the MQS refuses a reservation of none (500 or 400, by era).
            var profiles = aliases.Count == 0 && spec.PublicQueueAliases.Count == 0
                ? []
                : await mqs.ReserveAsync(WorkflowId, aliases, spec.PublicQueueAliases, CancellationToken.None);
            var (creation, tasks) = WorkflowPlanner.Plan(WorkflowId, spec, profiles, time.EpochSeconds());
            S.ReservedProfiles = profiles;
            S.Workflow = creation.Workflow;
            S.Revision = 1;
            S.Tasks = tasks;
            await WriteAsync();
            LogCreated(WorkflowId, spec.CreatedBy ?? "(authentication off)", creation.TaskDirectives.Count,
                creation.Taskforces.Count);
            await MaterializeAsync(creation);
            return creation;
        }
        await MaterializeAsync();
        return await SnapshotAsync();
    }

    public async Task<WorkflowDocument?> GetAsync()
    {
        await MaterializeAsync();
        return S.Workflow;
    }

    public Task<ActivationEvidence> GetActivationEvidenceAsync() => Task.FromResult(new ActivationEvidence(
        S.ActivationFailures, S.LastActivationAttemptTs, S.LastActivationError, S.LastActivationTryAgainLater));

    public Task<List<MqProfile>> GetMqProfilesAsync() =>
        Task.FromResult(S.ActivatedProfiles ?? S.ReservedProfiles ?? []);

    public async Task<ActivationOutcome> ActivateMqAsync()
    {
        await MaterializeAsync();
        if (S.Workflow is not { } wf)
        {
            return new ActivationOutcome(ActivationKind.NothingToDo);
        }
        if (wf.Deactivated is not null || wf.MqActivatedTs is not null)
        {
            await FinishDeactivationAsync();
            await PublishAsync();
            return new ActivationOutcome(ActivationKind.NothingToDo);
        }
        if (S.ActivatedProfiles is null)
        {
            MqsActivation answer;
            var reserved = S.ReservedProfiles ?? [];
            // Kept with the attempt's outcome, in the write that stores it, for explanations: an explanation read
            // meanwhile (it interleaves) sees the attempt before this one, whole.
            var attemptTs = time.EpochSeconds();
            try
            {
                // Nothing reserved, nothing to make live: the activation succeeds without asking the MQS.
                answer = reserved.Count == 0
                    ? new MqsActivation(false, [])
                    : await mqs.ActivateAsync(WorkflowId, wf.Priority, reserved, CancellationToken.None);
                if (!answer.TryAgainLater && ActivationAnswer.Problem(reserved, answer.Profiles) is { } problem)
                {
                    throw new MqsException(problem);
                }
            }
            catch (MqsException e)
            {
                S.ActivationFailures++;
                S.LastActivationAttemptTs = attemptTs;
                S.LastActivationError = e.Message;
                S.LastActivationTryAgainLater = false;
                var retryAt = time.EpochSeconds() + Backoff(S.ActivationFailures).TotalSeconds;
                await ChangeWorkflowAsync(wf with { MqActivationRetryAtTs = retryAt }, WorkflowChange.ActivationRetry);
                return new ActivationOutcome(ActivationKind.MqsFailed, retryAt, e.Message);
            }
            if (answer.TryAgainLater)
            {
                S.ActivationFailures = 0;
                S.LastActivationAttemptTs = attemptTs;
                S.LastActivationError = null;
                S.LastActivationTryAgainLater = true;
                var retryAt = time.EpochSeconds() + options.Value.MqActivatorRetryWait.TotalSeconds;
                await ChangeWorkflowAsync(wf with { MqActivationRetryAtTs = retryAt }, WorkflowChange.ActivationRetry);
                return new ActivationOutcome(ActivationKind.TryAgainLater, retryAt);
            }
            S.ActivatedProfiles = answer.Profiles;
            S.ActivationFailures = 0;
            S.LastActivationAttemptTs = attemptTs;
            S.LastActivationError = null;
            S.LastActivationTryAgainLater = false;
            await WriteAsync();
        }
        var created = CreatedTaskforces();
        var moved = await Task.WhenAll(S.Tasks.SelectMany(task =>
        {
            var environment = QueueEnvironment.For(task.InputQueues, task.OutputQueues, S.ActivatedProfiles);
            return task.TaskforceUuids.Select(uuid =>
                Taskforce(uuid).ApplyMqActivationAsync(environment, created.GetValueOrDefault(uuid)));
        }));
        await ChangeWorkflowAsync(wf with { MqActivatedTs = time.EpochSeconds(), MqActivationRetryAtTs = null },
            WorkflowChange.Activated);
        if (moved.Any(m => m))
        {
            await GrainFactory.GetGrain<ILaunchControlGrain>(0).KickAsync();
        }
        LogQueuesActivated(WorkflowId);
        return new ActivationOutcome(ActivationKind.Activated);
    }

    public async Task<DeactivationOutcome> DeactivateAsync(string deactivation, string? caller = null)
    {
        await MaterializeAsync();
        if (S.Workflow is not { } wf)
        {
            return new DeactivationOutcome(null);
        }
        if (wf.Deactivated is not null)
        {
            // Already deactivated; but finish telling the taskforces if an earlier attempt was cut short.
            await FinishDeactivationAsync();
            await PublishAsync();
            return new DeactivationOutcome(null);
        }
        S.DeactivationPropagated = false;
        S.DeactivatedBy = caller;
        // No MQS retry is pending for a deactivated workflow: the activator never picks it again.
        var deactivated =
            wf with { Deactivated = deactivation, DeactivatedTs = time.EpochSeconds(), MqActivationRetryAtTs = null };
        S.Workflow = deactivated;
        S.Revision++;
        await WriteAsync();
        var moved = await FinishDeactivationAsync();
        await PublishAsync();
        await watch.PublishWorkflowAsync(GrainFactory, deactivated, WorkflowChange.Deactivated, S.Revision,
            deactivated.DeactivatedTs!.Value);
        LogDeactivated(WorkflowId, deactivation, caller ?? "(authentication off)", moved);
        // Its work is done: little will ask for it again, and reads come from the index.
        DeactivateOnIdle();
        return new DeactivationOutcome(moved);
    }

    public async Task<AddWorkersOutcome> AddWorkersAsync(
        string taskId, ClusterLocation location, long? nWorkers, string? caller = null, string? taskforceUuid = null,
        LogAuthor? author = null)
    {
        await MaterializeAsync();
        var task = S.Tasks.FirstOrDefault(t => t.TaskId == taskId);
        if (S.Workflow is not { } wf || S.Spec is null || task is null)
        {
            return new AddWorkersOutcome(AddWorkersKind.UnknownTask);
        }
        await FinishAddWorkersAsync();
        if (taskforceUuid is not null && task.TaskforceUuids.Contains(taskforceUuid))
        {
            // A repeat of an addition already made: that taskforce is the answer, and nothing new is made.
            return new AddWorkersOutcome(AddWorkersKind.Added, await Taskforce(taskforceUuid).GetAsync());
        }
        if (wf.Deactivated is not null)
        {
            return new AddWorkersOutcome(AddWorkersKind.WorkflowDeactivated);
        }
        // The new taskforce launches before its siblings, which carry the workflow's priority, as upstream does.
        var taskforce = WorkflowPlanner.NewTaskforce(taskforceUuid ?? Ids.NewTaskforceUuid(taskId), WorkflowId, taskId,
            S.Spec.Tasks[task.SpecIndex], location, nWorkers, time.EpochSeconds(),
            author ?? PhaseLog.AddWorkers(ApiGeneration.V0, caller), wf.Priority + Priorities.AddedWorkersBoost);
        task.TaskforceUuids.Add(taskforce.TaskforceUuid);
        S.PendingTaskforce = taskforce;
        await WriteAsync();
        await FinishAddWorkersAsync();
        await watch.PublishWorkflowAsync(GrainFactory, wf, WorkflowChange.WorkersAdded, S.Revision, time.EpochSeconds());
        LogTaskforceAdded(WorkflowId, taskId, taskforce.TaskforceUuid, location.Name, caller ?? "(authentication off)");
        return new AddWorkersOutcome(AddWorkersKind.Added, await Taskforce(taskforce.TaskforceUuid).GetAsync());
    }

    /// <summary>
    /// Makes the created objects visible all at once. Their grains need not exist yet: this workflow hands each
    /// taskforce its created document in the call that first changes it, and until then the index holds it.
    /// <paramref name="planned"/> is the creation when this call made it; a resumed creation rebuilds it from state.
    /// </summary>
    private async Task MaterializeAsync(WorkflowCreation? planned = null)
    {
        if (S.Spec is not { } spec || S.Workflow is null || S.CreationIndexed)
        {
            return;
        }
        var creation = planned ?? WorkflowPlanner.Rebuild(S.Workflow, spec, S.Tasks);
        await index.WriteAsync(new IndexBatch
        {
            Workflows = [new(S.Workflow, S.Revision)],
            Creators = spec.CreatedBy is { } creator
                ? new Dictionary<string, string> { [S.Workflow.WorkflowId] = creator }
                : new Dictionary<string, string>(),
            TaskDirectives = creation.TaskDirectives.Select(td => new Versioned<TaskDirectiveDocument>(td, 1)).ToList(),
            Taskforces = creation.Taskforces.Select(tf => new Versioned<TaskforceDocument>(tf, 1)).ToList(),
        });
        S.CreationIndexed = true;
        await GrainFactory.GetGrain<IMqActivatorGrain>(0).KickAsync();
    }

    /// <summary>The taskforces as this workflow created them, by uuid, for the calls that first change them.</summary>
    private Dictionary<string, TaskforceDocument> CreatedTaskforces() =>
        S.Spec is not { } spec || S.Workflow is not { } wf
            ? []
            : S.Tasks.SelectMany(t => WorkflowPlanner.CreatedTaskforces(wf.WorkflowId, spec, t, wf.Timestamp))
                .ToDictionary(tf => tf.TaskforceUuid);

    /// <summary>Tells every taskforce of a deactivated workflow, the ones already ending first.</summary>
    private async Task<int> FinishDeactivationAsync()
    {
        if (S.Workflow is not { DeactivatedTs: { } deactivatedTs } || S.DeactivationPropagated)
        {
            return 0;
        }
        var uuids = S.Tasks.SelectMany(t => t.TaskforceUuids).ToList();
        var documents = await Task.WhenAll(uuids.Select(u => Taskforce(u).GetAsync()));
        var ending = documents.Where(d => d is not null && Phase.IsEndingOrFinished(d.Phase))
            .Select(d => d!.TaskforceUuid).ToHashSet();
        var by = S.DeactivatedBy;
        var created = CreatedTaskforces();
        Task<bool> Deactivate(string uuid) => Taskforce(uuid).DeactivateAsync(deactivatedTs, by, created.GetValueOrDefault(uuid));
        var refused = await Task.WhenAll(uuids.Where(ending.Contains).Select(Deactivate));
        var moved = await Task.WhenAll(uuids.Where(u => !ending.Contains(u)).Select(Deactivate));
        S.DeactivationPropagated = true;
        await WriteAsync();
        return refused.Count(m => m) + moved.Count(m => m);
    }

    private async Task FinishAddWorkersAsync()
    {
        if (S.PendingTaskforce is not { } taskforce)
        {
            return;
        }
        var grain = Taskforce(taskforce.TaskforceUuid);
        await grain.InitializeAsync(taskforce);
        var task = S.Tasks.First(t => t.TaskforceUuids.Contains(taskforce.TaskforceUuid));
        if (S.Workflow?.MqActivatedTs is not null && S.ActivatedProfiles is { } profiles)
        {
            var environment = QueueEnvironment.For(task.InputQueues, task.OutputQueues, profiles);
            if (await grain.ApplyMqActivationAsync(environment))
            {
                await GrainFactory.GetGrain<ILaunchControlGrain>(0).KickAsync();
            }
        }
        S.PendingTaskforce = null;
        await WriteAsync();
    }

    private async Task<WorkflowCreation> SnapshotAsync()
    {
        var directives = await Task.WhenAll(S.Tasks.Select(t =>
            GrainFactory.Get<ITaskDirectiveGrain>(t.TaskId).GetAsync()));
        var taskforces = await Task.WhenAll(S.Tasks.SelectMany(t => t.TaskforceUuids).Select(u => Taskforce(u).GetAsync()));
        return new WorkflowCreation(S.Workflow!, directives.OfType<TaskDirectiveDocument>().ToList(),
            taskforces.OfType<TaskforceDocument>().ToList());
    }

    private TimeSpan Backoff(int failures)
    {
        var cap = options.Value.MqActivatorRetryWait;
        var wait = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 1, 16)));
        return wait < cap ? wait : cap;
    }

    private ITaskforceGrain Taskforce(string uuid) => GrainFactory.Get<ITaskforceGrain>(uuid);

    /// <summary>Stores, indexes, then tells the workflow's watchers, if any, of <paramref name="change"/>.</summary>
    private async Task ChangeWorkflowAsync(WorkflowDocument next, string change)
    {
        S.Workflow = next;
        S.Revision++;
        await WriteAsync();
        await PublishAsync();
        await watch.PublishWorkflowAsync(GrainFactory, next, change, S.Revision, time.EpochSeconds());
    }

    private async Task PublishAsync()
    {
        if (S.Workflow is not { } wf || !S.CreationIndexed)
        {
            return;
        }
        try
        {
            await index.WriteAsync(IndexBatch.Of(new Versioned<WorkflowDocument>(wf, S.Revision), S.Spec?.CreatedBy));
        }
        catch
        {
            // Stored but not indexed: the next activation re-publishes (see OnActivateAsync).
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored: drop this activation so the next call starts from what is.
            DeactivateOnIdle();
            throw;
        }
    }
}
