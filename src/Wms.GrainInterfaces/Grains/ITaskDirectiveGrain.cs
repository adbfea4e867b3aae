using Wms.GrainInterfaces.Model;

namespace Wms.GrainInterfaces.Grains;

/// <summary>Holds one immutable task directive. Keyed by task id.</summary>
public interface ITaskDirectiveGrain : IGrainWithStringKey
{
    /// <summary>Stores the directive once; later calls with the same id are ignored.</summary>
    Task InitializeAsync(TaskDirectiveDocument directive);

    Task<TaskDirectiveDocument?> GetAsync();
}
