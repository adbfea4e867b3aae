using System.Text.Json.Nodes;
using Wms.Api.Rendering;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Tests.Rendering;

public sealed class GenerationFieldsTests
{
    [Theory]
    [InlineData(ApiGeneration.V1, ObjectKind.Taskforce, "phase_change_log.context", "phase_change_log.description")]
    [InlineData(ApiGeneration.V1, ObjectKind.Taskforce, "phase_change_log.2.context", "phase_change_log.2.description")]
    [InlineData(ApiGeneration.V1, ObjectKind.Taskforce, "phase_change_log.description", GenerationFields.Absent)]
    [InlineData(ApiGeneration.V1, ObjectKind.Taskforce, "collector", GenerationFields.Absent)]
    [InlineData(ApiGeneration.V1, ObjectKind.Taskforce, "pilot_config.environment.EWMS_PILOT_TASK_IMAGE", GenerationFields.Absent)]
    [InlineData(ApiGeneration.V1, ObjectKind.Taskforce, "pilot_config.environment.USER_VAR", "pilot_config.environment.USER_VAR")]
    [InlineData(ApiGeneration.V1, ObjectKind.Taskforce, "priority", "priority")]
    [InlineData(ApiGeneration.V1, ObjectKind.Workflow, "mq_activated_ts", GenerationFields.Absent)]
    [InlineData(ApiGeneration.V0, ObjectKind.Workflow, "mq_activated_ts", "mq_activated_ts")]
    [InlineData(ApiGeneration.V0, ObjectKind.Taskforce, "priority", GenerationFields.Absent)]
    [InlineData(ApiGeneration.V0, ObjectKind.Taskforce, "worker_config.condor_requirements", GenerationFields.Absent)]
    [InlineData(ApiGeneration.V0, ObjectKind.Taskforce, "worker_config.priority", "worker_config.priority")]
    [InlineData(ApiGeneration.V0, ObjectKind.Taskforce, "phase_change_log.description", "phase_change_log.description")]
    [InlineData(ApiGeneration.V0, ObjectKind.TaskDirective, "task_env.A", GenerationFields.Absent)]
    [InlineData(ApiGeneration.V0, ObjectKind.TaskDirective, "task_image", "task_image")]
    public void AFieldIsNamedAsStored(ApiGeneration generation, ObjectKind kind, string shown, string stored) =>
        Assert.Equal(stored, GenerationFields.ToStored(generation, kind, shown));

    [Fact]
    public void QueriesAreTranslatedThroughTheirLogicalOperators()
    {
        var query = JsonNode.Parse("""
            {"$or": [{"phase_change_log.context": "x"}, {"collector": null}], "schedd": {"$in": ["S"]}}
            """)!.AsObject();
        var stored = GenerationFields.ToStored(ApiGeneration.V1, ObjectKind.Taskforce, query);
        var expected = JsonNode.Parse("""
            {"$or": [{"phase_change_log.description": "x"}, {"ABSENT": null}], "schedd": {"$in": ["S"]}}
            """.Replace("ABSENT", GenerationFields.Absent, StringComparison.Ordinal));
        Assert.True(JsonNode.DeepEquals(expected, stored), stored.ToJsonString());
    }

    [Fact]
    public void TwoHiddenFieldsInOneQueryBothHold()
    {
        var query = JsonNode.Parse("""{"priority": 5, "worker_config.condor_requirements": "x"}""")!.AsObject();
        var stored = GenerationFields.ToStored(ApiGeneration.V0, ObjectKind.Taskforce, query);
        var expected = JsonNode.Parse("""
            {"$and": [{"ABSENT": 5}, {"ABSENT": "x"}]}
            """.Replace("ABSENT", GenerationFields.Absent, StringComparison.Ordinal));
        Assert.True(JsonNode.DeepEquals(expected, stored), stored.ToJsonString());
    }

    [Fact]
    public void ProjectionsAreTranslatedAndHiddenFieldsCollapse()
    {
        var stored = GenerationFields.ToStored(ApiGeneration.V0, ObjectKind.Taskforce,
            JsonNode.Parse("""["taskforce_uuid", "priority", "worker_config.condor_requirements"]"""));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""["taskforce_uuid", "{{GenerationFields.Absent}}"]"""), stored));
    }
}
