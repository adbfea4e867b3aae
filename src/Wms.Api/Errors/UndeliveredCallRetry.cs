using Microsoft.Extensions.Logging;
using Wms.GrainInterfaces.Grains;

namespace Wms.Api.Errors;

/// <summary>
/// Sends a grain call of the API once more when its failure proves it never reached its grain
/// (<see cref="UndeliveredGrainCall"/>), for writes as much as reads: nothing ran, so nothing can run twice. A silo
/// leaving the cluster so costs clients nothing: the second send finds the grain where it lives now.
/// </summary>
/// <remarks>
/// <para>
/// A call that could not reach its silo at all (<see cref="UndeliveredGrainCall.IsUnreachableSilo"/>) is sent once
/// more only once a silo has gone from the cluster since it was first sent (the membership changed meanwhile), or
/// once the longest a dead silo takes to be declared dead has passed: until the silo is declared dead its grains are
/// still its own, and a second send at once would go the same way. Seen in a real cluster (two silos, one killed
/// under load): without the wait, 2 of 185 such resends were answered, the rest failed again; with it, all were
/// answered, by the grains' new activations.
/// </para>
/// <para>
/// Only calls the API makes (from outside any grain) to the service's own grains are resent; the grains' onward calls
/// and Orleans' own keep Orleans' handling. What fails again is answered as before (<see cref="TransientFailure"/>).
/// </para>
/// </remarks>
public sealed partial class UndeliveredCallRetry(ILogger<UndeliveredCallRetry> log, IMembershipChanges? membership = null)
    : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.SourceContext is not null || !IsServiceGrain(context))
        {
            await context.Invoke();
            return;
        }
        var version = membership?.Version;
        Exception? thrown = null;
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (UndeliveredGrainCall.IsProven(e))
        {
            thrown = e;
        }
        // A grain call's failure mostly comes as its answer, not thrown.
        var failure = thrown ?? context.Response?.Exception;
        if (!UndeliveredGrainCall.IsProven(failure))
        {
            return;
        }
        var waited = "";
        if (membership is not null && version is { } seen && UndeliveredGrainCall.IsUnreachableSilo(failure) && membership.Version == seen)
        {
            waited = await membership.SiloGoneAsync(seen)
                ? " once a silo had left the cluster"
                : " after waiting in vain for a silo to leave the cluster";
        }
        var reason = FirstLine(failure!.Message);
        try
        {
            await context.Invoke();
        }
        catch (Exception e)
        {
            var thrownAgain = "failed again: " + FirstLine(e.Message);
            LogResent(log, context.InterfaceName, context.MethodName, reason, waited, thrownAgain);
            throw;
        }
        var outcome = context.Response?.Exception is { } again ? "failed again: " + FirstLine(again.Message) : "answered";
        LogResent(log, context.InterfaceName, context.MethodName, reason, waited, outcome);
    }

    private static bool IsServiceGrain(IOutgoingGrainCallContext context) =>
        context.InterfaceMethod?.DeclaringType?.Assembly == typeof(IWorkflowGrain).Assembly;

    /// <summary>Orleans' texts carry whole stack traces after their first line.</summary>
    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        var line = end < 0 ? text : text[..end];
        return line.Length <= 300 ? line : line[..300] + "...";
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Interface}.{Method} never reached its grain ({Reason}); sent once more{Waited}: {Outcome}")]
    private static partial void LogResent(ILogger logger, string @interface, string method, string reason, string waited, string outcome);
}
