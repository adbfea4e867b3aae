using System.Reflection;

namespace Wms.Api.Tests.Faults;

/// <summary>The failures Orleans ends grain calls with, made as Orleans makes them.</summary>
public static class OrleansFailures
{
    /// <summary>A rejection, as the runtime answers a request it did not deliver (its constructors are internal).</summary>
    public static OrleansMessageRejectionException Rejection(string info = "Silo stopping") =>
        (OrleansMessageRejectionException)Activator.CreateInstance(typeof(OrleansMessageRejectionException),
            BindingFlags.NonPublic | BindingFlags.Instance, null, [info], null)!;

    /// <summary>
    /// Not sent: no connection to the target silo could be made (it is dead, but not declared so yet). The text is
    /// Orleans' own, seen when a silo was killed under load.
    /// </summary>
    public static OrleansMessageRejectionException Unreachable() => Rejection(
        "Exception while sending message: Orleans.Runtime.Messaging.ConnectionFailedException: Unable to connect to " +
        "S127.0.0.1:11112:155626738, will retry after 485.6124ms\n   at Orleans.Runtime.Messaging.ConnectionManager.GetConnectionAsync(SiloAddress endpoint)");

    /// <summary>Refused before sending: the target silo is already known to be dead.</summary>
    public static SiloUnavailableException KnownDead() => new();

    /// <summary>The target silo was declared dead while the call waited for its answer.</summary>
    public static SiloUnavailableException DiedWhileWaiting() => new(
        "The target silo became unavailable for message: Request [S127.0.0.1:11111:1 sys.client/hosted-127.0.0.1:11111@1]->" +
        "[S127.0.0.1:11112:2 workflow/WF-1] Wms.GrainInterfaces.Grains.IWorkflowGrain.CreateAsync(). See " +
        "https://aka.ms/orleans-troubleshooting for troubleshooting help.");

    /// <summary>This silo is shutting down and broke its outstanding calls.</summary>
    public static SiloUnavailableException LocalHostShuttingDown() => new(
        "The local Orleans host is shutting down and can no longer process the request: Request [...]");
}
