using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.GrainInterfaces.State;
using Counts = System.Collections.Generic.Dictionary<string, long>;
using Statuses = System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, long>>;

namespace Wms.Grains.Tests.Storage;

/// <summary>
/// Grain state is stored as Orleans' binary serialization of the state types, so moving, renaming or retyping a
/// state member can make stored rows unreadable. Each state here is pinned to the bytes it is stored as; a change
/// that alters them alters the storage format and needs a migration, not a new golden value. Adding a member is the
/// one change that needs neither: rows written without it still read. The bytes from before each addition stay
/// pinned here, and must read back as the same state.
/// </summary>
public sealed class StoredStateFormatTests
{
    private static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static TaskforceDocument SampleTaskforce() => new()
    {
        TaskforceUuid = "TF-6566f2c0-0a1b2c3d-11223344-55667788",
        TaskId = "TK-6566f2c0-0a1b2c3d-11223344",
        WorkflowId = "WF-6566f2c0-0a1b2c3d",
        Timestamp = 1701245632.125,
        Collector = "COLLECTOR1",
        Schedd = "SCHEDD1",
        NWorkers = 3,
        PilotConfig = new PilotConfig
        {
            Tag = "1.2.3",
            Environment = new Dictionary<string, ConfigValue>
            {
                ["USER_VAR"] = ConfigValue.Of("user value"),
                ["EWMS_PILOT_QUEUE_INCOMING"] = ConfigValue.Of(["mq-1", "mq-2"]),
                ["N"] = ConfigValue.Of(7),
            },
            InputFiles = ["/data/input.txt"],
        },
        WorkerConfig = new WorkerConfig
        {
            DoTransferWorkerStdouterr = true,
            MaxWorkerRuntime = 3600,
            NCores = 1,
            Priority = 10,
            WorkerDisk = "1G",
            WorkerMemory = "512M",
        },
        ClusterId = 104501,
        SubmitDict = new Dictionary<string, ConfigValue>
        {
            ["request_cpus"] = ConfigValue.Of(1),
            ["+FileSystemDomain"] = ConfigValue.Of("blah"),
        },
        JobEventLogFpath = "/scratch/tms.log",
        Phase = Phase.CondorSubmit,
        PhaseChangeLog =
        [
            new PhaseChangeLogEntry
            {
                TargetPhase = Phase.PreMqActivation,
                Timestamp = 1701245632.125,
                WasSuccessful = true,
                SourceEventTime = null,
                SourceEntity = SourceEntity.User,
                Description = "During initial workflow creation.",
            },
        ],
        CompoundStatuses = new Statuses { ["RUNNING"] = new Counts { ["Tasking"] = 8, ["null"] = 2 } },
        TopTaskErrors = new Counts { ["HELD: Memory usage exceeds a memory limit"] = 1 },
    };

    private static TaskSpec SampleTask() => new()
    {
        ClusterLocations = [new ClusterLocation("test-alpha", "COLLECTOR1", "SCHEDD1")],
        TaskImage = "/cvmfs/images/task:1",
        TaskArgs = "--in a --out b",
        TaskEnvJson = "{\"A\":\"1\"}",
        InitImage = "/cvmfs/images/init:1",
        InitArgs = "--init",
        InitEnvJson = null,
        InputQueueAliases = ["in-q"],
        OutputQueueAliases = ["out-q"],
        PilotConfig = SampleTaskforce().PilotConfig,
        WorkerConfig = SampleTaskforce().WorkerConfig,
        NWorkers = 3,
    };

    private static MqProfile SampleProfile() => new()
    {
        MqId = "mq-1",
        Alias = "in-q",
        IsPublic = true,
        IsActivated = true,
        AuthToken = "token",
        BrokerType = "rabbitmq",
        BrokerAddress = "localhost",
    };

