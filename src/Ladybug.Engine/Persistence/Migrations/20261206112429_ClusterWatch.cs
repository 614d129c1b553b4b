using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ladybug.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ClusterWatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllocatableCpu",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AllocatableMemory",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContainerRuntime",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Cordoned",
                table: "Nodes",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "EtcdHealth",
                table: "Nodes",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OsImage",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PodCount",
                table: "Nodes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Readiness",
                table: "Nodes",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReadinessReason",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReadinessSince",
                table: "Nodes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TopologyLabels",
                table: "Nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Health",
                table: "Clusters",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HealthReason",
                table: "Clusters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "HealthSince",
                table: "Clusters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WatchMode",
                table: "Clusters",
                type: "TEXT",
                maxLength: 10,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllocatableCpu",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "AllocatableMemory",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "ContainerRuntime",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "Cordoned",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "EtcdHealth",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "OsImage",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "PodCount",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "Readiness",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "ReadinessReason",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "ReadinessSince",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "TopologyLabels",
                table: "Nodes");

            migrationBuilder.DropColumn(
                name: "Health",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "HealthReason",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "HealthSince",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "WatchMode",
                table: "Clusters");
        }
    }
}
