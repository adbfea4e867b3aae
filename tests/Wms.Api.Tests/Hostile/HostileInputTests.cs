using System.Net;
using System.Text;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.BadInput;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Hostile;

/// <summary>
/// Every request of <see cref="HostileCorpus"/> against a production-like host: the 4xx it must get (never 5xx),
/// the contract's error body with no stack trace or .NET name in it, the security headers, and not the smallest
/// change to any stored object. Afterwards the service is still healthy.
/// </summary>
[Collection(HostileServerCollection.Name)]
public sealed class HostileInputTests(HostileServer server)
{
    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in HostileCorpus.Cases.Keys)
        {
            names.Add(name);
        }
        return names;
    }

    [Fact]
    public void TheCorpusHoldsAtLeastAHundredRequests() =>
        Assert.True(HostileCorpus.Cases.Count >= 100, $"only {HostileCorpus.Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task IsRefusedCleanlyAndChangesNothing(string name)
    {
        var hostile = HostileCorpus.Cases[name];
        var before = await server.SnapshotAsync();

        var problem = await SendAndCheckAsync(hostile);

        Assert.True(problem is null, problem);
        Assert.Equal(before, await server.SnapshotAsync());
    }

    [Fact]
    public async Task TheServiceIsHealthyAndUnchangedAfterTheWholeCorpus()
    {
        var before = await server.SnapshotAsync();
        var problems = new List<string>();
        foreach (var (name, hostile) in HostileCorpus.Cases)
        {
            if (await SendAndCheckAsync(hostile) is { } problem)
            {
                problems.Add($"{name}: {problem}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(before, await server.SnapshotAsync());

        using var root = await server.SendAsync(HttpMethod.Get, "v0/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Null(Answers.SecurityHeadersProblem(root));
        var created = await server.CreateAsync(ValidWorkflow.Body());
        await server.WaitForPhasesAsync(created.Taskforces, "pending-starter");
        using var schema = await server.SendAsync(HttpMethod.Get, "v0/schema/openapi");
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Null(Answers.SecurityHeadersProblem(schema));
    }

    [Fact]
    public async Task TheDefaultBodyLimitIsSixteenMebibytes()
    {
        var minter = TokenMinter.Symmetric();
        await using var defaults = await WmsServer.StartAsync(minter.Configure);
        async Task<HttpResponseMessage> PostAsync(int bytes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v0/query/workflows");
            request.Headers.Authorization = new("Bearer", minter.User());
            request.Headers.ExpectContinue = true;
            // A valid query padded with whitespace to the size wanted.
            var body = new byte[bytes];
            Array.Fill(body, (byte)' ');
            Encoding.UTF8.GetBytes("{\"query\": {}}").CopyTo(body, 0);
            request.Content = new ByteArrayContent(body);
            return await defaults.Http.SendAsync(request);
        }

        using var atLimit = await PostAsync(16 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        using var past = await PostAsync(16 * 1024 * 1024 + 1);
        Assert.Null(Answers.ContractErrorProblem(past, await past.Content.ReadAsStringAsync(), 413, HostileCorpus.TooLarge));
        Assert.Null(Answers.SecurityHeadersProblem(past));
    }

    /// <summary>Null when the answer is what the case wants; else what is wrong.</summary>
    private async Task<string?> SendAndCheckAsync(HostileCase hostile)
    {
        HttpResponseMessage response;
        // An upload refused for its size is answered 413 and the connection closed with the rest of the upload
        // unread; the kernel then resets the connection, and a client still sending can meet the reset before it
        // reads the answer. Such a case gets two more tries, and one of them must read the 413.
        var tries = hostile.Chunked && hostile.Status == 413 ? 3 : 1;
        for (var attempt = 1; ; attempt++)
        {
            using var request = hostile.ToRequest(server.Ids, server.Token);
            try
            {
                response = await server.Http.SendAsync(request);
                break;
            }
            catch (HttpRequestException e) when (attempt >= tries)
            {
                return $"no answer: {e.Message}";
            }
            catch (HttpRequestException)
            {
            }
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status != hostile.Status)
            {
                return $"expected {hostile.Status}, got {status}: {Answers.Clip(text)}";
            }
            if (status is < 400 or >= 500)
            {
                return $"{status} is not a 4xx";
            }
            if (Answers.InternalsProblem(text) is { } shown)
            {
                return shown;
            }
            if (Answers.InternalsProblem(response.ReasonPhrase ?? "") is { } reason)
            {
                return "reason phrase: " + reason;
            }
            if (hostile.RefusedByServer)
            {
                return null;
            }
            return Answers.ContractErrorProblem(response, text, hostile.Status, hostile.Error)
                ?? Answers.SecurityHeadersProblem(response);
        }
    }
}