    private static WorkflowState SampleWorkflowState() => new()
    {
        Workflow = new WorkflowDocument
        {
            WorkflowId = "WF-6566f2c0-0a1b2c3d",
            Timestamp = 1701245632.125,
            Priority = 10,
            MqActivatedTs = 1701245633.5,
            MqActivationRetryAtTs = null,
            Deactivated = Deactivation.Finished,
            DeactivatedTs = 1701245700.25,
        },
        Revision = 4,
        Spec = new WorkflowSpec
        {
            Priority = 10,
            PublicQueueAliases = ["in-q"],
            Tasks = [SampleTask()],
            CreatedBy = "alice",
            SubmissionKey = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
        },
        ReservationAttempted = true,
        ReservedProfiles = [SampleProfile() with { IsActivated = false, AuthToken = null }],
        Tasks =
        [
            new WorkflowTask
            {
                TaskId = "TK-6566f2c0-0a1b2c3d-11223344",
                SpecIndex = 0,
                InputQueues = ["mq-1"],
                OutputQueues = ["mq-2"],
                TaskforceUuids = ["TF-6566f2c0-0a1b2c3d-11223344-55667788"],
            },
        ],
        ActivatedProfiles = [SampleProfile()],
        ActivationFailures = 2,
        DeactivationPropagated = true,
        PendingTaskforce = SampleTaskforce(),
        DeactivatedBy = "bob",
        CreationIndexed = true,
    };

    private static TaskforceState SampleTaskforceState() => new()
    {
        Taskforce = SampleTaskforce(),
        Revision = 7,
        AppliedDeactivationTs = 1701245700.25,
        AppliedDeactivationMoved = true,
    };

    private static TaskDirectiveState SampleTaskDirectiveState() => new()
    {
        Directive = new TaskDirectiveDocument
        {
            TaskId = "TK-6566f2c0-0a1b2c3d-11223344",
            WorkflowId = "WF-6566f2c0-0a1b2c3d",
            Timestamp = 1701245632.125,
            ClusterLocations = ["test-alpha"],
            TaskImage = "/cvmfs/images/task:1",
            TaskArgs = "--in a --out b",
            InputQueues = ["mq-1"],
            OutputQueues = ["mq-2"],
        },
    };

    public static TheoryData<string> States => ["workflow", "taskforce", "taskdirective"];

    private static object Sample(string name) => name switch
    {
        "workflow" => SampleWorkflowState(),
        "taskforce" => SampleTaskforceState(),
        _ => SampleTaskDirectiveState(),
    };

    private static string Golden(string name) => name switch
    {
        "workflow" => GoldenWorkflow,
        "taskforce" => GoldenTaskforce,
        _ => GoldenTaskDirective,
    };

    [Theory]
    [MemberData(nameof(States))]
    public void StateIsStoredAsThePinnedBytes(string name) =>
        Assert.Equal(Golden(name), Convert.ToBase64String(Serializer.SerializeToArray(Sample(name))));

    [Theory]
    [MemberData(nameof(States))]
    public void PinnedBytesReadBackAsTheSameState(string name)
    {
        var bytes = Convert.FromBase64String(Golden(name));
        object? read = name switch
        {
            "workflow" => Serializer.Deserialize<WorkflowState>(bytes),
            "taskforce" => Serializer.Deserialize<TaskforceState>(bytes),
            _ => Serializer.Deserialize<TaskDirectiveState>(bytes),
        };
        // Equal bytes on the way back out mean every member was read, including nested records and lists.
        Assert.Equal(Golden(name), Convert.ToBase64String(Serializer.SerializeToArray(read)));
    }

    [Theory]
    [MemberData(nameof(States))]
    public void BytesWrittenBeforeV1ReadBackAsTheSameState(string name)
    {
        var bytes = Convert.FromBase64String(GoldenBeforeV1(name));
        object? read = name switch
        {
            "workflow" => Serializer.Deserialize<WorkflowState>(bytes),
            "taskforce" => Serializer.Deserialize<TaskforceState>(bytes),
            _ => Serializer.Deserialize<TaskDirectiveState>(bytes),
        };
        // The new members read as absent, so the state is the sample's, which sets none of them.
        Assert.Equal(Golden(name), Convert.ToBase64String(Serializer.SerializeToArray(read)));
    }

    [Fact]
    public void WorkflowBytesWrittenBeforeTheActivationEvidenceReadBackAsTheSameState()
    {
        var read = Serializer.Deserialize<WorkflowState>(Convert.FromBase64String(GoldenWorkflowBeforeActivationEvidence))!;
        Assert.Equal(GoldenWorkflow, Convert.ToBase64String(Serializer.SerializeToArray<object>(read)));
        Assert.Equal((null, null, false),
            (read.LastActivationAttemptTs, read.LastActivationError, read.LastActivationTryAgainLater));
    }

