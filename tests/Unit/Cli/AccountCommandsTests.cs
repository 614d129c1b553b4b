using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Unit.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

[Collection(LoopbackConsoleCollection.Name)]
public sealed class AccountCommandsTests(McksApiFixture console) : LoopbackCliTests(console)
{
    [Fact]
    public async Task UnlockLiftsALockoutAndSaysSo()
    {
        var name = $"ops-{Guid.NewGuid():N}"[..12];
        var factory = App.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Users.Add(new User { Name = name, PasswordHash = "x", CreatedAt = DateTimeOffset.UtcNow, LockedUntil = DateTimeOffset.UtcNow.AddMinutes(10) });
            await db.SaveChangesAsync();
        }

        var result = (await Run("unlock", name)).Succeeded();

        Assert.Contains($"Unlocked {name}.", result.Output);
        await using var check = await factory.CreateDbContextAsync();
        Assert.Null((await check.Users.SingleAsync(u => u.Name == name)).LockedUntil);
    }

    [Fact]
    public async Task UnlockingAnAccountThatIsNotLockedFails() =>
        (await Run("unlock", "nobody-locked")).Failed("No locked account named 'nobody-locked'");
}
