using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Wms.Domain.Model;

namespace Wms.Api.Errors;

/// <summary>
/// The error answer everywhere: a JSON body <c>{"code", "error"}</c> whose text is also the HTTP reason phrase,
/// because Python clients print the reason phrase.
/// </summary>
public sealed class ApiError(int code, string error) : IResult
{
    public int Code { get; } = code;
    public string Error { get; } = error;

    public static ApiError BadRequest(string error) => new(StatusCodes.Status400BadRequest, error);

    public static ApiError NotFound(string error) => new(StatusCodes.Status404NotFound, error);

    public async Task ExecuteAsync(HttpContext httpContext) => await WriteAsync(httpContext.Response, Code, Error);

    public static async Task WriteAsync(HttpResponse response, int code, string error)
    {
        response.StatusCode = code;
        var feature = response.HttpContext.Features.Get<IHttpResponseFeature>();
        if (feature is not null)
        {
            feature.ReasonPhrase = ReasonPhrase(error);
        }
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body, new JsonWriterOptions { Encoder = WireJson.Options.Encoder });
        Write(writer, code, error);
    }

    /// <summary>The body alone, for answers written where there is no <see cref="HttpResponse"/>.</summary>
    public static void WriteBody(IBufferWriter<byte> output, int code, string error)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = WireJson.Options.Encoder });
        Write(writer, code, error);
    }

    /// <summary>A reason phrase may hold only visible ASCII and spaces; anything else is shown as '?'.</summary>
    public static string ReasonPhrase(string error)
    {
        var text = new StringBuilder(Math.Min(error.Length, 512));
        foreach (var c in error.AsSpan(0, Math.Min(error.Length, 512)))
        {
            text.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        return text.ToString();
    }

    private static void Write(Utf8JsonWriter writer, int code, string error)
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", code);
        writer.WriteString("error", error);
        writer.WriteEndObject();
    }
}