    [Fact]
    public void TheActivationEvidenceIsStoredAndReadBack()
    {
        var state = SampleWorkflowState();
        state.LastActivationAttemptTs = 1701245633.25;
        state.LastActivationError = "the MQS answered 503";
        state.LastActivationTryAgainLater = true;
        var read = Serializer.Deserialize<WorkflowState>(Serializer.SerializeToArray(state))!;
        Assert.Equal((1701245633.25, "the MQS answered 503", true),
            (read.LastActivationAttemptTs, read.LastActivationError, read.LastActivationTryAgainLater));
    }

    [Fact]
    public void MembersAbsentFromOldBytesShowTheirDefaults()
    {
        var taskforce = Serializer.Deserialize<TaskforceState>(Convert.FromBase64String(GoldenTaskforceBeforeV1))!.Taskforce!;
        Assert.Equal(Priorities.Unrecorded, taskforce.Priority);
        Assert.Equal("", taskforce.WorkerConfig.CondorRequirements);
        Assert.False(taskforce.WorkerConfig.WorkerDiskIsInteger);
        Assert.Equal("1G", taskforce.WorkerConfig.WorkerDisk);
        var directive = Serializer.Deserialize<TaskDirectiveState>(Convert.FromBase64String(GoldenTaskDirectiveBeforeV1))!
            .Directive!;
        Assert.Empty(directive.TaskEnv);
        Assert.Empty(directive.InitEnv);
        Assert.Equal("", directive.InitImage);
        Assert.Equal("", directive.InitArgs);
    }

    private static string GoldenBeforeV1(string name) => name switch
    {
        "workflow" => GoldenWorkflowBeforeV1,
        "taskforce" => GoldenTaskforceBeforeV1,
        _ => GoldenTaskDirectiveBeforeV1,
    };

