using Ladybug.Engine;
using Ladybug.Web.Auth;
using Ladybug.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddLadybugEngine();
builder.AddLadybugAuth();
builder.AddLadybugConsole();
builder.AddMcksApi();

var app = builder.Build();

app.UseLadybugConsole();
app.UseMcksApi();
app.UseLadybugAuth();
app.MapLadybugHealth();
app.MapAccountEndpoints();
app.MapMcksApi();
app.MapLadybugConsole();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
