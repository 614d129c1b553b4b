# The console, for a container platform. Multi-stage: the SDK builds, the ASP.NET runtime runs, as a non-root user,
# with the data directory (SQLite database, Data Protection keys) on a volume. See docs/operations.md.
# The image has no sshd, so it expects a real Tumblebug (Ladybug__Tumblebug__Url); the embedded sandbox needs
# openssh-server and is for ./run.sh.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a source change does not download the packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Ladybug.Web/Ladybug.Web.csproj src/Ladybug.Web/
COPY src/Ladybug.Engine/Ladybug.Engine.csproj src/Ladybug.Engine/
COPY src/Ladybug.Api.Contracts/Ladybug.Api.Contracts.csproj src/Ladybug.Api.Contracts/
COPY src/Ladybug.Sandbox/Ladybug.Sandbox.csproj src/Ladybug.Sandbox/
RUN dotnet restore src/Ladybug.Web/Ladybug.Web.csproj
COPY src/ src/
COPY wwwroot/ wwwroot/
RUN dotnet publish src/Ladybug.Web/Ladybug.Web.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# The console makes its data directory owner-only (700) at start, so its user must own it.
RUN mkdir /data && chown "$APP_UID" /data
COPY --from=build /app ./
ENV Urls=http://+:1470 \
    Ladybug__DataDir=/data \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__IncludeScopes=true
VOLUME ["/data"]
EXPOSE 1470
# The non-root user the .NET images define (APP_UID, 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Ladybug.Web.dll"]
