using Wms.GrainInterfaces.Commands;
using Wms.GrainInterfaces.Model;
using Wms.GrainInterfaces.Outcomes;

namespace Wms.GrainInterfaces.Grains;

/// <summary>Owns one workflow: its creation, MQ activation, deactivation and growth. Keyed by workflow id.</summary>
public interface IWorkflowGrain : IGrainWithStringKey
{
    /// <summary>Reserves the queues and stores the workflow with all its task directives and taskforces.</summary>
    Task<WorkflowCreation> CreateAsync(WorkflowSpec spec);

    /// <summary>One MQ activation attempt; also finishes an activation a crash interrupted.</summary>
    Task<ActivationOutcome> ActivateMqAsync();

    Task<DeactivationOutcome> DeactivateAsync(string deactivation);

    Task<AddWorkersOutcome> AddWorkersAsync(string taskId, ClusterLocation location, long? nWorkers);

    Task<WorkflowDocument?> GetAsync();
}
