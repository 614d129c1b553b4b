using Ladybug.Sandbox.Simulator;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ShellWordsTests
{
    [Theory]
    [InlineData("sudo bash -s -- a b", new[] { "sudo", "bash", "-s", "--", "a", "b" })]
    [InlineData("echo 'single quoted $HOME' \"double \\\"quoted\\\"\"", new[] { "echo", "single quoted $HOME", "double \"quoted\"" })]
    [InlineData("cat /etc/kubernetes/admin.conf", new[] { "cat", "/etc/kubernetes/admin.conf" })]
    [InlineData("a\\ b  c", new[] { "a b", "c" })]
    public void SimpleCommandsSplitLikeBash(string line, string[] words)
    {
        var parsed = ShellWords.Parse(line);

        Assert.Equal(words, parsed.Words);
        Assert.Null(parsed.Unsupported);
        Assert.Null(parsed.SyntaxError);
    }

    [Theory]
    [InlineData("hostname | tr a-z A-Z", "the operator '|'")]
    [InlineData("true && false", "the operator '&'")]
    [InlineData("echo $HOME", "the expansion '$HOME'")]
    [InlineData("echo \"$(id -u)\"", "the expansion '$(id -u)\"'")]
    [InlineData("ls *.yaml", "the pattern '*'")]
    public void WhatASimpleCommandCannotBeIsNamed(string line, string what)
    {
        Assert.Equal(what, ShellWords.Parse(line).Unsupported);
    }

    [Fact]
    public void AnUnclosedQuoteIsASyntaxError()
    {
        Assert.Equal("unexpected EOF while looking for matching `''", ShellWords.Parse("echo 'oops").SyntaxError);
    }
}
