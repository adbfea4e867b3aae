using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

public class PendingStarterOfferTests
{
    private const string JobEventLog = "/scratch/ewms/2026-05-04.tms.jel";

    /// <summary>Every key TMS v1.2.4 reads from a pending-starter answer.</summary>
    public static TheoryData<string> KeysTheTmsReads => new(
        "taskforce",
        "task_directive",
        "mqprofiles",
        "task_directive.task_image",
        "task_directive.task_args",
        "task_directive.init_image",
        "task_directive.init_args",
        "task_directive.task_env",
        "task_directive.init_env",
        "task_directive.input_queues",
        "task_directive.output_queues",
        "mqprofiles[0].mqid",
        "mqprofiles[0].auth_token",
        "mqprofiles[0].broker_type",
        "mqprofiles[0].broker_address",
        "mqprofiles[1].mqid",
        "mqprofiles[1].auth_token",
        "mqprofiles[1].broker_type",
        "mqprofiles[1].broker_address",
        "taskforce.taskforce_uuid",
        "taskforce.n_workers",
        "taskforce.pilot_config",
        "taskforce.pilot_config.environment",
        "taskforce.pilot_config.input_files",
        "taskforce.pilot_config.image_source",
        "taskforce.pilot_config.tag",
        "taskforce.worker_config",
        "taskforce.worker_config.condor_requirements",
        "taskforce.worker_config.n_cores",
        "taskforce.worker_config.worker_memory",
        "taskforce.worker_config.worker_disk",
        "taskforce.worker_config.priority",
        "taskforce.worker_config.max_worker_runtime",
        "taskforce.worker_config.do_transfer_worker_stdouterr");

    [Fact]
    public void A_null_profile_value_is_kept_first_and_becomes_None_when_appended()
    {
        var answer = Samples.PendingStarterAnswer();
        answer["task_directive"]!["input_queues"] = new JsonArray(Samples.InputQueue, Samples.OutputQueue);
        answer["mqprofiles"]![1]!["auth_token"] = null;

        var offer = PendingStarterOffer.Read(answer, JobEventLog);

        Assert.Equal($"token-{Samples.InputQueue};None", offer.Variable("EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"));
        Assert.Null(offer.Environment["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"]);
        Assert.True(offer.Environment.ContainsKey("EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"));
    }

    [Theory]
    [MemberData(nameof(KeysTheTmsReads))]
    public void Reading_an_answer_without_a_key_the_tms_reads_throws_at_that_key(string key)
    {
        var answer = Samples.PendingStarterAnswer();
        AnswerPath.Remove(answer, key);

        var error = Assert.Throws<TmsCrashException>(() => PendingStarterOffer.Read(answer, JobEventLog));

        Assert.Equal(key, error.Where);
        Assert.Contains("KeyError", error.Message);
    }

    [Theory]
    [InlineData("taskforce.pilot_config.image_source", "\"docker\"")]
    [InlineData("taskforce.worker_config.condor_requirements", "5")]
    [InlineData("taskforce.worker_config.priority", "\"high\"")]
    [InlineData("taskforce.worker_config.worker_memory", "\"lots\"")]
    [InlineData("taskforce.worker_config.worker_disk", "null")]
    [InlineData("taskforce.n_workers", "null")]
    [InlineData("taskforce.pilot_config.input_files", "\"/data/a\"")]
    [InlineData("taskforce.pilot_config.environment", "[]")]
    [InlineData("mqprofiles", "{}")]
    public void A_value_the_tms_cannot_use_throws_at_that_key(string key, string json)
    {
        var answer = Samples.PendingStarterAnswer();
        var (parent, name) = AnswerPath.Locate(answer, key);
        parent[name] = JsonNode.Parse(json);

        Assert.Equal(key, Assert.Throws<TmsCrashException>(() => PendingStarterOffer.Read(answer, JobEventLog)).Where);
    }

    [Theory]
    [InlineData("\"8GB\"", "8 GB")]
    [InlineData("\"8 GiB\"", "8 GB")]
    [InlineData("\"1.5 gb\"", "1.5 GB")]
    [InlineData("\"2048 MB\"", "2 GB")]
    [InlineData("\"100M\"", "100 MB")]
    [InlineData("1073741824", "1 GB")]
    [InlineData("\"1073741824\"", "1 GB")]
    [InlineData("512", "512 bytes")]
    [InlineData("\"3 TB\"", "3 TB")]
    public void Sizes_are_rewritten_as_the_tms_rewrites_them(string memory, string expected)
    {
        var answer = Samples.PendingStarterAnswer();
        answer["taskforce"]!["worker_config"]!["worker_memory"] = JsonNode.Parse(memory);

        var offer = PendingStarterOffer.Read(answer, JobEventLog);

        Assert.Equal(expected, (string?)offer.SubmitDict["request_memory"]);
    }

    [Fact]
    public void Values_are_written_as_python_writes_them()
    {
        var answer = Samples.PendingStarterAnswer();
        answer["task_directive"]!["init_env"] = JsonNode.Parse("""{"A": "x\ty\n", "B": "\u00e9", "C": "\u0001/"}""");
        answer["taskforce"]!["pilot_config"]!["environment"]!["EWMS_PILOT_QUEUE_INCOMING"] =
            JsonNode.Parse("""["it's", "say \"hi\"", 3, 1.5, 1e3, null, true]""");

        var offer = PendingStarterOffer.Read(answer, JobEventLog);

        Assert.Equal("""{"A": "x\ty\n", "B": "\u00e9", "C": "\u0001/"}""", offer.Variable("EWMS_PILOT_INIT_ENV_JSON"));
        Assert.Equal($$"""["it's", 'say "hi"', 3, 1.5, 1000.0, None, True];{{Samples.InputQueue}}""", offer.Variable("EWMS_PILOT_QUEUE_INCOMING"));
    }
}
