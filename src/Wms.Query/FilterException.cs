namespace Wms.Query;

/// <summary>
/// Raised when a find filter or projection is invalid. The message is written for the
/// caller of the HTTP API and is safe to return verbatim as a 400 response body.
/// </summary>
public sealed class FilterException : Exception
{
    public FilterException(string message)
        : base(message)
    {
    }

    public FilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
