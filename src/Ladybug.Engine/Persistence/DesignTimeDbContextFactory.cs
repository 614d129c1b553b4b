using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ladybug.Engine.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the console.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LadybugDbContext>
{
    public LadybugDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LadybugDbContext>().UseSqlite("Data Source=design.db").Options);
}
