using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>Named people and campaigns over real HTTP with API tokens.</summary>
public sealed class PeopleApiTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<User> UserAsync(string suffix)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync($"p{suffix}", "周责任", "K-T", [Role.Handler], "Duban-Test-2024!");
    }

    [Fact]
    public async Task Assign_WithPeopleAndCampaign_ThenFilter_Change_AndReadThePersonAndTheCampaign()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var user = await UserAsync(suffix);
        var office = app.Client(app.SupervisorToken);

        var campaign = await JsonAsync(await office.PostAsJsonAsync(U("/api/campaigns"),
            new { name = $"双拖欠专项治理 {suffix}", from = "2024-01-01", to = "2024-12-31", note = "清欠" }), HttpStatusCode.Created);
        var campaignId = campaign.GetProperty("id").GetInt64();

        var body = TestMatters.Assignment() with
        {
            Title = $"清欠 {suffix}",
            People = [new PersonInput { Role = "responsible", User = user.Id }, new PersonInput { Role = "liaison", Name = $"联络{suffix}", Phone = "13800001111" }],
            Campaigns = [campaignId],
        };
        var created = await JsonAsync(await office.PostAsJsonAsync(U("/api/matters"), body), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();

        var people = await JsonAsync(await office.GetAsync(U($"/api/matters/{id}/people")), HttpStatusCode.OK);
        Assert.Equal(["responsible", "liaison"], people.EnumerateArray().Select(p => p.GetProperty("role").GetString()));
        Assert.Equal("周责任", people[0].GetProperty("name").GetString());

        var byPerson = await JsonAsync(await office.GetAsync(U($"/api/matters?person={user.Id}")), HttpStatusCode.OK);
        Assert.Equal([id], byPerson.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        var byName = await JsonAsync(await office.GetAsync(U($"/api/matters?person={Uri.EscapeDataString($"联络{suffix}")}")), HttpStatusCode.OK);
        Assert.Equal(1, byName.GetProperty("total").GetInt32());
        var byCampaign = await JsonAsync(await office.GetAsync(U($"/api/matters?campaign={campaignId}")), HttpStatusCode.OK);
        Assert.Equal([id], byCampaign.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        await JsonAsync(await office.GetAsync(U("/api/matters?campaign=abc")), HttpStatusCode.BadRequest);

        // The lead unit changes them; the history records it.
        var township = app.Client(app.TownshipToken);
        var changed = await JsonAsync(await township.PutAsJsonAsync(U($"/api/matters/{id}/people"),
            new { people = new object[] { new { role = "responsible", name = "钱五" } }, note = "调岗" }), HttpStatusCode.OK);
        Assert.Equal("钱五", Assert.Single(changed.EnumerateArray()).GetProperty("name").GetString());
        var details = await JsonAsync(await office.GetAsync(U($"/api/matters/{id}")), HttpStatusCode.OK);
        var last = details.GetProperty("events").EnumerateArray().Last();
        Assert.Equal("people", last.GetProperty("action").GetString());
        Assert.Equal("责任人：钱五（调岗）", last.GetProperty("note").GetString());

        // 更改人员 is not one of the lifecycle's actions.
        await JsonAsync(await office.PostAsJsonAsync(U($"/api/matters/{id}/people"), new { }), HttpStatusCode.NotFound);

        // A unit outside the matter does not even see it; bad people are a 400 naming the field.
        await JsonAsync(await app.Client(app.DepartmentToken).PutAsJsonAsync(U($"/api/matters/{id}/people"), new { people = Array.Empty<object>() }), HttpStatusCode.NotFound);
        var invalid = await JsonAsync(await township.PutAsJsonAsync(U($"/api/matters/{id}/people"),
            new { people = new object[] { new { role = "caseLeader", name = "赵" } } }), HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("people", out _));

        var person = await JsonAsync(await office.GetAsync(U("/api/people/" + Uri.EscapeDataString("钱五"))), HttpStatusCode.OK);
        Assert.Equal("责任人", person.GetProperty("groups")[0].GetProperty("roleName").GetString());

        var page = await JsonAsync(await office.GetAsync(U($"/api/campaigns/{campaignId}")), HttpStatusCode.OK);
        Assert.Equal(1, page.GetProperty("counts").GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("counts").GetProperty("open").GetInt32());

        // Only the office sets up campaigns or tags matters.
        await JsonAsync(await township.PostAsJsonAsync(U("/api/campaigns"), new { name = "x", from = "2024-01-01", to = "2024-01-02" }), HttpStatusCode.Forbidden);
        await JsonAsync(await township.PutAsJsonAsync(U($"/api/matters/{id}/campaigns"), new { campaigns = Array.Empty<long>() }), HttpStatusCode.Forbidden);
        var untagged = await JsonAsync(await office.PutAsJsonAsync(U($"/api/matters/{id}/campaigns"), new { campaigns = Array.Empty<long>() }), HttpStatusCode.OK);
        Assert.Equal(0, untagged.GetArrayLength());
    }

    [Fact]
    public async Task Assign_WithBadPeopleOrCampaign_Is400_WithEveryProblem()
    {
        var response = await app.Client(app.SupervisorToken).PostAsJsonAsync(U("/api/matters"), TestMatters.Assignment() with
        {
            People = [new PersonInput { Role = "nobody", Name = "甲" }, new PersonInput { Role = "liaison" }],
            Campaigns = [987654],
        });
        var problem = await JsonAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(2, errors.GetProperty("people").GetArrayLength());
        Assert.True(errors.TryGetProperty("campaigns", out _));
    }
}
