using Ladybug.Engine;
using Ladybug.Web.Auth;
using Ladybug.Web.Downloads;
using Ladybug.Web.Extensions;
using Ladybug.Web.ScaleOut;

var builder = WebApplication.CreateBuilder(args);

builder.AddLadybugEngine();
builder.AddLadybugInfrastructure();
builder.AddLadybugBootstrap();
builder.AddLadybugAuth();
builder.AddLadybugConsole();
builder.AddProvisioningHub();
builder.AddLadybugScaleOut();
builder.AddMcksApi();
builder.AddLadybugOperations();

var app = builder.Build();

app.UseLadybugSecurity();
app.UseLadybugConsole();
app.UseMcksApi();
app.UseLadybugAuth();
app.MapLadybugOperations();
app.MapAccountEndpoints();
app.MapClusterDownloads();
app.MapProvisioningHub();
app.MapMcksApi();
app.MapLadybugConsole();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
