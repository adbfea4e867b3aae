using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Grains;

/// <summary>Holds one immutable task directive. Keyed by task id.</summary>
public interface ITaskDirectiveGrain : IGrainWithStringKey
{
    Task<TaskDirectiveDocument?> GetAsync();
}