    private const string GoldenWorkflow =
        "MAECkYcZI1dtcy5Xb3JrZmxvd1N0YXRlIOhAKVdGLTY1NjZmMmMwLTBhMWIyYzNkgQAACLC8WdlBASmBAABgsLxZ2UHBAUER"
        + "RklOSVNIRUSBAAAQwbxZ2UHgAREh6AApIQADQQlpbi1x4CEAAyHoIAADIehAFXRlc3QtYWxwaGFBFUNPTExFQ1RPUjFBD1ND"
        + "SEVERDHg4EEpL2N2bWZzL2ltYWdlcy90YXNrOjFBHS0taW4gYSAtLW91dCBiQRN7IkEiOiIxIn1BKS9jdm1mcy9pbWFnZXMv"
        + "aW5pdDoxQQ0tLWluaXTBASEAA8Ef4CEAA0ELb3V0LXHgIehACzEuMi4zIQEHQRFVU0VSX1ZBUiDoQBV1c2VyIHZhbHVlwQHB"
        + "AeBAM0VXTVNfUElMT1RfUVVFVUVfSU5DT01JTkcg6MABwQEhAAVBCW1xLTFACW1xLTLg4EADTiDowAEBHcEB4OAhAANBHy9k"
        + "YXRhL2lucHV0LnR4dODgIegAAwGCcAEFASlBBTFHQQk1MTJNwQEBAQEB4AEN4OBBC2FsaWNlQSFbrY8Py9mfRqFlcIZ3KJUO"
        + "CQMB4AEDIQADIejAacEfAQMBAcEBQRFyYWJiaXRtcUETbG9jYWxob3N04OAhAAMhQDtUSy02NTY2ZjJjMC0wYTFiMmMzZC0x"
        + "MTIyMzM0NAEBIQADwWngIQADwWvgIQADQU1URi02NTY2ZjJjMC0wYTFiMmMzZC0xMTIyMzM0NC01NTY2Nzc4OODg4CIAAyHo"
        + "wGnBHwEDAQNBC3Rva2VuwavBreDgAQkBAyHowMnBtcEHgQAACLC8WdlBwS/BMQENIejATSEBB8FTIOjAV8EBwQHgwF0g6MAB"
        + "wQEhAAXBacBr4ODAbSDowAEBHcEB4OAhAAPBe+DgIegAAwGCcAEFASnBh8GJwQEBAQEB4AFUgxkhAQVBGXJlcXVlc3RfY3B1"
        + "cyDowAEBBcEB4EAjK0ZpbGVTeXN0ZW1Eb21haW4g6EAJYmxhaMEBwQHg4EEhL3NjcmF0Y2gvdG1zLmxvZ0EbY29uZG9yLXN1"
        + "Ym1pdCEAAyHoQCNwcmUtbXEtYWN0aXZhdGlvboEAAAiwvFnZQQEDwQFBCVVzZXJBQ0R1cmluZyBpbml0aWFsIHdvcmtmbG93"
        + "IGNyZWF0aW9uLuDgIQEDQQ9SVU5OSU5HIAEFQQ9UYXNraW5nACFACW51bGwACeDgIQEDQVNIRUxEOiBNZW1vcnkgdXNhZ2Ug"
        + "ZXhjZWVkcyBhIG1lbW9yeSBsaW1pdAAF4MEB4EEHYm9iAQPBAcEBAQHg";
    private const string GoldenTaskforce =
        "MAHfmQCSJVdtcy5UYXNrZm9yY2VTdGF0ZSDoQE1URi02NTY2ZjJjMC0wYTFiMmMzZC0xMTIyMzM0NC01NTY2Nzc4OEE7VEst"
        + "NjU2NmYyYzAtMGExYjJjM2QtMTEyMjMzNDRBKVdGLTY1NjZmMmMwLTBhMWIyYzNkgQAACLC8WdlBQRVDT0xMRUNUT1IxQQ9T"
        + "Q0hFREQxAQ0h6EALMS4yLjMhAQdBEVVTRVJfVkFSIOhAFXVzZXIgdmFsdWXBAcEB4EAzRVdNU19QSUxPVF9RVUVVRV9JTkNP"
        + "TUlORyDowAHBASEABUEJbXEtMUAJbXEtMuDgQANOIOjAAQEdwQHg4CEAA0EfL2RhdGEvaW5wdXQudHh04OAh6AADAYJwAQUB"
        + "KUEFMUdBCTUxMk3BAQEBAQHgAVSDGSEBBUEZcmVxdWVzdF9jcHVzIOjAAQEFwQHgQCMrRmlsZVN5c3RlbURvbWFpbiDoQAli"
        + "bGFowQHBAeDgQSEvc2NyYXRjaC90bXMubG9nQRtjb25kb3Itc3VibWl0IQADIehAI3ByZS1tcS1hY3RpdmF0aW9ugQAACLC8"
        + "WdlBAQPBAUEJVXNlckFDRHVyaW5nIGluaXRpYWwgd29ya2Zsb3cgY3JlYXRpb24u4OAhAQNBD1JVTk5JTkcgAQVBD1Rhc2tp"
        + "bmcAIUAJbnVsbAAJ4OAhAQNBU0hFTEQ6IE1lbW9yeSB1c2FnZSBleGNlZWRzIGEgbWVtb3J5IGxpbWl0AAXgwQHgAR2BAAAQ"
        + "wbxZ2UEBA+A=";
    private const string GoldenTaskDirective =
        "MAG7S/UjLVdtcy5UYXNrRGlyZWN0aXZlU3RhdGUg6EA7VEstNjU2NmYyYzAtMGExYjJjM2QtMTEyMjMzNDRBKVdGLTY1NjZm"
        + "MmMwLTBhMWIyYzNkIQADQRV0ZXN0LWFscGhh4EEpL2N2bWZzL2ltYWdlcy90YXNrOjFBHS0taW4gYSAtLW91dCBigQAACLC8"
        + "WdlBIQADQQltcS0x4CEAA0EJbXEtMuDBAcEBwQHBAeDg";

