using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Model;
using Wms.GrainInterfaces.State;
using Wms.GrainInterfaces.Mqs;
using Wms.Grains.Mqs;

namespace Wms.Grains;

/// <summary>Grants one workflow's queues at once, with ids shaped like the real MQS's.</summary>
/// <remarks>Called at a workflow's creation and activation, then rarely: the service's host collects it soon (GrainLifetimes).</remarks>
public sealed class EmbeddedMqsGrain(
    [PersistentState(StorageNames.EmbeddedMqs, StorageNames.GrainStorage)] IPersistentState<EmbeddedMqsState> state,
    IOptions<MqsOptions> options) : Grain, IEmbeddedMqsGrain
{
    public async Task<List<MqProfile>?> ReserveAsync(List<string> queueAliases, List<string> publicAliases)
    {
        if (state.State.Profiles is not null)
        {
            return null;
        }
        var isPublic = publicAliases.ToHashSet();
        state.State.Profiles = queueAliases.Concat(publicAliases).Distinct()
            .Select(alias => new MqProfile { MqId = "a" + Hex(10), Alias = alias, IsPublic = isPublic.Contains(alias) })
            .ToList();
        await state.WriteStateAsync();
        return state.State.Profiles;
    }

    public async Task<List<MqProfile>?> ActivateAsync()
    {
        if (state.State.Profiles is not { } profiles)
        {
            return null;
        }
        if (profiles.Any(p => !p.IsActivated))
        {
            var o = options.Value;
            state.State.Profiles = profiles.Select(p => p.IsActivated ? p : p with
            {
                IsActivated = true,
                AuthToken = Hex(24),
                BrokerType = o.EmbeddedBrokerType,
                BrokerAddress = o.EmbeddedBrokerAddress,
            }).ToList();
            await state.WriteStateAsync();
        }
        // Activation is the last step of a workflow's queues; only a rare read of the public profiles may follow.
        DeactivateOnIdle();
        return state.State.Profiles;
    }

    public Task<List<MqProfile>> GetPublicProfilesAsync() =>
        Task.FromResult((state.State.Profiles ?? []).Where(p => p.IsPublic).ToList());

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
