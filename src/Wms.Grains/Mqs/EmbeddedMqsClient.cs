using System.Text.Json.Nodes;
using Wms.GrainInterfaces.Grains;

using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>The MQS protocol answered inside the cluster by <see cref="IEmbeddedMqsGrain"/>, for one-box use.</summary>
public sealed class EmbeddedMqsClient(IGrainFactory grains) : IMqsClient
{
    public async Task<List<GrainInterfaces.Model.MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken) =>
        await grains.Get<IEmbeddedMqsGrain>(workflowId).ReserveAsync([.. queueAliases], [.. publicAliases])
        ?? throw new MqsException($"the embedded MQS already holds a reservation for {workflowId}");

    public async Task<MqsActivation> ActivateAsync(string workflowId, int priority, CancellationToken cancellationToken)
    {
        var profiles = await grains.Get<IEmbeddedMqsGrain>(workflowId).ActivateAsync()
            ?? throw new MqsException($"the embedded MQS has no reservation for {workflowId}");
        return new MqsActivation(false, profiles);
    }

    public async Task<JsonObject> GetPublicProfilesAsync(string workflowId, CancellationToken cancellationToken) =>
        MqsProfileJson.Write(await grains.Get<IEmbeddedMqsGrain>(workflowId).GetPublicProfilesAsync(), workflowId);
}
