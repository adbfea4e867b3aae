using System.Text;
using Xunit.Abstractions;

namespace Wms.Api.Tests.Http1;

/// <summary>
/// The first-request judge refuses what the HTTP server refuses, with its status, and nothing it takes: shown case
/// by case on the corpus (which also pins what the server does, so that an upgrade of it that reads differently
/// fails here), and on valid requests mutated at random, sent to the server itself.
/// </summary>
public sealed class KestrelAgreementTests(BareKestrel server, ITestOutputHelper output) : IClassFixture<BareKestrel>
{
    /// <summary>
    /// How long a server that has said nothing is taken to be waiting for more, where that is what is expected;
    /// where an answer is expected, it is given much longer (a loaded machine is slow, never silent).
    /// </summary>
    private static readonly TimeSpan WaitForMore = TimeSpan.FromSeconds(1);

    private static TimeSpan Patience(ServerOutcome expected) => expected == ServerOutcome.Waiting ? WaitForMore : RawHttp.Quiet;

    public static TheoryData<string> Names() => [.. HeadCorpus.Cases.Select(c => c.Name)];

    [Fact]
    public void TheCorpusHoldsOverAHundredAndFiftyHeads() =>
        Assert.True(HeadCorpus.Cases.Count > 150, $"only {HeadCorpus.Cases.Count} heads");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task TheServerDoesWhatTheCaseSays(string name)
    {
        var head = HeadCorpus.Cases.Single(c => c.Name == name);

        Assert.Equal(head.Expected, await server.JudgeAsync(head.Bytes, Patience(head.Expected)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheJudgeDoesWhatTheServerDoes(string name)
    {
        var head = HeadCorpus.Cases.Single(c => c.Name == name);

        Assert.Equal(head.Expected, Judged.Outcome(server.Limits, head.Bytes));
    }

    [Fact]
    public async Task MutatedRequestsAreJudgedAsTheServerJudgesThem()
    {
        var random = new Random(20240611);
        var agreed = 0;
        var disagreed = new List<string>();
        for (var n = 0; n < 800; n++)
        {
            var head = HeadMutations.Next(random);
            var judged = Judged.Outcome(server.Limits, head);
            var outcome = await server.JudgeAsync(head, Patience(judged));
            if (judged == outcome)
            {
                agreed++;
            }
            else
            {
                disagreed.Add($"judged {judged}, server {outcome}: {Shown(head)}");
            }
        }
        output.WriteLine($"{agreed} agreed");
        Assert.True(disagreed.Count == 0, string.Join("\n", disagreed));
    }

    private static string Shown(byte[] head)
    {
        var text = new StringBuilder();
        foreach (var b in head)
        {
            text.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        }
        return text.ToString();
    }
}
