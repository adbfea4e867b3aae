using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Wms.Api.Tests.Infrastructure;
using Wms.Grains;
using Wms.Silo;

namespace Wms.Api.Tests.Configuration;

/// <summary>The service's host decides how long idle activations live, and nothing on the grains overrides it.</summary>
public sealed class GrainLifetimesTests
{
    private static readonly Type[] GrainClasses = typeof(TaskforceGrain).Assembly.GetTypes()
        .Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t)).ToArray();

    [Fact]
    public async Task TheRunningSiloCollectsEachIdleGrainAfterTheHostsAge()
    {
        await using var app = await WmsServer.BuildAsync(WmsServer.DefaultSettings());
        var types = app.Services.GetRequiredService<GrainTypeResolver>();
        var contexts = app.Services.GetRequiredService<GrainTypeSharedContextResolver>();

        Assert.All(GrainLifetimes.Grains, grain =>
            Assert.Equal(GrainLifetimes.IdleAge, contexts.GetComponents(types.GetGrainType(grain)).CollectionAgeLimit));
        Assert.True(GrainLifetimes.IdleAge > GrainLifetimes.CollectionQuantum);
    }

    [Fact]
    public void NoGrainCarriesAnAgeOfItsOwn() =>
        Assert.All(GrainClasses, grain => Assert.Null(grain.GetCustomAttribute<CollectionAgeLimitAttribute>()));
}
