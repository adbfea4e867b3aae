using System.Text.Json.Nodes;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Explain;

/// <summary>Reads explanations over HTTP and checks their agreed shape.</summary>
public static class Explained
{
    /// <summary>The members of one taskforce's explanation, in the order the service writes them.</summary>
    public static readonly string[] TaskforceKeys =
    [
        "taskforce_uuid", "workflow_id", "task_id", "schedd", "collector", "phase", "reason", "message", "since",
        "evidence", "action",
    ];

    public static async Task<JsonObject> TaskforceAsync(UserClient user, string uuid, string generation = "v0")
    {
        var answer = await user.GetAsync($"{generation}/taskforces/{uuid}/explain");
        Assert.True(answer.Status == 200, $"explain {uuid} answered {answer.Status}: {answer.Body?.ToJsonString()}");
        AssertShape(answer.Object);
        Assert.Equal(uuid, Text(answer.Object["taskforce_uuid"]));
        return answer.Object;
    }

    public static async Task<JsonObject> WorkflowAsync(UserClient user, string workflowId, string generation = "v0")
    {
        var answer = await user.GetAsync($"{generation}/workflows/{workflowId}/explain");
        Assert.True(answer.Status == 200, $"explain {workflowId} answered {answer.Status}: {answer.Body?.ToJsonString()}");
        var body = answer.Object;
        Assert.Equal(["workflow_id", "generated_at", "summary", "taskforces"], body.Select(kv => kv.Key));
        Assert.Equal(workflowId, Text(body["workflow_id"]));
        Assert.False(string.IsNullOrWhiteSpace(Text(body["summary"])));
        foreach (var taskforce in body["taskforces"]!.AsArray())
        {
            AssertShape((JsonObject)taskforce!);
        }
        return body;
    }

    /// <summary>Explains the taskforce until its reason is <paramref name="reason"/> and <paramref name="also"/> holds.</summary>
    public static async Task<JsonObject> WaitForReasonAsync(
        UserClient user, string uuid, string reason, Func<JsonObject, bool>? also = null)
    {
        JsonObject? last = null;
        var reached = await Poll.UntilAsync(async () =>
        {
            last = await TaskforceAsync(user, uuid);
            return Reason(last) == reason && (also?.Invoke(last) ?? true);
        }, LifecycleHost.Deadline);
        Assert.True(reached, $"taskforce {uuid} was never explained as {reason}; last: {last?.ToJsonString()}");
        return last!;
    }

    public static string Reason(JsonObject explanation) => Text(explanation["reason"]);

    public static JsonObject Evidence(JsonObject explanation) => explanation["evidence"]!.AsObject();

    public static double Since(JsonObject explanation) => Number(explanation["since"]);

    /// <summary>When the taskforce's latest successful move into <paramref name="phase"/> was logged.</summary>
    public static double EnteredTs(JsonObject taskforce, string phase) =>
        Number(LogOf(taskforce).Last(e => Text(e["target_phase"]) == phase && e["was_successful"]!.GetValue<bool>())["timestamp"]);

    /// <summary>The agreed members, and nothing else; a message; an action that is text or null.</summary>
    public static void AssertShape(JsonObject explanation)
    {
        Assert.Equal(TaskforceKeys, explanation.Select(kv => kv.Key));
        Assert.False(string.IsNullOrWhiteSpace(Text(explanation["message"])));
        Assert.IsType<JsonObject>(explanation["evidence"]);
        Assert.True(explanation["action"] is null || explanation["action"]!.GetValueKind() == System.Text.Json.JsonValueKind.String);
        Assert.True(Number(explanation["since"]) > 0);
    }
}
