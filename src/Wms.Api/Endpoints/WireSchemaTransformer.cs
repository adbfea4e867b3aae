using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Wms.Api.Rendering;
using Wms.Api.Wire;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>
/// Tightens the generated schemas to what the service really enforces (a phase is one of the known phases, a
/// configuration value has one of its three shapes), and shows each generation its own shape of the objects: the
/// stored types carry the members of both, and each document keeps only what its generation shows, as
/// <see cref="GenerationView"/> renders it and the request readers take it.
/// </summary>
public static class WireSchemaTransformer
{
    /// <summary>Where <c>/v0</c>'s shapes differ from the stored types: it never shows what only <c>/v1</c> has.</summary>
    private static readonly Dictionary<Type, Action<OpenApiSchema>> V0Shapes = new()
    {
        [typeof(TaskforceDocument)] = s => Drop(s, "priority"),
        [typeof(TaskDirectiveDocument)] = s => Drop(s, "task_env", "init_image", "init_args", "init_env"),
        [typeof(WorkerConfig)] = s =>
        {
            Drop(s, "condor_requirements");
            Replace(s, "worker_disk", new OpenApiSchema { Type = JsonSchemaType.String });
            Replace(s, "worker_memory", new OpenApiSchema { Type = JsonSchemaType.String });
            Require(s, "worker_disk", "worker_memory");
        },
    };

