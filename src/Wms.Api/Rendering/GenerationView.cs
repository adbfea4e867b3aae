using System.Text.Json;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;

namespace Wms.Api.Rendering;

/// <summary>
/// How each generation shows the objects of the one store. The index keeps every member either generation shows,
/// under the <c>/v0</c> names; <c>/v0</c> leaves out what only <c>/v1</c> has, and <c>/v1</c> renames, hides what the
/// WMS itself put in a pilot's environment, and shows upstream's defaults for members stored before they existed.
/// </summary>
public static class GenerationView
{
    /// <summary>The pilot image source the WMS always asks for, as upstream.</summary>
    public const string ImageSource = "cvmfs";

    /// <summary>Environment names the WMS sets for <c>/v0</c> pilots; <c>/v1</c> pilots get them from the TMS.</summary>
    public static readonly IReadOnlyList<string> InjectedEnvironment = [.. PilotEnvironment.Reserved, .. QueueEnvironment.Names];

    private static readonly RenderRule V0Taskforce = RenderRule.Object()
        .Drop("priority")
        .Member("pilot_config", RenderRule.Object().Drop("image_source"))
        .Member("worker_config", RenderRule.Object().Drop("condor_requirements").ShowAsText("worker_disk").ShowAsText("worker_memory"));

    private static readonly RenderRule V0TaskDirective = RenderRule.Object()
        .Drop("task_env", "init_image", "init_args", "init_env");

    private static readonly RenderRule V1Workflow = RenderRule.Object()
        .Drop("mq_activated_ts", "_mq_activation_retry_at_ts");

    private static readonly RenderRule V1Taskforce = RenderRule.Object()
        .ShowNull("collector")
        .Member("pilot_config", RenderRule.Object()
            .Member("environment", RenderRule.Object().Drop([.. InjectedEnvironment]))
            .Default("image_source", w => w.WriteStringValue(ImageSource)))
        .Member("worker_config", RenderRule.Object().Default("condor_requirements", w => w.WriteStringValue("")))
        .Member("phase_change_log", RenderRule.Object().Rename("description", "context"))
        .Default("priority", w => w.WriteNumberValue(Priorities.Unrecorded));

    private static readonly RenderRule V1TaskDirective = RenderRule.Object()
        .Default("task_env", EmptyObject)
        .Default("init_image", w => w.WriteStringValue(""))
        .Default("init_args", w => w.WriteStringValue(""))
        .Default("init_env", EmptyObject);

    /// <summary>The rules for one kind in one generation; null when it shows the stored document as it is.</summary>
    public static RenderRule? Rule(ApiGeneration generation, ObjectKind kind) => (generation, kind) switch
    {
        (ApiGeneration.V0, ObjectKind.Taskforce) => V0Taskforce,
        (ApiGeneration.V0, ObjectKind.TaskDirective) => V0TaskDirective,
        (ApiGeneration.V1, ObjectKind.Workflow) => V1Workflow,
        (ApiGeneration.V1, ObjectKind.Taskforce) => V1Taskforce,
        (ApiGeneration.V1, ObjectKind.TaskDirective) => V1TaskDirective,
        _ => null,
    };

    public static byte[] Render(ApiGeneration generation, ObjectKind kind, byte[] stored) =>
        DocumentRenderer.Render(stored, Rule(generation, kind));

    public static byte[] Render(ApiGeneration generation, WorkflowDocument document) =>
        Render(generation, ObjectKind.Workflow, WireJson.ToUtf8(document));

    public static byte[] Render(ApiGeneration generation, TaskDirectiveDocument document) =>
        Render(generation, ObjectKind.TaskDirective, WireJson.ToUtf8(document));

    public static byte[] Render(ApiGeneration generation, TaskforceDocument document) =>
        Render(generation, ObjectKind.Taskforce, WireJson.ToUtf8(document));

    private static void EmptyObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
