using Wms.GrainInterfaces.Grains;

namespace Wms.Grains.Hosting;

/// <summary>
/// Wraps a messaging failure that escapes one of the service's grains in <see cref="OnwardCallFailedException"/>, so
/// that its caller never takes the grain's failed onward call for a rejection of its own call: its own call did run,
/// and may have changed state before the onward call failed. Callers that resend a rejected call rely on this.
/// </summary>
internal sealed class OnwardCallFailures : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is not Grain grain || grain.GetType().Assembly != typeof(OnwardCallFailures).Assembly)
        {
            return context.Invoke();
        }
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? call : WrappingAsync(call, context);
    }

    private static async Task WrappingAsync(Task call, IIncomingGrainCallContext context)
    {
        try
        {
            await call;
        }
        catch (Exception e) when (e is OrleansMessageRejectionException or GatewayTooBusyException)
        {
            // SiloUnavailableException, a kind of OrleansMessageRejectionException, is among them.
            throw new OnwardCallFailedException($"{context.InterfaceName}.{context.MethodName} failed on an onward call: {e.Message}", e);
        }
    }
}
