using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ladybug.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobCreateCallId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CreateCallId",
                table: "Jobs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CreateCallId",
                table: "Jobs");
        }
    }
}
