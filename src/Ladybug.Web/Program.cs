using Ladybug.Engine;
using Ladybug.Web.Auth;
using Ladybug.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddLadybugEngine();
builder.AddLadybugInfrastructure();
builder.AddLadybugAuth();
builder.AddLadybugConsole();

var app = builder.Build();

app.UseLadybugConsole();
app.UseLadybugAuth();
app.MapLadybugHealth();
app.MapAccountEndpoints();
app.MapLadybugConsole();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
