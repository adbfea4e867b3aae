namespace Wms.GrainInterfaces.State;

/// <summary>Provider and state names, the same in every storage mode so that state written by one mode's
/// grains is found under the same names by the next.</summary>
public static class StorageNames
{
    public const string GrainStorage = "wms";

    // One state name per grain type: Orleans' ADO.NET storage leaves the grain type out of a row's identity.
    public const string Workflow = "workflow";
    public const string TaskDirective = "taskdirective";
    public const string Taskforce = "taskforce";
    public const string Idempotency = "idempotency";
    // Not to be reused: "embeddedmqs". Databases may still hold rows under that name, which nothing reads.
}
