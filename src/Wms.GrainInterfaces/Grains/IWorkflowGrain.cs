using Orleans.Concurrency;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Outcomes;

namespace Wms.GrainInterfaces.Grains;

/// <summary>Owns one workflow: its creation, MQ activation, deactivation and growth. Keyed by workflow id.</summary>
public interface IWorkflowGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves the queues and stores the workflow with all its task directives and taskforces. Null when this id
    /// already belongs to another submission: the caller draws a new id.
    /// </summary>
    Task<WorkflowCreation?> CreateAsync(WorkflowSpec spec);

    /// <summary>One MQ activation attempt; also finishes an activation a crash interrupted.</summary>
    Task<ActivationOutcome> ActivateMqAsync();

    /// <summary><paramref name="caller"/>: the authenticated subject, for the phase change log; null when auth is off.</summary>
    Task<DeactivationOutcome> DeactivateAsync(string deactivation, string? caller = null);

    /// <summary>
    /// Adds a taskforce to a task. With <paramref name="taskforceUuid"/> (drawn by the caller for the task), a repeat
    /// answers the taskforce made the first time instead of making another. <paramref name="author"/> is what the
    /// new taskforce's first log entry says (the <c>/v0</c> texts when null).
    /// </summary>
    Task<AddWorkersOutcome> AddWorkersAsync(
        string taskId, ClusterLocation location, long? nWorkers, string? caller = null, string? taskforceUuid = null,
        LogAuthor? author = null);

    Task<WorkflowDocument?> GetAsync();

    /// <summary>
    /// What the MQ activation attempts came to, for explanations. It never waits behind an attempt in progress (a
    /// slow MQS), and answers the one before it.
    /// </summary>
    [AlwaysInterleave]
    Task<ActivationEvidence> GetActivationEvidenceAsync();

    /// <summary>The queues as last granted (activated, else reserved); empty for an unknown workflow.</summary>
    Task<List<MqProfile>> GetMqProfilesAsync();
}
