using Microsoft.Extensions.Logging;
using Wms.GrainInterfaces.Grains;

namespace Wms.Api.Errors;

/// <summary>
/// Sends a grain call of the API once more when its failure proves it never reached its grain
/// (<see cref="UndeliveredGrainCall"/>), for writes as much as reads: nothing ran, so nothing can run twice. A silo
/// leaving the cluster so costs clients nothing: the second send finds the grain where it lives now.
/// </summary>
/// <remarks>
/// Only calls the API makes (from outside any grain) to the service's own grains are resent; the grains' onward calls
/// and Orleans' own keep Orleans' handling. What fails again is answered as before (<see cref="TransientFailure"/>).
/// </remarks>
public sealed partial class UndeliveredCallRetry(ILogger<UndeliveredCallRetry> log) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.SourceContext is not null || !IsServiceGrain(context))
        {
            await context.Invoke();
            return;
        }
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
        if (UndeliveredGrainCall.IsProven(failure))
        {
            LogResending(log, context.InterfaceName, context.MethodName, failure!.Message);
            await context.Invoke();
        }
    }

    private static bool IsServiceGrain(IOutgoingGrainCallContext context) =>
        context.InterfaceMethod?.DeclaringType?.Assembly == typeof(IWorkflowGrain).Assembly;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Interface}.{Method} never reached its grain ({Reason}); sending it once more")]
    private static partial void LogResending(ILogger logger, string @interface, string method, string reason);
}
