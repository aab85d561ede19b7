namespace Duban.Appeals;

/// <summary>
/// The categories an appeal may be filed under (诉求分类): the first level of the provincial message board's
/// three-level taxonomy (the 泰迪杯 2020 data), so imported history and new appeals share one list.
/// </summary>
public static class AppealCategories
{
    /// <summary>Every category, in the order the form lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "城乡建设", "环境保护", "交通运输", "劳动和社会保障", "教育文体", "卫生计生", "商贸旅游", "经济管理",
        "农村农业", "国土资源", "民政", "政法", "党务政务", "科技与信息产业", "纪检监察",
    ];

    /// <summary>Whether the text names a category exactly.</summary>
    public static bool IsKnown(string? category) => category is not null && All.Contains(category, StringComparer.Ordinal);
}
