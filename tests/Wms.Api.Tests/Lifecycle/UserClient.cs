using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Testing;

namespace Wms.Api.Tests.Lifecycle;

/// <summary>One answer of the WMS: status, parsed body and reason phrase.</summary>
public sealed record ApiAnswer(int Status, JsonNode? Body, string? Reason)
{
    public JsonObject Object => Body as JsonObject
        ?? throw new InvalidOperationException($"expected a JSON object, got {Body?.ToJsonString() ?? "nothing"}");

    /// <summary>Asserts the contract's error answer: this status, and the reason both in the body and the status line.</summary>
    public void AssertError(int status, string error)
    {
        Assert.Equal(status, Status);
        Assert.True(
            JsonNode.DeepEquals(new JsonObject { ["code"] = status, ["error"] = error }, Body),
            $"expected {{\"code\": {status}, \"error\": \"{error}\"}}, got {Body?.ToJsonString()}");
        Assert.Equal(error, Reason);
    }
}

/// <summary>
/// What a user (or any client) sees of the WMS over HTTP. Every answer to an operation the schema (the v0 one unless
/// given) documents is checked against it, status included; the extension endpoints are left to the caller.
/// </summary>
public sealed class UserClient(HttpClient http, WmsSchema? schema = null)
{
    private readonly WmsSchema _schema = schema ?? V0Schema.Shared;

    public Task<ApiAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    /// <summary>Posts <paramref name="body"/>, or <c>{}</c> as the Python clients do when there is none.</summary>
    public Task<ApiAnswer> PostAsync(string path, JsonNode? body = null) =>
        SendAsync(HttpMethod.Post, path, body ?? new JsonObject());

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        var relative = path.TrimStart('/');
        using var request = new HttpRequestMessage(method, relative);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        using var response = await http.SendAsync(request);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed;
        try
        {
            parsed = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{method} /{relative} answered {status} with a body that is not JSON: {text}", e);
        }
        if (_schema.IsDocumentedPath(method.Method, "/" + relative))
        {
            _schema.AssertValidResponse(method.Method, "/" + relative, status, parsed);
        }
        return new ApiAnswer(status, parsed, response.ReasonPhrase);
    }

    // ---- the calls the lifecycle tests make; each expects success unless it says otherwise ----

    public async Task<JsonObject> CreateWorkflowAsync(JsonObject request)
    {
        var answer = await PostAsync("v0/workflows", request);
        return Ok(answer, "POST /v0/workflows");
    }

    public Task<ApiAnswer> GetWorkflowAsync(string workflowId) => GetAsync($"v0/workflows/{workflowId}");

    public async Task<JsonObject> WorkflowAsync(string workflowId) =>
        Ok(await GetWorkflowAsync(workflowId), $"GET workflow {workflowId}");

    public async Task<JsonObject> TaskDirectiveAsync(string taskId) =>
        Ok(await GetAsync($"v0/task-directives/{taskId}"), $"GET task directive {taskId}");

    public async Task<JsonObject> TaskforceAsync(string uuid) =>
        Ok(await GetAsync($"v0/taskforces/{uuid}"), $"GET taskforce {uuid}");

    public Task<ApiAnswer> AbortAsync(string workflowId) => PostAsync($"v0/workflows/{workflowId}/actions/abort");

    public Task<ApiAnswer> FinishedAsync(string workflowId) => PostAsync($"v0/workflows/{workflowId}/actions/finished");

    public Task<ApiAnswer> DeactivateAsync(string workflowId, string action) =>
        PostAsync($"v0/workflows/{workflowId}/actions/{action}");

    public async Task<JsonArray> FindTaskforcesAsync(JsonObject query, params string[] projection)
    {
        var body = new JsonObject { ["query"] = query };
        if (projection.Length > 0)
        {
            body["projection"] = new JsonArray(projection.Select(p => (JsonNode)p).ToArray());
        }
        var answer = Ok(await PostAsync("v0/query/taskforces", body), "POST /v0/query/taskforces");
        return answer["taskforces"] as JsonArray ?? throw new InvalidOperationException("no 'taskforces' list");
    }

    /// <summary>The add-workers extension: not in the v0 schema, so its answers are checked here.</summary>
    public async Task<ApiAnswer> AddWorkersAsync(string taskId, string clusterLocation, long? nWorkers)
    {
        var answer = await PostAsync($"v0/task-directives/{taskId}/actions/add-workers",
            new JsonObject { ["cluster_location"] = clusterLocation, ["n_workers"] = nWorkers });
        if (answer.Status == 200)
        {
            _schema.AssertValidAgainst("#/components/schemas/TaskforceObject", answer.Body);
        }
        else
        {
            AssertErrorShape(answer);
        }
        return answer;
    }

    /// <summary>The public-profile extension (the MQS's own read, answered by the WMS).</summary>
    public async Task<JsonArray> PublicProfilesAsync(string workflowId)
    {
        var answer = await GetAsync($"v0/mqs/workflows/{workflowId}/mq-profiles/public");
        Assert.Equal(200, answer.Status);
        Assert.Equal(["mqprofiles"], answer.Object.Select(kv => kv.Key));
        return answer.Object["mqprofiles"] as JsonArray ?? throw new InvalidOperationException("'mqprofiles' is not a list");
    }

    private static JsonObject Ok(ApiAnswer answer, string what)
    {
        Assert.True(answer.Status == 200, $"{what} answered {answer.Status}: {answer.Body?.ToJsonString()}");
        return answer.Object;
    }

    private static void AssertErrorShape(ApiAnswer answer)
    {
        var body = answer.Object;
        Assert.Equal(["code", "error"], body.Select(kv => kv.Key).Order());
        Assert.Equal(answer.Status, body["code"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.String, body["error"]!.GetValueKind());
    }
}
