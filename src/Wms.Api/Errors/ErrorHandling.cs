using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wms.Query;
using Wms.Requests;

namespace Wms.Api.Errors;

/// <summary>Turns every failure, and every bodiless error status, into the contract's error answer.</summary>
public static partial class ErrorHandling
{
    public static void UseWmsErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(branch => branch.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var transient = TransientFailure.Of(error);
            var (code, text) = Answer(error, transient);
            if (transient is not null && code == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = transient.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }
            if (code >= 500)
            {
                var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Wms.Api");
                LogFailed(log, error, context.Request.Method, context.Request.Path);
            }
            await ApiError.WriteAsync(context.Response, code, text);
        }));
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            var text = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "not found",
                StatusCodes.Status405MethodNotAllowed => "method not allowed",
                StatusCodes.Status415UnsupportedMediaType => "unsupported media type",
                StatusCodes.Status413PayloadTooLarge => "request body too large",
                _ => "request failed",
            };
            await ApiError.WriteAsync(response, response.StatusCode, text);
        });
    }

    /// <summary>The status a request that threw <paramref name="error"/> is answered with.</summary>
    public static int StatusOf(Exception? error) => Answer(error, TransientFailure.Of(error)).Code;

    private static (int Code, string Text) Answer(Exception? error, TransientFailure? transient) => error switch
    {
        BadRequestException e => (StatusCodes.Status400BadRequest, e.Message),
        FilterException e => (StatusCodes.Status400BadRequest, e.Message),
        BadHttpRequestException e => (e.StatusCode, ServerRefusal(e.StatusCode)),
        _ when transient is not null => (StatusCodes.Status503ServiceUnavailable, transient.Error),
        _ => (StatusCodes.Status500InternalServerError, "internal server error"),
    };

    /// <summary>
    /// Our own words for what the server refused while reading a request: its messages name settings and types
    /// (MaxRequestBodySize, parameter types) that are none of a client's business.
    /// </summary>
    private static string ServerRefusal(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "request body too large",
        StatusCodes.Status408RequestTimeout => "the request body arrived too slowly",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "request headers too large",
        _ => "bad request: the request could not be read",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception? error, string method, PathString path);
}
