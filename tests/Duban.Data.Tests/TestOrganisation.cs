using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// A small unit tree for tests, and an actor per role:
/// city C (department C-DC 督查室, department C-ZJ), county K under C (township K-T under K, village K-T-V under K-T).
/// </summary>
public sealed class TestOrganisation
{
    public required IReadOnlyDictionary<string, long> UnitIds { get; init; }
    public required Actor Supervisor { get; init; }
    public required Actor CityLeader { get; init; }
    public required Actor Admin { get; init; }
    public required Actor CityDepartmentHandler { get; init; }
    public required Actor TownshipHandler { get; init; }
    public required Actor VillageHandler { get; init; }

    public static readonly UnitInput[] Units =
    [
        new("C", "测试市", null, "city"),
        new("C-DC", "测试市委督查室", "C", "department"),
        new("C-ZJ", "测试市住建局", "C", "department"),
        new("K", "测试县", "C", "county"),
        new("K-T", "测试镇", "K", "township"),
        new("K-T-V", "测试村", "K-T", "village"),
    ];

    public static async Task<TestOrganisation> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<UnitDirectory>();
        var ids = new Dictionary<string, long>();
        foreach (var unit in Units)
        {
            var saved = await directory.SaveAsync(unit);
            ids[saved.Code] = saved.Id;
        }

        Actor Make(string name, string unit, Role role) => new($"test:{name}", name, ids[unit], new HashSet<Role> { role });
        return new TestOrganisation
        {
            UnitIds = ids,
            Supervisor = Make("督查员", "C-DC", Role.Supervisor),
            CityLeader = Make("市领导", "C", Role.Leader),
            Admin = Make("管理员", "C", Role.Admin),
            CityDepartmentHandler = Make("住建承办", "C-ZJ", Role.Handler),
            TownshipHandler = Make("镇承办", "K-T", Role.Handler),
            VillageHandler = Make("村承办", "K-T-V", Role.Handler),
        };
    }
}
