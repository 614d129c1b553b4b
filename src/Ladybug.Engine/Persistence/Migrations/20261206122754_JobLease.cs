using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ladybug.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LeaseExpiresAt",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Jobs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Jobs");
        }
    }
}
