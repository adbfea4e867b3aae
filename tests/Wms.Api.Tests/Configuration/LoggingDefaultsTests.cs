using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Configuration;

/// <summary>Request and placement chatter is off by default, the service's own lines are on, and operators can override both.</summary>
public sealed class LoggingDefaultsTests
{
    [Fact]
    public async Task PerRequestFrameworkLinesAreOffByDefaultAndTheServicesOwnAreOn()
    {
        await using var app = await BuildAsync(_ => { });
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Polly").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Wms.Grains.WorkflowGrain").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task OrleansOptionDumpsAndHostingChatterAreOffByDefaultButOrleansWarningsShow()
    {
        await using var app = await BuildAsync(_ => { });
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Orleans.Runtime.SiloOptionsLogger").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Orleans.Runtime.MembershipService.MembershipAgent").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Orleans.Runtime.MembershipService.MembershipAgent").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Wms.Silo.ClusterMembershipLog").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task AFailedHealthCheckIsNotLoggedSinceItsProbeAnswerSaysWhy()
    {
        await using var app = await BuildAsync(_ => { });
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService")
            .IsEnabled(LogLevel.Error));
    }

    [Fact]
    public async Task AnOperatorsSettingWinsOverTheDefaults()
    {
        await using var app = await BuildAsync(settings =>
        {
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Information";
            settings["Logging:LogLevel:Wms"] = "Error";
        });
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Wms.Grains.WorkflowGrain").IsEnabled(LogLevel.Warning));
    }

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication> BuildAsync(
        Action<Dictionary<string, string?>> configure)
    {
        var settings = WmsServer.DefaultSettings();
        settings.Remove("Logging:LogLevel:Default");
        settings.Remove("Logging:LogLevel:Orleans");
        configure(settings);
        return await WmsServer.BuildAsync(settings);
    }
}
