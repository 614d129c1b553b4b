using Ladybug.Engine;
using Ladybug.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddLadybugEngine();
builder.AddLadybugInfrastructure();
builder.AddLadybugConsole();

var app = builder.Build();

app.UseLadybugConsole();
app.MapLadybugHealth();
app.MapLadybugConsole();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