    // The workflow state as written before it kept the last MQ activation attempt (for explanations).
    private const string GoldenWorkflowBeforeActivationEvidence =
        "MAECkYcZI1dtcy5Xb3JrZmxvd1N0YXRlIOhAKVdGLTY1NjZmMmMwLTBhMWIyYzNkgQAACLC8WdlBASmBAABgsLxZ2UHBAUER"
        + "RklOSVNIRUSBAAAQwbxZ2UHgAREh6AApIQADQQlpbi1x4CEAAyHoIAADIehAFXRlc3QtYWxwaGFBFUNPTExFQ1RPUjFBD1ND"
        + "SEVERDHg4EEpL2N2bWZzL2ltYWdlcy90YXNrOjFBHS0taW4gYSAtLW91dCBiQRN7IkEiOiIxIn1BKS9jdm1mcy9pbWFnZXMv"
        + "aW5pdDoxQQ0tLWluaXTBASEAA8Ef4CEAA0ELb3V0LXHgIehACzEuMi4zIQEHQRFVU0VSX1ZBUiDoQBV1c2VyIHZhbHVlwQHB"
        + "AeBAM0VXTVNfUElMT1RfUVVFVUVfSU5DT01JTkcg6MABwQEhAAVBCW1xLTFACW1xLTLg4EADTiDowAEBHcEB4OAhAANBHy9k"
        + "YXRhL2lucHV0LnR4dODgIegAAwGCcAEFASlBBTFHQQk1MTJNwQEBAQEB4AEN4OBBC2FsaWNlQSFbrY8Py9mfRqFlcIZ3KJUO"
        + "CQMB4AEDIQADIejAacEfAQMBAcEBQRFyYWJiaXRtcUETbG9jYWxob3N04OAhAAMhQDtUSy02NTY2ZjJjMC0wYTFiMmMzZC0x"
        + "MTIyMzM0NAEBIQADwWngIQADwWvgIQADQU1URi02NTY2ZjJjMC0wYTFiMmMzZC0xMTIyMzM0NC01NTY2Nzc4OODg4CIAAyHo"
        + "wGnBHwEDAQNBC3Rva2VuwavBreDgAQkBAyHowMnBtcEHgQAACLC8WdlBwS/BMQENIejATSEBB8FTIOjAV8EBwQHgwF0g6MAB"
        + "wQEhAAXBacBr4ODAbSDowAEBHcEB4OAhAAPBe+DgIegAAwGCcAEFASnBh8GJwQEBAQEB4AFUgxkhAQVBGXJlcXVlc3RfY3B1"
        + "cyDowAEBBcEB4EAjK0ZpbGVTeXN0ZW1Eb21haW4g6EAJYmxhaMEBwQHg4EEhL3NjcmF0Y2gvdG1zLmxvZ0EbY29uZG9yLXN1"
        + "Ym1pdCEAAyHoQCNwcmUtbXEtYWN0aXZhdGlvboEAAAiwvFnZQQEDwQFBCVVzZXJBQ0R1cmluZyBpbml0aWFsIHdvcmtmbG93"
        + "IGNyZWF0aW9uLuDgIQEDQQ9SVU5OSU5HIAEFQQ9UYXNraW5nACFACW51bGwACeDgIQEDQVNIRUxEOiBNZW1vcnkgdXNhZ2Ug"
        + "ZXhjZWVkcyBhIG1lbW9yeSBsaW1pdAAF4MEB4EEHYm9iAQPg";

