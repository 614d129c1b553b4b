using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Persistence.Configurations;

internal sealed class ClusterConfiguration : IEntityTypeConfiguration<Cluster>
{
    public void Configure(EntityTypeBuilder<Cluster> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Namespace).HasMaxLength(63).IsRequired();
        builder.Property(c => c.Name).HasMaxLength(63).IsRequired();
        builder.Property(c => c.Phase).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Cni).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.LoadBalancer).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.Health).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.WatchMode).HasConversion<string>().HasMaxLength(10);
        // A deleted cluster keeps its history but frees its name.
        builder.HasIndex(c => new { c.Namespace, c.Name }).IsUnique().HasFilter("\"Phase\" <> 'Deleted'");
        builder.HasMany(c => c.Pools).WithOne().HasForeignKey(p => p.ClusterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Nodes).WithOne().HasForeignKey(n => n.ClusterId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(c => c.ControlPlanePool);
    }
}

internal sealed class NodePoolConfiguration : IEntityTypeConfiguration<NodePool>
{
    public void Configure(EntityTypeBuilder<NodePool> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Role).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(p => new { p.ClusterId, p.Name }).IsUnique();
    }
}

internal sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.Readiness).HasConversion<string>().HasMaxLength(10);
        builder.Property(n => n.EtcdHealth).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(n => new { n.ClusterId, n.Name });
    }
}
