namespace Ladybug.Web.Services;

/// <summary>Orders names as people count: "w1-2" before "w1-10" (node names end in a number).</summary>
public sealed class NaturalOrder : IComparer<string?>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (a, nextI) = Digits(x, i);
                var (b, nextJ) = Digits(y, j);
                var byNumber = a.TrimStart('0').Length != b.TrimStart('0').Length
                    ? a.TrimStart('0').Length.CompareTo(b.TrimStart('0').Length)
                    : string.CompareOrdinal(a.TrimStart('0'), b.TrimStart('0'));
                if (byNumber != 0) return byNumber;
                (i, j) = (nextI, nextJ);
                continue;
            }
            var byChar = x[i].CompareTo(y[j]);
            if (byChar != 0) return byChar;
            i++;
            j++;
        }
        return (x.Length - i).CompareTo(y.Length - j);
    }

    private static (string Digits, int Next) Digits(string text, int start)
    {
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return (text[start..end], end);
    }
}
