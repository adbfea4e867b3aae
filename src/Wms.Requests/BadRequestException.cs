namespace Wms.Requests;

/// <summary>A request the service will not act on; the message is the answer's text.</summary>
public sealed class BadRequestException(string message) : Exception(message);
