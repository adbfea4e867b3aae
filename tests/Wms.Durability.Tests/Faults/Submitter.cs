using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Wms.Durability.Tests.Faults;

/// <summary>
/// Clients submitting workflows as the Python clients do through a fault: a POST that fails with 5xx or no answer is
/// sent again, with the same Idempotency-Key, until it is answered; every answered workflow is remembered. The only
/// failing answer a fault may give is 503 with Retry-After.
/// </summary>
public sealed class Submitter(HttpClient http)
{
    private readonly ConcurrentDictionary<string, JsonObject> _answered = new();
    private int _refusals;

    public IReadOnlyCollection<string> Answered => [.. _answered.Keys];

    /// <summary>Answers that were 503 or never came, each followed by a retry.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>Submits <paramref name="count"/> workflows from <paramref name="clients"/> clients at once.</summary>
    public Task SubmitAsync(int count, int clients, TimeSpan deadline) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (var n = c; n < count; n += clients)
            {
                await SubmitOneAsync(n, deadline);
            }
        })));

    private async Task SubmitOneAsync(int n, TimeSpan deadline)
    {
        var key = $"fault-suite-{n}-{Guid.NewGuid():N}";
        var stop = DateTime.UtcNow + deadline;
        while (true)
        {
            Assert.True(DateTime.UtcNow < stop, $"workflow {n} was never answered");
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "v0/workflows")
                {
                    Content = JsonContent.Create(WorkflowShapes.Request(n)),
                };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                    _answered[created["workflow"]!["workflow_id"]!.GetValue<string>()] = created;
                    return;
                }
                // A fault the service knows of is transient: 503 with a time to come back, never a 500.
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                    $"a submission was refused with {(int)response.StatusCode}: {body}");
                Assert.True(response.Headers.RetryAfter is not null, $"a 503 without Retry-After: {body}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // No answer: sent again, as the clients do.
            }
            Interlocked.Increment(ref _refusals);
            await Task.Delay(100);
        }
    }
}
