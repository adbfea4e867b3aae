namespace Wms.GrainInterfaces.Outcomes;

/// <summary>How a TMS report about one taskforce was taken.</summary>
[GenerateSerializer]
public enum TmsOutcome
{
    Applied,
    UnknownTaskforce,
    WrongPhase,
}
