using System.Text;

namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// Splits one command line into words the way bash would for a simple command (quotes, backslashes), and
/// notices what a simple command cannot be: pipes, lists, redirections, expansions. The simulator refuses those
/// rather than pretending to run them.
/// </summary>
public sealed record ShellWords(IReadOnlyList<string> Words, string? Unsupported, string? SyntaxError)
{
    public static ShellWords Parse(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        string? unsupported = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                    break;
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0) return new([], null, "unexpected EOF while looking for matching `''");
                    word.Append(line, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i++;
                    while (i < line.Length && line[i] != '"')
                    {
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                            i++;
                        else if (line[i] is '$' or '`')
                            unsupported ??= $"the expansion '{line[i..]}'";
                        word.Append(line[i]);
                        i++;
                    }
                    if (i >= line.Length) return new([], null, "unexpected EOF while looking for matching `\"'");
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 < line.Length) word.Append(line[++i]);
                    inWord = true;
                    break;
                case '|' or '&' or ';' or '<' or '>' or '(' or ')':
                    unsupported ??= $"the operator '{c}'";
                    word.Append(c);
                    inWord = true;
                    break;
                case '$' or '`':
                    unsupported ??= $"the expansion '{line[i..]}'";
                    word.Append(c);
                    inWord = true;
                    break;
                case '*' or '?':
                case '~' when !inWord:
                    unsupported ??= $"the pattern '{c}'";
                    word.Append(c);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord) words.Add(word.ToString());
        return new(words, unsupported, null);
    }
}
