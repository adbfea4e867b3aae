namespace Wms.Testing;

/// <summary>Thrown when the WMS answers with a status the caller did not expect, or with a body that is not JSON.</summary>
public sealed class UnexpectedResponseException : Exception
{
    public UnexpectedResponseException(string method, string path, int statusCode, string body, string? detail = null)
        : base($"{method} {path} answered {statusCode}{(detail is null ? "" : $" ({detail})")}: {Shorten(body)}")
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Body = body;
    }

    public string Method { get; }

    public string Path { get; }

    public int StatusCode { get; }

    /// <summary>The raw response body.</summary>
    public string Body { get; }

    private static string Shorten(string body) => body.Length <= 2000 ? body : body[..2000] + "...";
}
