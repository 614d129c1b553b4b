using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// Label selectors as kube-apiserver parses them (k8s.io/apimachinery pkg/labels/selector.go): key=value, key==value,
/// key!=value, key, !key, key in (a,b), key notin (a,b), comma-separated and all required.
/// </summary>
internal static class LabelSelector
{
    public static Func<JsonObject, bool> Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return _ => true;
        var tests = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var term in SplitTerms(selector))
        {
            var t = term.Trim();
            var set = System.Text.RegularExpressions.Regex.Match(t, @"^([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([^)]*)\)$");
            if (set.Success)
            {
                var (key, op) = (set.Groups[1].Value, set.Groups[2].Value);
                var values = set.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                tests.Add(op == "in" ? l => l.TryGetValue(key, out var v) && values.Contains(v) : l => !l.TryGetValue(key, out var v) || !values.Contains(v));
            }
            else if (t.Contains("!=", StringComparison.Ordinal))
            {
                var p = t.Split("!=", 2, StringSplitOptions.TrimEntries);
                tests.Add(l => !l.TryGetValue(p[0], out var v) || v != p[1]);
            }
            else if (t.Contains('='))
            {
                var p = t.Split(t.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2, StringSplitOptions.TrimEntries);
                tests.Add(l => l.TryGetValue(p[0], out var v) && v == p[1]);
            }
            else if (t.StartsWith('!'))
            {
                var key = t[1..].Trim();
                tests.Add(l => !l.ContainsKey(key));
            }
            else if (System.Text.RegularExpressions.Regex.IsMatch(t, @"^[A-Za-z0-9./_-]+$"))
            {
                tests.Add(l => l.ContainsKey(t));
            }
            else
            {
                throw new FormatException($"unable to parse requirement: found '{t}', expected: identifier");
            }
        }
        return o =>
        {
            var labels = (o["metadata"]?["labels"] as JsonObject)?.ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal)
                ?? new Dictionary<string, string>(StringComparer.Ordinal);
            return tests.All(test => test(labels));
        };
    }

    /// <summary>Commas separate requirements except inside the parentheses of in/notin.</summary>
    private static IEnumerable<string> SplitTerms(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
            else if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }
        yield return selector[start..];
    }
}
