using Microsoft.Extensions.Options;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>
/// The MQS protocol answered inside the service, for one-box use. What it grants is stored only in the workflow's
/// own state, so a workflow's creation and activation cost no grain or storage row of their own. It behaves as the
/// configured generation of the MQS does (<see cref="EmbeddedMqsGrants"/>).
/// </summary>
public sealed class EmbeddedMqsClient(IGrainFactory grains, IOptions<MqsOptions> options, TimeProvider time) : IMqsClient
{
    private readonly EmbeddedMqsGrants _grants = new(options.Value, time);

    public bool ReservationIsRepeatable => true;

    public Task<List<MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken) =>
        Task.FromResult(EmbeddedMqsGrants.Reserve(queueAliases, publicAliases));

    public Task<MqsActivation> ActivateAsync(
        string workflowId, int priority, IReadOnlyList<MqProfile> reserved, CancellationToken cancellationToken)
    {
        var profiles = _grants.Activate(reserved, out var minted);
        return Task.FromResult(new MqsActivation(false, profiles)
        {
            Descriptions = [.. profiles.Select(p => StampedProfile.Describe(p, workflowId, minted))],
        });
    }

    /// <summary>The profile as the workflow was granted it; null when the workflow has no such queue.</summary>
    public async Task<MqsProfileDescription?> GetProfileAsync(
        string workflowId, string mqid, CancellationToken cancellationToken)
    {
        var profiles = await grains.Get<IWorkflowGrain>(workflowId).GetMqProfilesAsync();
        return profiles.FirstOrDefault(p => p.MqId == mqid) is { } profile
            ? StampedProfile.Describe(profile, workflowId, time.GetUtcNow)
            : null;
    }

    /// <summary>
    /// What the workflow was granted, named with its workflow as the real MQS does; nothing more. The caller's token
    /// is not needed: the service itself checked that the caller is a user.
    /// </summary>
    public async Task<PublicMqProfiles> GetPublicProfilesAsync(
        string workflowId, string? callerToken, CancellationToken cancellationToken)
    {
        var profiles = await grains.Get<IWorkflowGrain>(workflowId).GetMqProfilesAsync();
        return new([.. profiles.Where(p => p.IsPublic).Select(p => StampedProfile.Describe(p, workflowId, time.GetUtcNow))]);
    }
}
