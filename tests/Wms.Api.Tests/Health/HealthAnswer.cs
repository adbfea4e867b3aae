using System.Text.Json.Nodes;

namespace Wms.Api.Tests.Health;

/// <summary>One answer of <c>/healthz</c> or <c>/readyz</c>: its status code and its body.</summary>
public sealed record HealthAnswer(int Code, JsonObject Body)
{
    public string Status => Body["status"]!.GetValue<string>();

    public JsonObject Checks => Body["checks"]!.AsObject();

    public JsonObject Check(string name) =>
        Checks[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"no check '{name}' in {Body.ToJsonString()}");

    public static async Task<HealthAnswer> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return new HealthAnswer((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public override string ToString() => $"{Code} {Body.ToJsonString()}";
}
