using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>
/// Talks to a real MQS over HTTP, with a per-attempt timeout and bounded retries. Its JSON is read into records
/// here (<see cref="MqsProfileJson"/>); nothing past this class sees it.
/// </summary>
public sealed class HttpMqsClient(HttpClient http, MqsTokenSource tokens, IOptions<MqsOptions> options) : IMqsClient
{
    public bool ReservationIsRepeatable => false;

    public async Task<List<MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["queue_aliases"] = new JsonArray(queueAliases.Select(a => (JsonNode)a).ToArray()),
            ["public"] = new JsonArray(publicAliases.Select(a => (JsonNode)a).ToArray()),
        };
        // Repeated only when the request surely never arrived: this MQS refuses a second reservation.
        var answer = await SendAsync(HttpMethod.Post, $"v0/mqs/workflows/{Escape(workflowId)}/mq-group/reservation",
            body, retryAfterArrival: false, cancellationToken);
        return MqsProfileJson.ReadProfiles(answer);
    }

    public async Task<MqsActivation> ActivateAsync(
        string workflowId, int priority, IReadOnlyList<MqProfile> reserved, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["workflow_id"] = workflowId, ["criteria"] = new JsonObject { ["priority"] = priority } };
        var answer = await SendAsync(HttpMethod.Post, $"v0/mqs/workflows/{Escape(workflowId)}/mq-group/activation",
            body, retryAfterArrival: true, cancellationToken);
        if (answer is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty("try_again_later", out var later) &&
            later.ValueKind == JsonValueKind.True)
        {
            return MqsActivation.Later;
        }
        return new MqsActivation(false, MqsProfileJson.ReadProfiles(answer));
    }

    public async Task<PublicMqProfiles> GetPublicProfilesAsync(
        string workflowId, string? callerToken, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, $"v0/mqs/workflows/{Escape(workflowId)}/mq-profiles/public",
            null, retryAfterArrival: true, cancellationToken, callerToken);
        return MqsProfileJson.ReadPublicProfiles(answer);
    }

    private static string Escape(string id) => Uri.EscapeDataString(id);

    /// <summary>
    /// The answer's JSON; null for an empty body. The request carries <paramref name="callerToken"/> when given, else
    /// the service's own token.
    /// </summary>
    private async Task<JsonElement?> SendAsync(
        HttpMethod method, string path, JsonObject? body, bool retryAfterArrival, CancellationToken cancellationToken,
        string? callerToken = null)
    {
        var o = options.Value;
        var baseAddress = new Uri(o.Address!.TrimEnd('/') + "/");
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt >= o.Retries;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(o.RequestTimeout);
            using var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }
            var token = callerToken ?? await tokens.GetAsync(cancellationToken);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, timeout.Token);
            }
            catch (HttpRequestException e) when (!last && e.StatusCode is null && e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                continue;
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (!last && retryAfterArrival)
                {
                    continue;
                }
                throw new MqsException($"the MQS did not answer {method} {path}: {MqsFailure.Describe(e)}", e);
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    var json = JsonBody.Of(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                    try
                    {
                        if (JsonBody.IsBlank(json))
                        {
                            return null;
                        }
                        using var document = JsonDocument.Parse(json);
                        return document.RootElement.Clone();
                    }
                    catch (JsonException e)
                    {
                        throw new MqsException($"the MQS answered {method} {path} with invalid JSON", e);
                    }
                }
                var transient = response.StatusCode >= HttpStatusCode.InternalServerError
                    || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                if (!last && retryAfterArrival && transient)
                {
                    continue;
                }
                throw new MqsException($"the MQS answered {(int)response.StatusCode} to {method} {path}");
            }
        }
    }
}