    /// <summary>Where <c>/v1</c>'s shapes differ from the stored types (V1-DELTA §1.1-1.3).</summary>
    private static readonly Dictionary<Type, Action<OpenApiSchema>> V1Shapes = new()
    {
        [typeof(WorkflowDocument)] = s => Drop(s, "mq_activated_ts", "_mq_activation_retry_at_ts"),
        [typeof(TaskDirectiveDocument)] = s => Require(s, "task_env", "init_image", "init_args", "init_env"),
        [typeof(TaskforceDocument)] = s =>
        {
            Replace(s, "collector", new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                Deprecated = true,
                Description = "Always null: the TMS finds its taskforces by schedd alone.",
            });
            Replace(s, "priority", new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Description = "The launch priority, highest first: that of the workflow, and for added workers "
                    + $"{Priorities.AddedWorkersBoost} more than that of the taskforce they copy.",
            });
            Require(s, "priority");
        },
        [typeof(PilotConfig)] = s =>
        {
            InsertAfter(s, "tag", "image_source", new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [JsonValue.Create(GenerationView.ImageSource), JsonValue.Create("auto")],
                Description = "Where the pilot image comes from; the WMS asks for "
                    + $"{GenerationView.ImageSource} whatever it is given.",
            });
            Require(s, "image_source");
            Describe(s, "environment", "Only the variables the user gave; the TMS adds those of the task and its queues.");
        },
        [typeof(WorkerConfig)] = s =>
        {
            Replace(s, "worker_disk", Size());
            Replace(s, "worker_memory", Size());
            Require(s, "worker_disk", "worker_memory", "condor_requirements");
        },
        [typeof(PhaseChangeLogEntry)] = s => Rename(s, "description", "context"),
        [typeof(CreateWorkflowBody)] = s => Replace(s, "priority", new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "0",
            Maximum = Priorities.Max.ToString(CultureInfo.InvariantCulture),
            Description = $"Higher goes first; {Priorities.DefaultV1} when left out.",
        }),
        [typeof(TaskBody)] = s =>
        {
            Replace(s, "task_env", StringMap());
            Replace(s, "init_image", new OpenApiSchema { Type = JsonSchemaType.String });
            Replace(s, "init_args", new OpenApiSchema { Type = JsonSchemaType.String });
            Replace(s, "init_env", StringMap());
        },
        [typeof(FindBody)] = s => Add(s, "after", Cursor("Where this page starts: the next_after of the page before; "
            + "null or left out for the first page.")),
        [typeof(WorkflowFindBody)] = s => Add(s, "after", Cursor("Where this page starts: the next_after of the page "
            + "before; null or left out for the first page.")),
        [typeof(WorkflowsBody)] = NextAfter,
        [typeof(TaskDirectivesBody)] = NextAfter,
        [typeof(TaskforcesBody)] = NextAfter,
    };

    /// <summary>The transformer of one generation's document.</summary>
    public static Func<OpenApiSchema, OpenApiSchemaTransformerContext, CancellationToken, Task> For(ApiGeneration generation)
    {
        var shapes = generation == ApiGeneration.V1 ? V1Shapes : V0Shapes;
        return (schema, context, _) =>
        {
            Tighten(schema, context);
            // A type's schema is shaped wherever it is made, inline in a request body or as a component alike.
            if (shapes.TryGetValue(context.JsonTypeInfo.Type, out var shape) && schema.Properties is not null)
            {
                shape(schema);
            }
            return Task.CompletedTask;
        };
    }

    private static void Tighten(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo is { Name: "phase" } && context.JsonPropertyInfo.DeclaringType == typeof(TaskforceDocument))
        {
            schema.Enum = Phase.All.Select(p => (JsonNode)JsonValue.Create(p)!).ToList();
        }
        // A worker's sizes are stored as configuration values but have a shape of their own in each generation.
        if (context.JsonTypeInfo.Type == typeof(ConfigValue) && context.JsonPropertyInfo?.DeclaringType != typeof(WorkerConfig))
        {
            schema.Description = "A string, an integer, or a non-empty list of strings.";
        }
    }

    private static void NextAfter(OpenApiSchema schema)
    {
        Add(schema, "next_after", Cursor("The after of the next page; null when this page is the last."));
        Require(schema, "next_after");
    }

    private static OpenApiSchema Cursor(string description) =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = description };

    private static OpenApiSchema Size() => new()
    {
        Type = JsonSchemaType.String | JsonSchemaType.Integer,
        Description = "A size such as 512M or 8 GB, or a positive integer as HTCondor reads one.",
    };

    private static OpenApiSchema StringMap() => new()
    {
        Type = JsonSchemaType.Object,
        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static void Drop(OpenApiSchema schema, params string[] names)
    {
        foreach (var name in names)
        {
            schema.Properties!.Remove(name);
            schema.Required?.Remove(name);
        }
    }

    private static void Add(OpenApiSchema schema, string name, OpenApiSchema property) =>
        schema.Properties!.TryAdd(name, property);

    private static void Describe(OpenApiSchema schema, string name, string description)
    {
        if (schema.Properties!.TryGetValue(name, out var property) && property is OpenApiSchema inline)
        {
            inline.Description = description;
        }
    }

    /// <summary>Gives a member a new schema in its place; a member that is not there stays absent.</summary>
    private static void Replace(OpenApiSchema schema, string name, OpenApiSchema property)
    {
        if (schema.Properties!.ContainsKey(name))
        {
            schema.Properties[name] = property;
        }
    }

    /// <summary>Renames a member in its place, so the order of the members stays as the wire writes them.</summary>
    private static void Rename(OpenApiSchema schema, string name, string newName)
    {
        if (!schema.Properties!.ContainsKey(name))
        {
            return;
        }
        var required = schema.Required?.Contains(name) == true;
        Rebuild(schema, (n, p) => [(n == name ? newName : n, p)]);
        if (required)
        {
            schema.Required!.Remove(name);
            Require(schema, newName);
        }
    }

    private static void InsertAfter(OpenApiSchema schema, string after, string name, OpenApiSchema property)
    {
        if (!schema.Properties!.ContainsKey(name))
        {
            Rebuild(schema, (n, p) => n == after ? [(n, p), (name, property)] : [(n, p)]);
        }
    }

    private static void Rebuild(
        OpenApiSchema schema, Func<string, IOpenApiSchema, IEnumerable<(string, IOpenApiSchema)>> map)
    {
        var rebuilt = new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, property) in schema.Properties!)
        {
            foreach (var (newName, newProperty) in map(name, property))
            {
                rebuilt[newName] = newProperty;
            }
        }
        schema.Properties = rebuilt;
    }

    /// <summary>Makes members required, listed in the order of the members, as the generator lists them.</summary>
    private static void Require(OpenApiSchema schema, params string[] names)
    {
        var required = schema.Required ?? new HashSet<string>();
        var wanted = required.Concat(names.Where(schema.Properties!.ContainsKey)).ToHashSet();
        schema.Required = new HashSet<string>(schema.Properties!.Keys.Where(wanted.Contains));
    }
}
