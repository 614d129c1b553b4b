using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Ladybug.Bench;

/// <summary>The real console in this process on a loopback port with a throw-away data directory.</summary>
public sealed class BenchConsole : WebApplicationFactory<Program>
{
    public const string User = "admin";
    public const string Password = "bench-Secret-pass";

    public BenchConsole()
    {
        // Test projects get the content root from Mvc.Testing's generated attribute; a console app says it here.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ladybug.sln"))) root = root.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_LADYBUG_WEB",
            Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository."), "src", "Ladybug.Web"));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        UseKestrel(((IPEndPoint)listener.LocalEndpoint).Port);
    }

    public string DataDir { get; } = Directory.CreateTempSubdirectory("ladybug-bench-").FullName;

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    public static string BasicCredentials => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // Production pipeline, but assets from the build output (dotnet run serves them the same way).
        builder.UseStaticWebAssets();
        builder.UseSetting("Ladybug:DataDir", DataDir);
        builder.UseSetting("Ladybug:Admin:User", User);
        builder.UseSetting("Ladybug:Admin:Password", Password);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }

    public static async Task<(IPlaywright, IBrowser)> LaunchChromiumAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"],
        });
        return (playwright, browser);
    }

    public async Task SignInAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(BaseAddress, path).ToString());
        await page.GetByLabel("User name").FillAsync(User);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 60_000 });
    }
}

public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Summary(List<double> values)
    {
        values.Sort();
        return FormattableString.Invariant($"p50 {Percentile(values, 50):0.0} ms · p95 {Percentile(values, 95):0.0} ms · p99 {Percentile(values, 99):0.0} ms · max {values.LastOrDefault():0.0} ms (n={values.Count:N0})");
    }

    public static double RssMiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / 1024.0 / 1024.0;
    }
}
