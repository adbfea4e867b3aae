namespace Wms.Api.Errors;

/// <summary>
/// Tells a grain call's failure that proves the call never reached its grain, so that sending it again cannot do
/// anything twice, from every other failure. Only the failure of the call itself counts: an exception that comes
/// wrapped (a grain's failed onward call, <c>OnwardCallFailedException</c>) was raised by a grain that did run.
/// </summary>
/// <remarks>
/// What Orleans (10.4) answers, and why each is or is not proof:
/// <list type="bullet">
/// <item><see cref="OrleansMessageRejectionException"/>: the runtime rejected the request instead of invoking it
/// (the target silo is stopping or no longer the one addressed, the activation was gone and forwarding gave up, the
/// message could not be sent). A rejection is only ever the answer to a request its grain did not run; a request
/// that ran is answered with its result or its exception. Proof. When the message could not be sent because no
/// connection to the target silo could be made (<see cref="IsUnreachableSilo"/>), the silo is most likely dead but
/// not yet declared so: the grain still lives there as far as the cluster knows, and a second send at once goes the
/// same way.</item>
/// <item><see cref="GatewayTooBusyException"/>: a gateway shed the request before passing it on. Proof.</item>
/// <item><see cref="SiloUnavailableException"/> with Orleans' default text: the runtime refused to send the
/// request because its target silo is already known to be dead. Proof.</item>
/// <item><see cref="SiloUnavailableException"/> with any other text: the target silo was declared dead while the
/// call waited for its answer ("The target silo became unavailable ..."), or this silo is shutting down and broke
/// its outstanding calls ("The local Orleans host is shutting down ..."). The request may have run, even
/// completely, with only the answer lost. No proof: the client gets 503 and a Retry-After, and its
/// <c>Idempotency-Key</c> makes its own retry safe.</item>
/// <item><see cref="TimeoutException"/>, and anything else: the request may have run. No proof.</item>
/// </list>
/// </remarks>
public static class UndeliveredGrainCall
{
    /// <summary>What Orleans' parameterless constructor says, the one its "known dead" refusal uses.</summary>
    private static readonly string KnownDeadText = new SiloUnavailableException().Message;

    /// <summary>What a rejection for a failed connection names: the connection's failure, as text.</summary>
    private static readonly string ConnectionFailed = typeof(Orleans.Runtime.Messaging.ConnectionFailedException).FullName!;

    /// <summary>
    /// True when <paramref name="failure"/> is a rejection because no connection to the target silo could be made:
    /// a request never sent, to a silo that does not answer.
    /// </summary>
    public static bool IsUnreachableSilo(Exception? failure) =>
        failure is OrleansMessageRejectionException and not SiloUnavailableException &&
        failure.Message.Contains(ConnectionFailed, StringComparison.Ordinal);

    /// <summary>True when <paramref name="failure"/>, as a grain call ended with it, proves its grain never ran it.</summary>
    public static bool IsProven(Exception? failure) => failure switch
    {
        // First: Orleans' SiloUnavailableException is a kind of OrleansMessageRejectionException.
        SiloUnavailableException unavailable => string.Equals(unavailable.Message, KnownDeadText, StringComparison.Ordinal),
        OrleansMessageRejectionException => true,
        GatewayTooBusyException => true,
        _ => false,
    };
}
