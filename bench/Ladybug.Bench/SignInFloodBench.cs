using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Ladybug.Engine.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Bench;

/// <summary>
/// Issue 16: a signed-in user's API calls while wrong passwords arrive at 50 per second (target: each under 100 ms),
/// and what a Basic script pays against a Bearer token once its credentials are remembered.
/// </summary>
public static partial class SignInFloodBench
{
    private const string Probe = "/mcks/ns/default/clusters";

    public static async Task RunAsync(int attacksPerSecond = 50, int seconds = 20)
    {
        await using var console = new BenchConsole();
        var address = console.BaseAddress;
        using var cookieUser = await SignInAsync(address);
        var token = (await console.Services.GetRequiredService<AccountService>().CreateTokenAsync(BenchConsole.User, "bench", CancellationToken.None)).Plaintext;
        using var bearer = Client(address, new AuthenticationHeaderValue("Bearer", token));
        using var basic = Client(address, new AuthenticationHeaderValue("Basic", BenchConsole.BasicCredentials));

        await TimeAsync(bearer, 20);
        await TimeAsync(basic, 20);
        Console.WriteLine($"Basic script, 200 calls (verified once, then remembered): {Stats.Summary(await TimeAsync(basic, 200))}");
        Console.WriteLine($"Bearer token, 200 calls:                                 {Stats.Summary(await TimeAsync(bearer, 200))}");
        Console.WriteLine($"Signed-in user, no attack:                               {Stats.Summary(await TimeAsync(cookieUser, 100))}");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();
        var attack = FloodAsync(address, attacksPerSecond, answers, stop.Token);
        var underAttack = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            underAttack.AddRange(await TimeAsync(cookieUser, 1));
            await Task.Delay(100);
        }
        await attack;
        var slow = underAttack.Count(ms => ms >= 100);
        Console.WriteLine($"Signed-in user under {attacksPerSecond} wrong passwords/s for {seconds} s: {Stats.Summary(underAttack)}; {slow} of {underAttack.Count} at or over 100 ms");
        Console.WriteLine($"Wrong-password requests answered: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{(int)a.Key} × {a.Value}"))}");
    }

    /// <summary>Wrong Basic passwords for the administrator at a fixed rate, each request fired without waiting for the last.</summary>
    private static async Task FloodAsync(Uri address, int perSecond, System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int> answers, CancellationToken stop)
    {
        using var attacker = new HttpClient { BaseAddress = address };
        var pending = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var clock = Stopwatch.StartNew();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var wait = interval * i - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, CancellationToken.None);
            var guess = new HttpRequestMessage(HttpMethod.Get, Probe);
            guess.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BenchConsole.User}:guess-{i}")));
            pending.Add(Task.Run(async () =>
            {
                using var response = await attacker.SendAsync(guess, CancellationToken.None);
                answers.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            }, CancellationToken.None));
        }
        await Task.WhenAll(pending);
    }

    private static async Task<List<double>> TimeAsync(HttpClient client, int calls)
    {
        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(Probe);
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{Probe} answered {(int)response.StatusCode}");
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static HttpClient Client(Uri address, AuthenticationHeaderValue? authorization)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    /// <summary>Signs in through the form, as a browser does (antiforgery token, the console's Origin), and keeps the cookie.</summary>
    private static async Task<HttpClient> SignInAsync(Uri address)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        var page = await client.GetStringAsync("/account/login");
        var field = TokenField().Match(page).Value;
        var token = WebUtility.HtmlDecode(ValueAttribute().Match(field).Groups[1].Value);
        using var form = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = BenchConsole.User, ["password"] = BenchConsole.Password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
            }),
        };
        form.Headers.Add("Origin", address.GetLeftPart(UriPartial.Authority));
        using var answer = await client.SendAsync(form);
        if (answer.StatusCode != HttpStatusCode.Redirect || answer.Headers.Location?.OriginalString != "/")
            throw new InvalidOperationException($"Sign-in answered {(int)answer.StatusCode} {answer.Headers.Location}");
        return client;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenField();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValueAttribute();
}
