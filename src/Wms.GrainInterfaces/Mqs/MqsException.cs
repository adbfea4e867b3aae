namespace Wms.GrainInterfaces.Mqs;

/// <summary>The MQS could not be reached, timed out, or refused a request.</summary>
[GenerateSerializer, Alias("Wms.MqsException")]
public sealed class MqsException : Exception
{
    public MqsException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
