using Wms.Domain.Model;

namespace Wms.Requests;

/// <summary>The HTCondor pools a request may name, by location name or alias.</summary>
public interface IClusterLocationCatalog
{
    /// <summary>The location with that name, or null when none is known.</summary>
    ClusterLocation? Find(string name);
}
