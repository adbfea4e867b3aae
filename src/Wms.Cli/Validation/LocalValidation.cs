using System.Text.Json.Nodes;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Requests;

namespace Wms.Cli.Validation;

/// <summary>
/// Judges requests here with the service's own readers, before anything is sent, so a mistake is caught with the
/// very text the service would answer. Only what needs the service's configuration is left to the service.
/// </summary>
public static class LocalValidation
{
    private static readonly WorkflowRequestReader Reader = new(UncheckedLocations.Instance, UncheckedPilotTags.Instance);

    /// <summary>Throws the service's <see cref="BadRequestException"/> for a workflow request it would refuse.</summary>
    public static void Workflow(JsonObject request, ApiGeneration generation) => Reader.Read(request, generation);

    /// <summary>Throws the service's <see cref="BadRequestException"/> for an add-workers body it would refuse.</summary>
    public static void AddWorkers(JsonObject body) => AddWorkersRequest.Read(body);

    /// <summary>Throws the service's <see cref="FilterException"/> for a find filter it would refuse.</summary>
    public static void Filter(JsonObject filter) => FilterParser.Parse(filter);
}
