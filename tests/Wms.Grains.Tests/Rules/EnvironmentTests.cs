using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Rules;

public sealed class EnvironmentTests
{
    private static MqProfile Profile(string mqid) => new()
    {
        MqId = mqid,
        Alias = "alias-" + mqid,
        IsActivated = true,
        AuthToken = "tok-" + mqid,
        BrokerType = "type-" + mqid,
        BrokerAddress = "addr-" + mqid,
    };

    [Fact]
    public void QueueEnvironmentHasOneEntryPerQueueInTheTasksOrder()
    {
        MqProfile[] profiles = [Profile("m1"), Profile("m2"), Profile("m3"), Profile("unused")];

        var env = QueueEnvironment.For(["m3", "m1"], ["m2"], profiles);

        Assert.Equal(8, env.Count);
        Assert.Equal(ConfigValue.Of(["m3", "m1"]), env["EWMS_PILOT_QUEUE_INCOMING"]);
        Assert.Equal(ConfigValue.Of(["tok-m3", "tok-m1"]), env["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"]);
        Assert.Equal(ConfigValue.Of(["type-m3", "type-m1"]), env["EWMS_PILOT_QUEUE_INCOMING_BROKER_TYPE"]);
        Assert.Equal(ConfigValue.Of(["addr-m3", "addr-m1"]), env["EWMS_PILOT_QUEUE_INCOMING_BROKER_ADDRESS"]);
        Assert.Equal(ConfigValue.Of(["m2"]), env["EWMS_PILOT_QUEUE_OUTGOING"]);
        Assert.Equal(ConfigValue.Of(["tok-m2"]), env["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"]);
        Assert.Equal(ConfigValue.Of(["type-m2"]), env["EWMS_PILOT_QUEUE_OUTGOING_BROKER_TYPE"]);
        Assert.Equal(ConfigValue.Of(["addr-m2"]), env["EWMS_PILOT_QUEUE_OUTGOING_BROKER_ADDRESS"]);
    }

    [Fact]
    public void QueueEnvironmentOmitsADirectionWithoutQueues()
    {
        MqProfile[] profiles = [Profile("m1")];

        var inputOnly = QueueEnvironment.For(["m1"], [], profiles);
        Assert.Equal(4, inputOnly.Count);
        Assert.All(inputOnly.Keys, k => Assert.StartsWith("EWMS_PILOT_QUEUE_INCOMING", k));

        var outputOnly = QueueEnvironment.For([], ["m1"], profiles);
        Assert.Equal(4, outputOnly.Count);
        Assert.All(outputOnly.Keys, k => Assert.StartsWith("EWMS_PILOT_QUEUE_OUTGOING", k));

        Assert.Empty(QueueEnvironment.For([], [], profiles));
    }

    [Fact]
    public void QueueEnvironmentRefusesAQueueTheActivationDidNotReturn() =>
        Assert.Throws<InvalidOperationException>(() => QueueEnvironment.For(["m1", "ghost"], [], [Profile("m1")]));

    [Fact]
    public void PilotEnvironmentAlwaysSetsTheTaskImageAndArgsAndKeepsTheUsersOwn()
    {
        var task = Build.Task([Build.Alpha]) with { TaskArgs = "" };

        var config = PilotEnvironment.ForTask(task);

        Assert.Equal(3, config.Environment.Count);
        Assert.Equal(ConfigValue.Of("user value"), config.Environment["USER_VAR"]);
        Assert.Equal(ConfigValue.Of(task.TaskImage), config.Environment["EWMS_PILOT_TASK_IMAGE"]);
        Assert.Equal(ConfigValue.Of(""), config.Environment["EWMS_PILOT_TASK_ARGS"]);
        Assert.Equal(task.PilotConfig.Tag, config.Tag);
        Assert.Equal(task.PilotConfig.InputFiles, config.InputFiles);
        // The task's own pilot config is left as it was.
        Assert.Single(task.PilotConfig.Environment);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void PilotEnvironmentLeavesOutEmptyOptionalValues(string? empty)
    {
        var task = Build.Task([Build.Alpha]) with
        {
            TaskEnvJson = empty,
            InitImage = empty,
            InitArgs = empty,
            InitEnvJson = empty,
        };

        var env = PilotEnvironment.ForTask(task).Environment;

        Assert.Equal(["EWMS_PILOT_TASK_ARGS", "EWMS_PILOT_TASK_IMAGE", "USER_VAR"], env.Keys.Order());
    }

    [Fact]
    public void PilotEnvironmentAddsEachNonEmptyOptionalValue()
    {
        var task = Build.Task([Build.Alpha]) with
        {
            TaskEnvJson = "{\"A\":\"1\"}",
            InitImage = "/cvmfs/init:2",
            InitArgs = "--warm",
            InitEnvJson = "{\"B\":2}",
        };

        var env = PilotEnvironment.ForTask(task).Environment;

        Assert.Equal(7, env.Count);
        Assert.Equal(ConfigValue.Of("{\"A\":\"1\"}"), env["EWMS_PILOT_TASK_ENV_JSON"]);
        Assert.Equal(ConfigValue.Of("/cvmfs/init:2"), env["EWMS_PILOT_INIT_IMAGE"]);
        Assert.Equal(ConfigValue.Of("--warm"), env["EWMS_PILOT_INIT_ARGS"]);
        Assert.Equal(ConfigValue.Of("{\"B\":2}"), env["EWMS_PILOT_INIT_ENV_JSON"]);
    }

    [Fact]
    public void PilotEnvironmentReservesExactlyTheSixNamesItSets() =>
        Assert.Equal(
            ["EWMS_PILOT_INIT_ARGS", "EWMS_PILOT_INIT_ENV_JSON", "EWMS_PILOT_INIT_IMAGE", "EWMS_PILOT_TASK_ARGS",
                "EWMS_PILOT_TASK_ENV_JSON", "EWMS_PILOT_TASK_IMAGE"],
            PilotEnvironment.Reserved.Order());
}
