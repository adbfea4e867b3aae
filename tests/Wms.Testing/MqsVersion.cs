namespace Wms.Testing;

/// <summary>Which generation of the real MQS a <see cref="FakeMqs"/> speaks as.</summary>
public enum MqsVersion
{
    /// <summary>
    /// Today's MQS (v1.1.1): <c>/v1/mqs</c> routes; request bodies with a key the schema does not name are refused
    /// (400); a second reservation answers the group already made; each activation mints new JWT tokens for every
    /// queue of the workflow, valid for a day; one queue's profile can be read by id.
    /// </summary>
    V1,

    /// <summary>
    /// The MQS of the v0.1.17 era: <c>/v0/mqs</c> routes; bodies not checked beyond what is read; a second
    /// reservation answers 500; an activation keeps the tokens already handed out.
    /// </summary>
    V0,
}
