using Ladybug.Engine.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ladybug.Engine.Persistence.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.CreateCallId).HasMaxLength(200);
        builder.Property(j => j.Owner).HasMaxLength(200);
        builder.HasIndex(j => new { j.ClusterId, j.CreatedAt });
        builder.HasIndex(j => j.State);
        builder.HasMany(j => j.Steps).WithOne().HasForeignKey(s => s.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(j => j.IsFinished);
    }
}

internal sealed class JobStepConfiguration : IEntityTypeConfiguration<JobStep>
{
    public void Configure(EntityTypeBuilder<JobStep> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(s => new { s.JobId, s.Order });
    }
}

internal sealed class LogLineConfiguration : IEntityTypeConfiguration<LogLine>
{
    public void Configure(EntityTypeBuilder<LogLine> builder)
    {
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Stream).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(l => new { l.ClusterId, l.Sequence }).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.Time);
    }
}
