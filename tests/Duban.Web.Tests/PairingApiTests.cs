using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Duban.Tests;

/// <summary>/api/pairing over real HTTP: who may register enterprises, the 400 shape, coverage.</summary>
public abstract class PairingApiTests(DubanApp app)
{
    [Fact]
    public async Task RegisteringAnEnterprise_IsForTheSupervisionOffice_WithFieldErrorsInChinese()
    {
        var code = ("91410100" + Guid.NewGuid().ToString("N").ToUpperInvariant())[..18];

        using var bad = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/pairing/enterprises", new { name = " ", creditCode = "abc", region = "NOWHERE" });
        using var handler = await app.Client(app.TownshipToken).PostAsJsonAsync("/api/pairing/enterprises", new { name = "甲公司", creditCode = code, region = "K-T" });
        using var created = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/pairing/enterprises", new { name = "甲公司", creditCode = code, region = "K-T" });
        using var anonymous = await app.Client().GetAsync(new Uri("/api/pairing/coverage", UriKind.Relative));
        using var coverage = await app.Client(app.SupervisorToken).GetAsync(new Uri("/api/pairing/coverage?days=7", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["creditCode", "name", "region"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, handler.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, coverage.StatusCode);
        var stale = (await coverage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notVisited").EnumerateArray();
        Assert.Contains(stale, e => e.GetProperty("name").GetString() == "甲公司");
    }
}

public sealed class PairingApiTests_Sqlite(SqliteApp app) : PairingApiTests(app), IClassFixture<SqliteApp>;

public sealed class PairingApiTests_Postgres(PostgresApp app) : PairingApiTests(app), IClassFixture<PostgresApp>;
