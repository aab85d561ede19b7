using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>The role a named person holds on a matter.</summary>
public enum PersonRole
{
    /// <summary>责任领导 (分管领导).</summary>
    LeadingOfficial,

    /// <summary>责任人.</summary>
    Responsible,

    /// <summary>联络员.</summary>
    Liaison,

    /// <summary>包案领导: petitions (信访) only.</summary>
    CaseLeader,
}

/// <summary>A person named on a matter: a Duban user (<see cref="UserId"/>) or a contact without an account (name, unit,
/// phone). <see cref="Name"/> always holds the name as shown (the user's display name when it was set).</summary>
public sealed class MatterPerson
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }
    public PersonRole Role { get; set; }
    public long? UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }

    /// <summary>A contact's unit, as written (其他人员); a user's unit comes from the account.</summary>
    public string? UnitName { get; set; }
    public string? Phone { get; set; }

    /// <summary>Order within the matter, as entered.</summary>
    public int Position { get; set; }
}

internal sealed class MatterPersonConfiguration : IEntityTypeConfiguration<MatterPerson>
{
    public void Configure(EntityTypeBuilder<MatterPerson> e)
    {
        e.ToTable("matter_people");
        e.HasIndex(p => p.MatterId);
        e.HasIndex(p => new { p.UserId, p.Role });
        e.HasIndex(p => new { p.Name, p.Role });
        e.Property(p => p.Role).HasConversion<string>().HasMaxLength(24);
        e.Property(p => p.Name).HasMaxLength(50);
        e.Property(p => p.UnitName).HasMaxLength(100);
        e.Property(p => p.Phone).HasMaxLength(30);
        e.HasOne(p => p.Matter).WithMany().HasForeignKey(p => p.MatterId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(p => p.User).WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
