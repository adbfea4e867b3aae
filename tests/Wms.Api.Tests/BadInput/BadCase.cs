using System.Text;

namespace Wms.Api.Tests.BadInput;

/// <summary>How closely a case pins the error text.</summary>
public enum ErrorText
{
    /// <summary>Any non-empty text.</summary>
    Any,
    Exact,
    Prefix,
}

/// <summary>
/// One request the service must refuse. Paths, bodies and expected texts may name seeded objects as
/// <c>{wf}</c>, <c>{td}</c>, <c>{tf}</c>, <c>{tf-submitted}</c>, <c>{wf-aborted}</c>, <c>{td-aborted}</c> and
/// <c>{tf-stopping}</c>.
/// </summary>
public sealed record BadCase(string Method, string Path, string? Body, int Status)
{
    public string? Error { get; init; }

    public ErrorText Match { get; init; } = ErrorText.Any;

    /// <summary>Bytes sent as they are, for bodies that are not text at all.</summary>
    public byte[]? Raw { get; init; }

    public string ContentType { get; init; } = "application/json";

    public bool CreatesWorkflow => Method == "POST" && Path == "v0/workflows";

    public static string Resolve(string text, SeedIds ids) => text
        .Replace("{wf}", ids.Workflow, StringComparison.Ordinal)
        .Replace("{td}", ids.Task, StringComparison.Ordinal)
        .Replace("{tf}", ids.WaitingTaskforce, StringComparison.Ordinal)
        .Replace("{tf-submitted}", ids.SubmittedTaskforce, StringComparison.Ordinal)
        .Replace("{wf-aborted}", ids.AbortedWorkflow, StringComparison.Ordinal)
        .Replace("{td-aborted}", ids.AbortedTask, StringComparison.Ordinal)
        .Replace("{tf-stopping}", ids.StoppingTaskforce, StringComparison.Ordinal);

    public HttpRequestMessage ToRequest(SeedIds ids)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Resolve(Path, ids));
        var bytes = Raw ?? (Body is null ? null : Encoding.UTF8.GetBytes(Resolve(Body, ids)));
        if (bytes is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return request;
    }
}
