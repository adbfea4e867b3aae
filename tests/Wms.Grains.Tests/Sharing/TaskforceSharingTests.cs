using System.Text.Json;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Grains.Sharing;
using Wms.Grains.Tests.Support;
using Counts = System.Collections.Generic.Dictionary<string, long>;
using Statuses = System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, long>>;

namespace Wms.Grains.Tests.Sharing;

public sealed class TaskforceSharingTests
{
    /// <summary>A taskforce with every part filled, as one that ran for a while and was reported on.</summary>
    private static TaskforceDocument Ran() => Build.Taskforce(Phase.CondorSubmit, clusterId: 42) with
    {
        SubmitDict = new Dictionary<string, ConfigValue>
        {
            ["request_memory"] = ConfigValue.Of("512M"),
            ["request_cpus"] = ConfigValue.Of(1),
            ["transfer_input_files"] = ConfigValue.Of(["a.txt", "b.txt"]),
            ["long"] = ConfigValue.Of(new string('z', 300)),
        },
        JobEventLogFpath = "/scratch/tms/events.log",
        CompoundStatuses = new Statuses
        {
            ["Tasking"] = new Counts { ["RUNNING"] = 3, ["IDLE"] = 1 },
            ["null"] = new Counts { ["HELD"] = 2 },
        },
        TopTaskErrors = new Counts { ["HELD: Memory usage exceeds a memory limit"] = 2 },
    };

    /// <summary>An independent copy, as a read from storage makes: equal content, none of it the same instances.</summary>
    private static TaskforceDocument CopyOf(TaskforceDocument tf) =>
        JsonSerializer.Deserialize<TaskforceDocument>(WireJson.ToUtf8(tf), WireJson.Options)!;

    [Fact]
    public void TheWireDocumentIsUnchanged()
    {
        var tf = Ran();
        var shared = new TaskforceSharing().Share(CopyOf(tf));
        Assert.Equal(WireJson.ToUtf8(tf), WireJson.ToUtf8(shared));
    }

    [Fact]
    public void TwoCopiesOfTheSameTaskforceShareTheirRepeatedParts()
    {
        var sharing = new TaskforceSharing();
        var tf = Ran();
        var a = sharing.Share(CopyOf(tf));
        var b = sharing.Share(CopyOf(tf));

        // The pools are lossy: two parts of one document can hash to one slot (string hashes differ from run to run),
        // and then neither is shared. So every part is checked, and at most two may miss.
        var parts = new List<(string Part, object First, object Second)>
        {
            ("phase", a.Phase, b.Phase),
            ("schedd", a.Schedd, b.Schedd),
            ("tag", a.PilotConfig.Tag, b.PilotConfig.Tag),
            ("worker config", a.WorkerConfig, b.WorkerConfig),
            ("job event log", a.JobEventLogFpath, b.JobEventLogFpath),
            ("submit dict value", a.SubmitDict["transfer_input_files"], b.SubmitDict["transfer_input_files"]),
            ("status name", a.CompoundStatuses.Keys.First(), b.CompoundStatuses.Keys.First()),
            ("error name", a.TopTaskErrors.Keys.Single(), b.TopTaskErrors.Keys.Single()),
        };
        foreach (var (key, value) in a.PilotConfig.Environment)
        {
            parts.Add(("environment name " + key, key, b.PilotConfig.Environment.Keys.Single(k => k == key)));
            if (value.Text is not { Length: > 256 })
            {
                parts.Add(("environment value " + key, value, b.PilotConfig.Environment[key]));
            }
        }
        Assert.Equal(a.PhaseChangeLog.Count, b.PhaseChangeLog.Count);
        parts.AddRange(a.PhaseChangeLog.Zip(b.PhaseChangeLog).Select((pair, i) => ($"log entry {i}", (object)pair.First, (object)pair.Second)));
        Assert.True(parts.Count >= 12, "too few parts to tell sharing from chance");
        var missed = parts.Where(p => !ReferenceEquals(p.First, p.Second)).Select(p => p.Part).ToList();
        Assert.True(missed.Count <= 2, $"not shared: {string.Join(", ", missed)}");
    }

    [Fact]
    public void ATmsReportSharesTheNamesAStoredDocumentHolds()
    {
        var sharing = new TaskforceSharing();
        var stored = sharing.Share(CopyOf(Ran()));
        var report = sharing.Share(new StatusUpdate(
            new Statuses { [new string("Tasking")] = new Counts { [new string("RUNNING")] = 9 } },
            new Counts { [new string("HELD: Memory usage exceeds a memory limit")] = 5 }));

        Assert.Same(stored.CompoundStatuses.Keys.First(), report.CompoundStatuses!.Keys.Single());
        Assert.Same(stored.CompoundStatuses["Tasking"].Keys.First(), report.CompoundStatuses["Tasking"].Keys.Single());
        Assert.Same(stored.TopTaskErrors.Keys.Single(), report.TopTaskErrors!.Keys.Single());
        Assert.Equal(9, report.CompoundStatuses["Tasking"]["RUNNING"]);
        Assert.Equal(5, report.TopTaskErrors["HELD: Memory usage exceeds a memory limit"]);
    }

    [Fact]
    public void AMissingPartOfAReportStaysMissing()
    {
        var report = new TaskforceSharing().Share(new StatusUpdate(null, new Counts { ["x"] = 1 }));
        Assert.Null(report.CompoundStatuses);
        Assert.Equal(1, report.TopTaskErrors!["x"]);
    }

    [Fact]
    public void ASubmissionKeepsItsValues()
    {
        var submission = new CondorSubmission(
            7, 3, new Dictionary<string, ConfigValue> { ["request_cpus"] = ConfigValue.Of(4) }, "/x/log", "tms");
        var shared = new TaskforceSharing().Share(submission);
        Assert.Equal(submission.ClusterId, shared.ClusterId);
        Assert.Equal(submission.NWorkers, shared.NWorkers);
        Assert.Equal(submission.Caller, shared.Caller);
        Assert.Equal(submission.JobEventLogFpath, shared.JobEventLogFpath);
        Assert.Equal(submission.SubmitDict, shared.SubmitDict);
    }
}
