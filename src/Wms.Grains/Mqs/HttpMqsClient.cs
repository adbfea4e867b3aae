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
/// Talks to a real MQS over HTTP, with a per-attempt timeout and bounded retries, in the API generation configured
/// (<see cref="MqsOptions.ApiVersion"/>): v1 is today's MQS (v1.1.1), which refuses a request body with a key it does
/// not know; v0 is the MQS of the v0.1.17 era. Its JSON is read into records here (<see cref="MqsProfileJson"/>);
/// nothing past this class sees it.
/// </summary>
public sealed class HttpMqsClient(HttpClient http, MqsTokenSource tokens, IOptions<MqsOptions> options) : IMqsClient
{
    private bool IsV0 => options.Value.IsV0;

    /// <summary>The MQS's route prefix in the generation spoken.</summary>
    private string Prefix => IsV0 ? "v0/mqs" : "v1/mqs";

    /// <summary>MQS v1 answers a second reservation with the group it already made; the v0 era's answers 500.</summary>
    public bool ReservationIsRepeatable => !IsV0;

    public async Task<List<MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken)
    {
        // MQS v1.1.1 refuses an empty queue_aliases; a public alias is a queue too, as the embedded MQS has it.
        var aliases = IsV0 ? queueAliases : queueAliases.Concat(publicAliases).Distinct();
        var body = new JsonObject
        {
            ["queue_aliases"] = new JsonArray(aliases.Select(a => (JsonNode)a).ToArray()),
            ["public"] = new JsonArray(publicAliases.Select(a => (JsonNode)a).ToArray()),
        };
        // On v0 it is repeated only when the request surely never arrived: that MQS refuses a second reservation.
        var (_, answer) = await SendAsync(HttpMethod.Post, $"{Prefix}/workflows/{Escape(workflowId)}/mq-group/reservation",
            body, retryAfterArrival: ReservationIsRepeatable, cancellationToken);
        return MqsProfileJson.ReadProfiles(answer);
    }

    public async Task<MqsActivation> ActivateAsync(
        string workflowId, int priority, IReadOnlyList<MqProfile> reserved, CancellationToken cancellationToken)
    {
        // MQS v1.1.1's request schema admits no key but "criteria": the workflow is named by the route alone.
        var criteria = new JsonObject { ["priority"] = priority };
        var body = IsV0
            ? new JsonObject { ["workflow_id"] = workflowId, ["criteria"] = criteria }
            : new JsonObject { ["criteria"] = criteria };
        var (_, answer) = await SendAsync(HttpMethod.Post, $"{Prefix}/workflows/{Escape(workflowId)}/mq-group/activation",
            body, retryAfterArrival: true, cancellationToken);
        if (answer is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty("try_again_later", out var later) &&
            later.ValueKind == JsonValueKind.True)
        {
            return MqsActivation.Later;
        }
        var described = MqsProfileJson.ReadDescriptions(answer);
        return new MqsActivation(false, [.. described.Select(d => d.Profile)]) { Descriptions = described };
    }

    public async Task<MqsProfileDescription?> GetProfileAsync(
        string workflowId, string mqid, CancellationToken cancellationToken)
    {
        if (IsV0)
        {
            throw new MqsException("the MQS of the v0 era has no read of one queue's profile");
        }
        var (status, answer) = await SendAsync(HttpMethod.Get, $"{Prefix}/mq-profiles/{Escape(mqid)}", null,
            retryAfterArrival: true, cancellationToken, notFoundIsAnAnswer: true);
        if (status == HttpStatusCode.NotFound)
        {
            return null;
        }
        return answer is { } profile
            ? MqsProfileJson.ReadDescription(profile)
            : throw new MqsException($"the MQS answered the profile of {mqid} with an empty body");
    }

    public async Task<PublicMqProfiles> GetPublicProfilesAsync(
        string workflowId, string? callerToken, CancellationToken cancellationToken)
    {
        var (_, answer) = await SendAsync(HttpMethod.Get, $"{Prefix}/workflows/{Escape(workflowId)}/mq-profiles/public",
            null, retryAfterArrival: true, cancellationToken, callerToken: callerToken);
        return MqsProfileJson.ReadPublicProfiles(answer);
    }

    private static string Escape(string id) => Uri.EscapeDataString(id);

    /// <summary>
    /// The answer's status and JSON; null JSON for an empty body, and for a 404 when
    /// <paramref name="notFoundIsAnAnswer"/> (a read of something the MQS may not know). The request carries
    /// <paramref name="callerToken"/> when given, else the service's own token.
    /// </summary>
    private async Task<(HttpStatusCode Status, JsonElement? Json)> SendAsync(
        HttpMethod method, string path, JsonObject? body, bool retryAfterArrival, CancellationToken cancellationToken,
        string? callerToken = null, bool notFoundIsAnAnswer = false)
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
                if (notFoundIsAnAnswer && response.StatusCode == HttpStatusCode.NotFound)
                {
                    return (response.StatusCode, null);
                }
                if (response.IsSuccessStatusCode)
                {
                    var json = JsonBody.Of(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                    try
                    {
                        if (JsonBody.IsBlank(json))
                        {
                            return (response.StatusCode, null);
                        }
                        using var document = JsonDocument.Parse(json);
                        return (response.StatusCode, document.RootElement.Clone());
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
