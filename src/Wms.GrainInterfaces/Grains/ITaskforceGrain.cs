using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Outcomes;

namespace Wms.GrainInterfaces.Grains;

/// <summary>
/// Owns one taskforce and is the only place its phase changes; every attempt appends to its phase change log.
/// Keyed by taskforce uuid.
/// </summary>
public interface ITaskforceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores and indexes a taskforce made after its workflow's creation (add-workers) once. The taskforces made
    /// with the workflow have no state of their own until they first change: their workflow passes the created
    /// document (<c>created</c>) in the calls that change them, and others find it in the index.
    /// </summary>
    Task InitializeAsync(TaskforceDocument taskforce);

    Task<TaskforceDocument?> GetAsync();

    /// <summary>Adds the queue environment and moves pre-mq-activation to pre-launch; false if not in that phase.</summary>
    Task<bool> ApplyMqActivationAsync(Dictionary<string, ConfigValue> queueEnvironment, TaskforceDocument? created = null);

    /// <summary>Moves pre-launch to pending-starter; false if not in that phase.</summary>
    Task<bool> LaunchAsync();

    /// <summary>
    /// Stops the taskforce for a deactivated workflow: true if it moved to pending-stopper, false if it was already
    /// ending or finished (a failed entry is logged). Repeating the same deactivation changes nothing.
    /// </summary>
    Task<bool> DeactivateAsync(double deactivatedTs, string? caller = null, TaskforceDocument? created = null);

    Task<TmsOutcome> CondorSubmitAsync(CondorSubmission submission);

    /// <summary>
    /// The TMS reports take the authenticated <paramref name="caller"/> (null when authentication is off), which
    /// the phase change log records.
    /// </summary>
    Task<TmsOutcome> CondorSubmitFailedAsync(string error, string? caller = null);

    Task<TmsOutcome> CondorRmAsync(string? caller = null);

    Task<TmsOutcome> CondorRmFailedAsync(string error, string? caller = null);

    Task<TmsOutcome> CondorCompleteAsync(long condorCompleteTs, string? caller = null);

    Task<TmsOutcome> UpdateStatusesAsync(StatusUpdate update);
}
