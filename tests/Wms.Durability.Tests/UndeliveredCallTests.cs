using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Testing;
using Xunit.Abstractions;

namespace Wms.Durability.Tests;

/// <summary>
/// Two silos on PostgreSQL: grains living on one of them, reached through the API of the other, and the first
/// killed while calls to them keep arriving. Calls that could not reach the dead silo are sent once more, once it has
/// been declared dead, and are answered by the grains' new activations. No client gets anything but a 2xx, or a 503
/// with a Retry-After (a call that was on its way when the silo died may have run, so it is not sent again).
/// </summary>
public sealed class UndeliveredCallTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>How often a call goes out: enough that many arrive while the killed silo is not yet declared dead.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);

    private static readonly Dictionary<string, string> Settings = new()
    {
        // The resends, and the failures answered 503, in the silos' output.
        ["Logging__LogLevel__Wms.Api.Errors"] = "Information",
    };

    [Fact]
    public async Task CallsThatCouldNotReachAKilledSiloAreSentOnceMoreAndAnswered()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await using var home = new SiloProcess(database, Settings);
        await using var front = new SiloProcess(database, Settings);

        // Alone in the cluster, the home silo holds every grain the test calls: each workflow's from its creation and
        // queue activation, each taskforce's from its launch.
        await home.StartAsync();
        var (workflows, taskforces) = await CreateAndLaunchAsync(home);
        // Kept busy (Orleans collects an idle grain after 30 s) until the calls through the front silo take over.
        using var warm = new CancellationTokenSource();
        var warming = Task.Run(async () =>
        {
            while (!warm.IsCancellationRequested)
            {
                foreach (var request in Requests(workflows, taskforces).Take(workflows.Count + taskforces.Count))
                {
                    using var answer = await request(home.Http);
                }
            }
        });
        await front.StartAsync();
        Assert.True(await Poll.UntilAsync(async () => await ActiveSilosAsync(front) == 2, Deadline), front.Output);

        var answers = new ConcurrentQueue<Answer>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(() => SendAtPaceAsync(front, Requests(workflows, taskforces), clock, answers, stop.Token));
        TimeSpan killedAt, declaredAt;
        try
        {
            // The front silo reaches the grains on the home silo.
            Assert.True(await Poll.UntilAsync(() => answers.Count >= 50, Deadline), front.Output);
            await warm.CancelAsync();
            await warming;
            Assert.All(answers, a => Assert.Equal(200, a.Status));

            await home.KillAsync();
            killedAt = clock.Elapsed;
            Assert.True(await Poll.UntilAsync(async () => await ActiveSilosAsync(front) == 1, Deadline), front.Output);
            declaredAt = clock.Elapsed;
            // Long enough after the declaration that every call sent before it has had its answer.
            var answeredByThen = answers.Count;
            Assert.True(await Poll.UntilAsync(() => answers.Count >= answeredByThen + 300, Deadline), front.Output);
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        var refused = answers.Where(a => a.Status is not (>= 200 and < 300) && !(a.Status == 503 && a.RetryAfter)).ToList();
        Assert.True(refused.Count == 0, $"answered otherwise than 2xx or 503 with Retry-After:\n{string.Join("\n", refused.Take(20))}");
        var resends = Lines(front.Output, "never reached its grain");
        Assert.True(resends.Count > 0, $"no call was sent once more:\n{front.Output}");
        // Sent once more after the dead silo was declared so, a call is answered by the grain's new activation.
        var afterTheDeath = resends.Where(r => r.Contains("once a silo had left the cluster", StringComparison.Ordinal)).ToList();
        Assert.True(afterTheDeath.Count > 0, $"no call was sent once more after the silo had left:\n{string.Join("\n", resends.Take(20))}");
        Assert.All(afterTheDeath, r => Assert.EndsWith(": answered", r, StringComparison.Ordinal));
        // So the calls sent while the dead silo was not yet declared so are answered, nearly all (but for those
        // that were on their way when it died, which may have run).
        var during = answers.Where(a => a.SentAt > killedAt && a.SentAt < declaredAt).ToList();
        Assert.True(during.Count(a => a.Status == 200) * 2 > during.Count,
            $"of {during.Count} calls sent between the kill and the declaration, only {during.Count(a => a.Status == 200)} were answered 200");
        var answeredAtTheSecondSend = resends.Count(r => r.EndsWith(": answered", StringComparison.Ordinal));

        // For the record (test output): what the clients saw around the kill.
        output.WriteLine($"killed at {killedAt.TotalSeconds:F2} s, seen declared dead at {declaredAt.TotalSeconds:F2} s; " +
            $"{answers.Count} answers, {answers.Count(a => a.Status == 503)} of them 503; of the {during.Count} calls sent in between, " +
            $"{during.Count(a => a.Status == 200)} answered 200; {resends.Count} calls sent once more, {answeredAtTheSecondSend} answered then");
        foreach (var line in resends.Where(r => !r.EndsWith(": answered", StringComparison.Ordinal)).Take(10))
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Six workflows made through <paramref name="silo"/>, once all their taskforces wait for the TMS.</summary>
    private static async Task<(List<string> Workflows, List<string> Taskforces)> CreateAndLaunchAsync(SiloProcess silo)
    {
        var workflows = new List<string>();
        var taskforces = new List<string>();
        for (var n = 0; n < 6; n++)
        {
            using var response = await silo.Http.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(n));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            workflows.Add(created["workflow"]!["workflow_id"]!.GetValue<string>());
            taskforces.AddRange(created["taskforces"]!.AsArray().Select(t => t!["taskforce_uuid"]!.GetValue<string>()));
        }
        Assert.True(await Poll.UntilAsync(async () =>
        {
            var phases = await WorkflowShapes.FindAsync(silo.Http, "taskforces", [], "phase");
            return phases.Count == taskforces.Count && phases.All(t => t!["phase"]!.GetValue<string>() == "pending-starter");
        }, Deadline), silo.Output);
        return (workflows, taskforces);
    }

    /// <summary>
    /// Calls that reach those grains, in turn, for ever: a TMS report on a taskforce (a write, to its grain) and a
    /// user's read of a workflow's public queues (which its grain answers).
    /// </summary>
    private static IEnumerable<Func<HttpClient, Task<HttpResponseMessage>>> Requests(List<string> workflows, List<string> taskforces)
    {
        for (var n = 0; ; n++)
        {
            var taskforce = taskforces[n % taskforces.Count];
            var round = n;
            yield return http => http.PostAsJsonAsync("v0/tms/statuses/taskforces", new JsonObject
            {
                ["compound_statuses_by_taskforce"] = new JsonObject
                {
                    [taskforce] = new JsonObject { ["RUNNING"] = new JsonObject { ["Tasking"] = round } },
                },
            });
            var workflow = workflows[n % workflows.Count];
            yield return http => http.GetAsync($"v0/mqs/workflows/{workflow}/mq-profiles/public");
        }
    }

    /// <summary>One call every <see cref="Pace"/>, each on its own, whatever the others are waiting for.</summary>
    private static async Task SendAtPaceAsync(SiloProcess silo, IEnumerable<Func<HttpClient, Task<HttpResponseMessage>>> requests,
        Stopwatch clock, ConcurrentQueue<Answer> answers, CancellationToken stop)
    {
        var sent = new List<Task>();
        using var pace = new PeriodicTimer(Pace);
        using var next = requests.GetEnumerator();
        while (next.MoveNext() && await Ticked(pace, stop))
        {
            var request = next.Current;
            sent.Add(Task.Run(async () =>
            {
                var sentAt = clock.Elapsed;
                try
                {
                    using var response = await request(silo.Http);
                    var body = await response.Content.ReadAsStringAsync();
                    answers.Enqueue(new Answer(sentAt, (int)response.StatusCode, response.Headers.RetryAfter is not null, body));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answers.Enqueue(new Answer(sentAt, 0, false, e.Message));
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(sent);
    }

    private static async Task<bool> Ticked(PeriodicTimer pace, CancellationToken stop)
    {
        try
        {
            return await pace.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>How many silos <paramref name="silo"/>'s readiness says are active; 0 when it does not answer.</summary>
    private static async Task<int> ActiveSilosAsync(SiloProcess silo)
    {
        try
        {
            using var answer = await silo.Http.GetAsync("readyz");
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            return body["checks"]!["silo"]!["data"]!["active_silos"]!.GetValue<int>();
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static List<string> Lines(string text, string part) =>
        [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(part, StringComparison.Ordinal))];

    /// <summary>One call's answer: when it was sent, its status (0: none came) and whether it said when to retry.</summary>
    private sealed record Answer(TimeSpan SentAt, int Status, bool RetryAfter, string Body)
    {
        public override string ToString() => $"sent at {SentAt.TotalSeconds:F2} s: {Status} {Body[..Math.Min(200, Body.Length)]}";
    }
}
