using System.Net.Http.Headers;
using System.Text;

namespace Wms.Api.Tests.Hostile;

/// <summary>
/// One hostile request and the 4xx it must get. Paths and text bodies may name seeded objects as <c>{wf}</c>,
/// <c>{td}</c>, <c>{tf}</c> (waiting in pending-starter) and <c>{tf-submitted}</c>.
/// </summary>
public sealed record HostileCase(string Method, string Path, int Status)
{
    /// <summary>A text body (placeholders resolved, sent as UTF-8).</summary>
    public string? Text { get; init; }

    /// <summary>A body sent byte for byte, for bodies that are not valid text.</summary>
    public byte[]? Raw { get; init; }

    /// <summary>The exact error text, where it matters.</summary>
    public string? Error { get; init; }

    /// <summary>Send the suite's valid token (false: send <see cref="Authorization"/> instead, or nothing).</summary>
    public bool WithToken { get; init; } = true;

    /// <summary>Authorization header values sent as they are (with <see cref="WithToken"/> false).</summary>
    public string[] Authorization { get; init; } = [];

    public string ContentType { get; init; } = "application/json";

    /// <summary>Sent without a length, in chunks.</summary>
    public bool Chunked { get; init; }

    /// <summary>
    /// Refused by the HTTP server itself (a request line or headers past its limits) before the app sees it:
    /// only a 4xx and no internals are expected, not the app's body or headers.
    /// </summary>
    public bool RefusedByServer { get; init; }

    public HttpRequestMessage ToRequest(HostileIds ids, string token)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), ids.Resolve(Path));
        if (WithToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        foreach (var value in Authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }
        var bytes = Raw ?? (Text is null ? null : Encoding.UTF8.GetBytes(ids.Resolve(Text)));
        if (bytes is not null)
        {
            request.Content = Chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            if (bytes.Length > HostileServer.BodyLimit)
            {
                // The server answers 413 before reading: let the client wait for that instead of pushing the body.
                request.Headers.ExpectContinue = true;
            }
        }
        return request;
    }

    /// <summary>A stream that will not tell its length, so the body goes out chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
