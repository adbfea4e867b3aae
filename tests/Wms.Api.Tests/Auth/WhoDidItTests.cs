using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wms.Api.Tests.BadInput;
using Wms.Testing;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// With authentication on, every phase change a caller causes names the caller in its description (after the usual
/// text), and creations, deactivations and add-workers are logged with the caller's subject. Queue credentials,
/// client secrets and bearer tokens never reach the log.
/// </summary>
public sealed class WhoDidItTests
{
    [Fact]
    public async Task PhaseChangesNameTheAuthenticatedCaller()
    {
        var minter = TokenMinter.Symmetric();
        await using var host = await LoggedHost.StartAsync(minter.Configure);
        var alice = minter.User("alice");
        var bob = minter.User("bob");
        var carol = minter.UserByRole("carol");
        var tms = minter.Tms("tms-sub-2");

        var created = await SendAsync(host, alice, HttpMethod.Post, "v0/workflows", ValidWorkflow.Body());
        var workflowId = created["workflow"]!["workflow_id"]!.GetValue<string>();
        var taskId = created["task_directives"]![0]!["task_id"]!.GetValue<string>();
        var first = created["taskforces"]![0]!["taskforce_uuid"]!.GetValue<string>();
        await WaitForPhaseAsync(host, tms, first, "pending-starter");

        await SendAsync(host, tms, HttpMethod.Post, $"v0/tms/condor-submit/taskforces/{first}/failed", "{\"error\": \"boom\"}");
        await SendAsync(host, tms, HttpMethod.Post, $"v0/tms/condor-submit/taskforces/{first}",
            "{\"cluster_id\": 7, \"n_workers\": 1, \"submit_dict\": {}, \"job_event_log_fpath\": \"/x.log\"}");
        var added = await SendAsync(host, bob, HttpMethod.Post, $"v0/task-directives/{taskId}/actions/add-workers",
            "{\"cluster_location\": \"test-beta\", \"n_workers\": 2}");
        var second = added["taskforce_uuid"]!.GetValue<string>();
        await SendAsync(host, carol, HttpMethod.Post, $"v0/workflows/{workflowId}/actions/abort", "{}");
        await SendAsync(host, tms, HttpMethod.Post, $"v0/tms/condor-rm/taskforces/{first}/failed", "{\"error\": \"held\"}");
        await SendAsync(host, tms, HttpMethod.Post, $"v0/tms/condor-rm/taskforces/{first}", "{}");
        await SendAsync(host, tms, HttpMethod.Post, $"v0/tms/condor-complete/taskforces/{first}", "{\"condor_complete_ts\": 1700000000}");

        var log = Descriptions(await SendAsync(host, tms, HttpMethod.Get, $"v0/taskforces/{first}", null));
        Assert.Equal(
        [
            ("pre-mq-activation", "User", "During initial workflow creation. (by alice)"),
            ("pre-launch", "Workflow MQ Activator", "The workflow's queues were activated."),
            ("pending-starter", "Taskforce Launch Control", "Released to the TMS for starting."),
            ("condor-submit", "TMS", "ERROR: boom (by tms-sub-2)"),
            ("condor-submit", "TMS", "The TMS submitted the HTCondor cluster. (by tms-sub-2)"),
            ("pending-stopper", "User", "The workflow was deactivated. (by carol)"),
            ("condor-rm", "TMS", "ERROR: held (by tms-sub-2)"),
            ("condor-rm", "TMS", "The TMS removed the HTCondor cluster. (by tms-sub-2)"),
            ("condor-complete", "TMS", "The HTCondor cluster completed. (by tms-sub-2)"),
        ], log);
        var added2 = Descriptions(await SendAsync(host, bob, HttpMethod.Get, $"v0/taskforces/{second}", null));
        Assert.Equal(("pre-mq-activation", "User", "Added by a user's add-workers request. (by bob)"), added2[0]);
        Assert.Equal(("pending-stopper", "User", "The workflow was deactivated. (by carol)"), added2[^1]);

        Assert.Contains(host.Logs.Lines, l => l.Message.Contains($"{workflowId} created by alice", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains($"{workflowId} deactivated as ABORTED by carol", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Message.Contains($"got taskforce {second} at test-beta for bob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretsNeverReachTheLog()
    {
        var minter = TokenMinter.Symmetric();
        await using var endpoint = await TokenEndpoint.StartAsync();
        await using var mqs = await FakeMqs.StartAsync();
        await using var host = await LoggedHost.StartAsync(s =>
        {
            minter.Configure(s);
            s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
            s["MQS_TOKEN_URL"] = endpoint.Url;
            s["MQS_CLIENT_ID"] = TokenEndpoint.ClientId;
            s["MQS_CLIENT_SECRET"] = TokenEndpoint.ClientSecret;
        });
        var user = minter.User("alice");
        var tms = minter.Tms();
        var refused = new[]
        {
            minter.WrongSignature(), minter.Expired(), minter.WrongAudience(), minter.Tampered(), minter.Unsigned(),
            "not-a-jwt-but-a-secret-looking-string-0123456789", minter.NoRole(),
        };

        var created = await SendAsync(host, user, HttpMethod.Post, "v0/workflows", ValidWorkflow.Body());
        var workflowId = created["workflow"]!["workflow_id"]!.GetValue<string>();
        var uuid = created["taskforces"]![0]!["taskforce_uuid"]!.GetValue<string>();
        await WaitForPhaseAsync(host, tms, uuid, "pending-starter");
        var taskforce = await SendAsync(host, tms, HttpMethod.Get, $"v0/taskforces/{uuid}", null);
        await SendAsync(host, user, HttpMethod.Get, $"v0/mqs/workflows/{workflowId}/mq-profiles/public", null);
        foreach (var token in refused)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v0/workflows/{workflowId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await host.Http.SendAsync(request);
            Assert.Equal(403, (int)response.StatusCode);
        }

        var queueTokens = mqs.ProfilesOf(workflowId).Select(p => p.AuthToken).OfType<string>().ToList();
        Assert.NotEmpty(queueTokens);
        // The taskforce the TMS reads does carry them: that is what it hands the pilots.
        Assert.Contains(queueTokens[0], taskforce.ToJsonString(), StringComparison.Ordinal);
        var secrets = new List<(string What, string Value)>
        {
            ("MQS client secret", TokenEndpoint.ClientSecret),
            ("auth signing key", minter.SecretBase64!),
            ("user bearer token", user),
            ("user token signature", user.Split('.')[2]),
            ("TMS bearer token", tms),
        };
        secrets.AddRange(Enumerable.Range(1, endpoint.Issued).Select(n => ("MQS access token", TokenEndpoint.TokenNumber(n))));
        secrets.AddRange(queueTokens.Select(t => ("queue auth token", t)));
        secrets.AddRange(refused.Select(t => ("refused bearer token", t)));
        Assert.True(host.Logs.Lines.Count > 10, "the log is suspiciously quiet");
        foreach (var (what, value) in secrets)
        {
            var lines = host.Logs.Containing(value);
            Assert.True(lines.Count == 0, $"the {what} is in the log:\n{string.Join("\n", lines.Take(3))}");
        }
    }

    private static List<(string, string, string)> Descriptions(JsonNode taskforce) =>
        taskforce["phase_change_log"]!.AsArray().Select(e => (
            e!["target_phase"]!.GetValue<string>(),
            e["source_entity"]!.GetValue<string>(),
            e["description"]!.GetValue<string>())).ToList();

    private static async Task WaitForPhaseAsync(LoggedHost host, string token, string uuid, string phase)
    {
        string? seen = null;
        Assert.True(await Poll.UntilAsync(async () =>
        {
            seen = (await SendAsync(host, token, HttpMethod.Get, $"v0/taskforces/{uuid}", null))["phase"]!.GetValue<string>();
            return seen == phase;
        }, TimeSpan.FromSeconds(30)), $"taskforce {uuid} stayed in {seen}");
    }

    private static async Task<JsonNode> SendAsync(LoggedHost host, string token, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
