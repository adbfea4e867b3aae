using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wms.Testing;
using static Wms.Api.Tests.Lifecycle.Flow;

namespace Wms.Api.Tests.Auth;

/// <summary>
/// The public-profile read against an MQS that checks roles as the real one does: it admits only users, so the
/// service passes on the user's own token rather than its own system-wms token.
/// </summary>
public sealed class PublicProfilesForwardingTests
{
    [Fact]
    public async Task AUsersOwnTokenReachesTheMqsAndTheUserGetsTheProfiles()
    {
        await using var issuer = await OpenIdTestIssuer.StartAsync();
        await using var mqs = await FakeMqs.StartAsync();
        mqs.TokenValidator = issuer.Minter.ValidateAsync;
        await using var host = await LoggedHost.StartAsync(s =>
        {
            s["MQS_ADDRESS"] = mqs.BaseAddress.ToString();
            issuer.ConfigureMqsCredentials(s);
            issuer.Configure(s);
        });
        var token = issuer.Minter.User("alice");
        using var alice = new HttpClient { BaseAddress = host.BaseAddress };
        alice.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var request = Workflow([Task([Alpha], ["events"], ["results"])], ["results"]);
        using var created = await alice.PostAsync("v0/workflows", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var creation = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.True(created.IsSuccessStatusCode, creation.ToJsonString());
        var workflowId = Text(creation["workflow"]!["workflow_id"]);
        var uuid = Text(creation["taskforces"]![0]!["taskforce_uuid"]);
        string? phase = null;
        Assert.True(await Poll.UntilAsync(async () =>
        {
            phase = Text(JsonNode.Parse(await alice.GetStringAsync($"v0/taskforces/{uuid}"))!["phase"]);
            return phase == PendingStarter;
        }, TimeSpan.FromSeconds(30)), $"the taskforce stayed in {phase}");

        using var answer = await alice.GetAsync($"v0/mqs/workflows/{workflowId}/mq-profiles/public");
        var text = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var profile = Assert.Single(JsonNode.Parse(text)!["mqprofiles"]!.AsArray())!;
        Assert.Equal("results", Text(profile["alias"]));
        Assert.True(profile["is_activated"]!.GetValue<bool>());
        Assert.Equal(mqs.ProfilesOf(workflowId).Single(p => p.Alias == "results").AuthToken, Text(profile["auth_token"]));
        var read = Assert.Single(mqs.PublicProfileReads);
        Assert.Equal(("Bearer " + token, MqsCallOutcome.Listed), (read.Authorization, read.Outcome));
        // The service's own calls kept its own token, which the MQS admitted.
        Assert.Equal(MqsCallOutcome.Reserved, Assert.Single(mqs.Reservations).Outcome);
        Assert.Equal(MqsCallOutcome.Granted, Assert.Single(mqs.Activations).Outcome);
        Assert.Empty(host.Logs.Containing(token));
    }
}
