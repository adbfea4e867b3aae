using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wms.Api.Errors;
using Wms.Requests;

namespace Wms.Api.Requests;

/// <summary>
/// The <c>Idempotency-Key</c> header of a POST that makes something. A key belongs to its caller: the same key from
/// two callers names two records. A request is named by its operation and its body, so a key reused for another
/// request is told apart from a retry.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = IdempotencyKeyRule.Header;
    public const int MaxLength = IdempotencyKeyRule.MaxLength;

    /// <summary>The key, or null when the request has none; a malformed one is a 400.</summary>
    public static string? From(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }
        if (values.Count != 1 || values[0] is not { } key || !IdempotencyKeyRule.IsValid(key))
        {
            throw new BadRequestException(IdempotencyKeyRule.Refusal);
        }
        return key;
    }

    /// <summary>The idempotency grain's key: the caller and the key, hashed so that neither limits the other.</summary>
    public static string GrainKey(string? caller, string key) => "IK-" + Hash((caller ?? "") + "\n" + key);

    /// <summary>Names one request: the operation (with the object it acts on) and the body as received.</summary>
    public static string RequestHash(string operation, JsonObject body) => Hash(operation + "\n" + body.ToJsonString());

    /// <summary>The answer to a key that first came with another request.</summary>
    public static ApiError Reused() => new(StatusCodes.Status422UnprocessableEntity,
        $"this {Header} was used with a different request; use a new key for a new request");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