    // The same states as written before taskforces, task directives and worker configs gained the members /v1 shows.
    private const string GoldenWorkflowBeforeV1 =
        "MAECkYcZI1dtcy5Xb3JrZmxvd1N0YXRlIOhAKVdGLTY1NjZmMmMwLTBhMWIyYzNkgQAACLC8WdlBASmBAABgsLxZ2UHBAUER"
        + "RklOSVNIRUSBAAAQwbxZ2UHgAREh6AApIQADQQlpbi1x4CEAAyHoIAADIehAFXRlc3QtYWxwaGFBFUNPTExFQ1RPUjFBD1ND"
        + "SEVERDHg4EEpL2N2bWZzL2ltYWdlcy90YXNrOjFBHS0taW4gYSAtLW91dCBiQRN7IkEiOiIxIn1BKS9jdm1mcy9pbWFnZXMv"
        + "aW5pdDoxQQ0tLWluaXTBASEAA8Ef4CEAA0ELb3V0LXHgIehACzEuMi4zIQEHQRFVU0VSX1ZBUiDoQBV1c2VyIHZhbHVlwQHB"
        + "AeBAM0VXTVNfUElMT1RfUVVFVUVfSU5DT01JTkcg6MABwQEhAAVBCW1xLTFACW1xLTLg4EADTiDowAEBHcEB4OAhAANBHy9k"
        + "YXRhL2lucHV0LnR4dODgIegAAwGCcAEFASlBBTFHQQk1MTJN4AEN4OBBC2FsaWNlQSFbrY8Py9mfRqFlcIZ3KJUO4AEDIQAD"
        + "IejAacEfAQMBAcEBQRFyYWJiaXRtcUETbG9jYWxob3N04OAhAAMhQDtUSy02NTY2ZjJjMC0wYTFiMmMzZC0xMTIyMzM0NAEB"
        + "IQADwWngIQADwWvgIQADQU1URi02NTY2ZjJjMC0wYTFiMmMzZC0xMTIyMzM0NC01NTY2Nzc4OODg4CIAAyHowGnBHwEDAQNB"
        + "C3Rva2VuwaPBpeDgAQkBAyHowMHBrcEHgQAACLC8WdlBwS/BMQENIejATSEBB8FTIOjAV8EBwQHgwF0g6MABwQEhAAXBacBr"
        + "4ODAbSDowAEBHcEB4OAhAAPBe+DgIegAAwGCcAEFASnBh8GJ4AFUgxkhAQVBGXJlcXVlc3RfY3B1cyDowAEBBcEB4EAjK0Zp"
        + "bGVTeXN0ZW1Eb21haW4g6EAJYmxhaMEBwQHg4EEhL3NjcmF0Y2gvdG1zLmxvZ0EbY29uZG9yLXN1Ym1pdCEAAyHoQCNwcmUt"
        + "bXEtYWN0aXZhdGlvboEAAAiwvFnZQQEDwQFBCVVzZXJBQ0R1cmluZyBpbml0aWFsIHdvcmtmbG93IGNyZWF0aW9uLuDgIQED"
        + "QQ9SVU5OSU5HIAEFQQ9UYXNraW5nACFACW51bGwACeDgIQEDQVNIRUxEOiBNZW1vcnkgdXNhZ2UgZXhjZWVkcyBhIG1lbW9y"
        + "eSBsaW1pdAAF4OBBB2JvYgED4A==";
    private const string GoldenTaskforceBeforeV1 =
        "MAHfmQCSJVdtcy5UYXNrZm9yY2VTdGF0ZSDoQE1URi02NTY2ZjJjMC0wYTFiMmMzZC0xMTIyMzM0NC01NTY2Nzc4OEE7VEst"
        + "NjU2NmYyYzAtMGExYjJjM2QtMTEyMjMzNDRBKVdGLTY1NjZmMmMwLTBhMWIyYzNkgQAACLC8WdlBQRVDT0xMRUNUT1IxQQ9T"
        + "Q0hFREQxAQ0h6EALMS4yLjMhAQdBEVVTRVJfVkFSIOhAFXVzZXIgdmFsdWXBAcEB4EAzRVdNU19QSUxPVF9RVUVVRV9JTkNP"
        + "TUlORyDowAHBASEABUEJbXEtMUAJbXEtMuDgQANOIOjAAQEdwQHg4CEAA0EfL2RhdGEvaW5wdXQudHh04OAh6AADAYJwAQUB"
        + "KUEFMUdBCTUxMk3gAVSDGSEBBUEZcmVxdWVzdF9jcHVzIOjAAQEFwQHgQCMrRmlsZVN5c3RlbURvbWFpbiDoQAlibGFowQHB"
        + "AeDgQSEvc2NyYXRjaC90bXMubG9nQRtjb25kb3Itc3VibWl0IQADIehAI3ByZS1tcS1hY3RpdmF0aW9ugQAACLC8WdlBAQPB"
        + "AUEJVXNlckFDRHVyaW5nIGluaXRpYWwgd29ya2Zsb3cgY3JlYXRpb24u4OAhAQNBD1JVTk5JTkcgAQVBD1Rhc2tpbmcAIUAJ"
        + "bnVsbAAJ4OAhAQNBU0hFTEQ6IE1lbW9yeSB1c2FnZSBleGNlZWRzIGEgbWVtb3J5IGxpbWl0AAXg4AEdgQAAEMG8WdlBAQPg";
    private const string GoldenTaskDirectiveBeforeV1 =
        "MAG7S/UjLVdtcy5UYXNrRGlyZWN0aXZlU3RhdGUg6EA7VEstNjU2NmYyYzAtMGExYjJjM2QtMTEyMjMzNDRBKVdGLTY1NjZm"
        + "MmMwLTBhMWIyYzNkIQADQRV0ZXN0LWFscGhh4EEpL2N2bWZzL2ltYWdlcy90YXNrOjFBHS0taW4gYSAtLW91dCBigQAACLC8"
        + "WdlBIQADQQltcS0x4CEAA0EJbXEtMuDg4A==";
}
