using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ladybug.Engine.Persistence;

public class LadybugDbContext : DbContext
{
    public LadybugDbContext(DbContextOptions<LadybugDbContext> options) : base(options)
    {
    }

    /// <summary>For <see cref="PostgresLadybugDbContext"/>, which needs options of its own type.</summary>
    protected LadybugDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Cluster> Clusters => Set<Cluster>();
    public DbSet<NodePool> NodePools => Set<NodePool>();
    public DbSet<Node> Nodes => Set<Node>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<JobStep> JobSteps => Set<JobStep>();
    public DbSet<LogLine> LogLines => Set<LogLine>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LadybugDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite cannot order or compare DateTimeOffset text; all times are UTC, so ticks order correctly.
        builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        builder.Properties<Enum>().HaveConversion<string>();
    }
}
