using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>One user journey in the browser: numbers its steps and saves a screenshot of each under artifacts/.</summary>
public sealed class Journey(string name, IPage page)
{
    private int _step;

    public IPage Page => page;

    /// <summary>
    /// Screenshots the page as the step <paramref name="step"/> left it (e.g. "03-wizard-review.png"); <paramref name="on"/>
    /// is another page of the journey (a second tab), numbered in the same sequence.
    /// </summary>
    public Task StepAsync(string step, IPage? on = null) => Browser.ScreenshotAsync(on ?? page, name, $"{++_step:00}-{step}");
}
