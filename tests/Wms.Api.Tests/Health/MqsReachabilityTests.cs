using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wms.Grains.Mqs;
using Wms.Silo.Health;

namespace Wms.Api.Tests.Health;

/// <summary>
/// The MQS probe behind readiness: one request stands for a few seconds and is shared by every probe meanwhile, so
/// that probes never load the MQS; what counts as an answer; and what the description shows of the address.
/// </summary>
public sealed class MqsReachabilityTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task OneRequestStandsForAFewSecondsForEveryProbe()
    {
        var mqs = new StubMqs(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)));
        var reachability = Reachability(mqs, "http://mqs.example:8080/");

        for (var n = 0; n < 5; n++)
        {
            Assert.True((await reachability.ProbeAsync()).Reachable);
        }
        _clock.Advance(MqsReachability.Freshness - TimeSpan.FromMilliseconds(1));
        await reachability.ProbeAsync();
        Assert.Equal(1, mqs.Requests);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await reachability.ProbeAsync();
        await reachability.ProbeAsync();
        Assert.Equal(2, mqs.Requests);
    }

    [Fact]
    public async Task ProbesThatArriveWhileOneIsOutShareIt()
    {
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mqs = new StubMqs(_ => answer.Task);
        var reachability = Reachability(mqs, "http://mqs.example/");

        var probes = Enumerable.Range(0, 4).Select(_ => reachability.ProbeAsync()).ToList();
        _clock.Advance(MqsReachability.Freshness * 2);
        probes.Add(reachability.ProbeAsync());
        answer.SetResult(new HttpResponseMessage(HttpStatusCode.OK));

        Assert.All(await Task.WhenAll(probes), p => Assert.True(p.Reachable));
        Assert.Equal(1, mqs.Requests);
    }

    [Fact]
    public async Task AnyAnswerBelow500IsTheMqsAnswering()
    {
        var reachability = Reachability(
            new StubMqs(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized))), "https://mqs.example/");

        var probe = await reachability.ProbeAsync();

        Assert.True(probe.Reachable);
        Assert.Equal("the MQS at https://mqs.example answers (HTTP 401)", probe.Description);
    }

    [Fact]
    public async Task A5xxAnswerIsNotTheMqsAnswering()
    {
        var reachability = Reachability(
            new StubMqs(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway))), "https://mqs.example/");

        var probe = await reachability.ProbeAsync();

        Assert.False(probe.Reachable);
        Assert.Equal("the MQS at https://mqs.example answers HTTP 502", probe.Description);
    }

    [Fact]
    public async Task ARefusedConnectionIsUnreachable()
    {
        var reachability = Reachability(
            new StubMqs(_ => throw new HttpRequestException("Connection refused (mqs.example:443)")), "https://mqs.example/");

        var probe = await reachability.ProbeAsync();

        Assert.False(probe.Reachable);
        Assert.Equal("the MQS at https://mqs.example cannot be reached: Connection refused (mqs.example:443)", probe.Description);
    }

    [Fact]
    public async Task AnMqsThatDoesNotAnswerInTimeIsUnreachable()
    {
        var reachability = Reachability(new StubMqs(async cancel =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancel);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }), "http://mqs.example/");

        var probe = reachability.ProbeAsync();
        Assert.False(probe.IsCompleted);
        _clock.Advance(MqsReachability.Timeout);

        Assert.Equal("the MQS at http://mqs.example cannot be reached: no answer within 2 s", (await probe).Description);
    }

    [Fact]
    public async Task CredentialsAndPathOfTheAddressAreNotShown()
    {
        var mqs = new StubMqs(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)));
        var reachability = Reachability(mqs, "https://wms:s3cret@mqs.example:8443/prefix/");

        var probe = await reachability.ProbeAsync();

        Assert.Equal("the MQS at https://mqs.example:8443 answers (HTTP 404)", probe.Description);
        Assert.Equal("https://wms:s3cret@mqs.example:8443/prefix/", mqs.LastUri?.OriginalString);
    }

    private MqsReachability Reachability(StubMqs mqs, string address) =>
        new(mqs, Options.Create(new MqsOptions { Address = address }), _clock);

    /// <summary>An MQS that answers as told, counting requests; it is its own client factory.</summary>
    private sealed class StubMqs(Func<CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler, IHttpClientFactory
    {
        private int _requests;

        public int Requests => _requests;

        public Uri? LastUri { get; private set; }

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            LastUri = request.RequestUri;
            return answer(cancellationToken);
        }
    }
}
