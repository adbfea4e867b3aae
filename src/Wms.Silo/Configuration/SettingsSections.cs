namespace Wms.Silo.Configuration;

/// <summary>The configuration sections the service's options are bound from.</summary>
public static class SettingsSections
{
    public const string Rest = "Rest";
    public const string Silo = "Silo";
    public const string Storage = "Storage";
    public const string Wms = "Wms";
    public const string Mqs = "Mqs";
    public const string Api = "Api";
    public const string Auth = "Auth";
    public const string Operations = "Operations";
    public const string StatusHistory = "StatusHistory";
    public const string Explain = "Explain";
    public const string Watch = "Watch";
}
