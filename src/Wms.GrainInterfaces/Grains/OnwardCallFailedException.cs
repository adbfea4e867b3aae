namespace Wms.GrainInterfaces.Grains;

/// <summary>
/// A grain's own call onward to another grain failed in the cluster's messaging (rejected, or lost with a silo), and
/// the failure ended the call the grain was serving; the inner exception is Orleans' own.
/// </summary>
/// <remarks>
/// Orleans' message rejections mean "your request never reached its grain". Passed on as they are, a grain's onward
/// rejection would tell its caller that of the grain's own call, which did run; so the grains pass them on wrapped
/// in this, and only a rejection of the call itself reaches a caller unwrapped.
/// </remarks>
[GenerateSerializer, Alias("Wms.OnwardCallFailedException")]
public sealed class OnwardCallFailedException : Exception
{
    public OnwardCallFailedException(string message, Exception inner) : base(message, inner)
    {
    }
}
